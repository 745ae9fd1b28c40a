import Foundation

/// A grid of renders, one per ARKit shape at weight 1 (the neutral face first), each labelled.
public enum ContactSheet {
    /// Renders the sheet: 8 tiles per row; `tileSize` pixels per tile.
    public static func render(rig: FaceRig, tileSize: Int = 256, camera: Camera = .face, shapes: [ARKitBlendshape] = ARKit.all,
                              weight: Float = 1) -> RGBImage {
        let columns = 8
        let entries: [(String, [Float])] = [("neutral", [Float](repeating: 0, count: ARKit.count))]
            + shapes.map { shape in
                var w = [Float](repeating: 0, count: ARKit.count)
                w[shape.index] = weight
                // ARKit's mouthClose closes the lips while the jaw is open: show it that way.
                if shape == .mouthClose {
                    w[ARKitBlendshape.jawOpen.index] = weight
                    return ("mouthClose+jawOpen", w)
                }
                return (shape.rawValue, w)
            }
        let rows = (entries.count + columns - 1) / columns
        let label = 16
        var sheet = RGBImage(width: columns * tileSize, height: rows * (tileSize + label))
        for i in sheet.pixels.indices { sheet.pixels[i] = 24 }
        let renderer = FaceRenderer(rig: rig, options: RenderOptions(width: tileSize, height: tileSize, supersample: 2, camera: camera))
        for (k, entry) in entries.enumerated() {
            let x = (k % columns) * tileSize, y = (k / columns) * (tileSize + label)
            sheet.paste(renderer.render(weights: entry.1), x: x, y: y + label)
            BitmapFont.draw(entry.0, into: &sheet, x: x + 4, y: y + 3)
        }
        return sheet
    }
}
