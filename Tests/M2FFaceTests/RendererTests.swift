import Foundation
import Testing
import M2FFace

@Suite struct RendererTests {
    let rig = DefaultHead.shared

    func weights(_ pairs: [(ARKitBlendshape, Float)]) -> [Float] {
        var w = [Float](repeating: 0, count: 52)
        for (shape, value) in pairs { w[shape.index] = value }
        return w
    }

    func brightness(_ image: RGBImage, x: Int, y: Int) -> Int {
        let p = image[x, y]
        return Int(p.x) + Int(p.y) + Int(p.z)
    }

    @Test func framesTheFaceOnTheBackground() {
        let renderer = FaceRenderer(rig: rig, options: RenderOptions(width: 128, height: 128, camera: .portrait))
        let image = renderer.render(weights: weights([]))
        let background = SIMD3<UInt8>(UInt8((0.20 * 255).rounded()), UInt8((0.22 * 255).rounded()), UInt8((0.26 * 255).rounded()))
        #expect(image[2, 2] == background)
        // Skin in the middle: red above blue.
        let centre = image[64, 64]
        #expect(centre != background && centre.x > centre.z)
    }

    @Test func jawOpenDarkensTheMouthAndBlinkCoversTheIris() {
        let mouth = FaceRenderer(rig: rig, options: RenderOptions(width: 96, height: 96, camera: .mouth))
        let closed = mouth.render(weights: weights([]))
        let open = mouth.render(weights: weights([(.jawOpen, 1)]))
        // Count dark pixels (mouth interior) in the picture.
        func dark(_ image: RGBImage) -> Int {
            (0..<image.height).reduce(0) { sum, y in sum + (0..<image.width).filter { brightness(image, x: $0, y: y) < 200 }.count }
        }
        #expect(dark(open) > dark(closed) + 400)
        let eye = FaceRenderer(rig: rig, options: RenderOptions(width: 96, height: 96, camera: .eye))
        let pupil = eye.render(weights: weights([]))
        let blink = eye.render(weights: weights([(.eyeBlinkLeft, 1)]))
        // The pupil (darkest pixel of the open eye) is skin once the lid closes.
        var darkest = (0, 0, Int.max)
        for y in 0..<96 { for x in 0..<96 where brightness(pupil, x: x, y: y) < darkest.2 { darkest = (x, y, brightness(pupil, x: x, y: y)) } }
        #expect(darkest.2 < 120)
        #expect(brightness(blink, x: darkest.0, y: darkest.1) > 300)
    }

    @Test func headPoseTurnsTheHead() {
        let renderer = FaceRenderer(rig: rig, options: RenderOptions(width: 64, height: 64))
        let straight = renderer.render(weights: weights([]))
        let turned = renderer.render(weights: weights([]), headPose: HeadPose(yaw: 0.5))
        #expect(straight != turned)
    }

    @Test func renderTimeAt512() {
        let renderer = FaceRenderer(rig: rig, options: RenderOptions(width: 512, height: 512, threads: 1))
        _ = renderer.render(weights: weights([(.jawOpen, 0.3)]))
        let clock = ContinuousClock()
        let frames = 10
        let elapsed = clock.measure {
            for f in 0..<frames { _ = renderer.render(weights: weights([(.jawOpen, Float(f) / 10), (.eyeBlinkLeft, 0.5)])) }
        }
        let ms = Double(elapsed.components.seconds) * 1000 / Double(frames) + Double(elapsed.components.attoseconds) / 1e15 / Double(frames)
        print("FaceRenderer: \(String(format: "%.1f", ms)) ms per 512×512 frame (2×2 supersampling, 1 thread)")
        #expect(ms < 200)
    }

    @Test func contactSheetHasAllTiles() {
        let sheet = ContactSheet.render(rig: rig, tileSize: 32)
        #expect(sheet.width == 8 * 32)
        #expect(sheet.height == 7 * (32 + 16))
    }
}
