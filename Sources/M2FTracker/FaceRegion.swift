import Foundation

/// A rotated rectangle in normalised image coordinates (MediaPipe's `NormalizedRect`): centre and size
/// as shares of the image width and height, rotation in radians (clockwise on screen, y down).
public struct FaceRegion: Sendable, Equatable {
    public var xCenter: Float, yCenter: Float, width: Float, height: Float, rotation: Float

    public init(xCenter: Float, yCenter: Float, width: Float, height: Float, rotation: Float = 0) {
        (self.xCenter, self.yCenter, self.width, self.height, self.rotation) = (xCenter, yCenter, width, height, rotation)
    }

    /// The landmark crop around a detection (`DetectionsToRectsCalculator` with the eye keypoints 0 → 1
    /// levelled, then `RectTransformationCalculator` scale 1.5, square on the long side).
    public static func around(_ detection: FaceDetection, imageWidth: Int, imageHeight: Int) -> FaceRegion {
        let box = FaceRegion(xCenter: detection.xMin + detection.width / 2, yCenter: detection.yMin + detection.height / 2,
                             width: detection.width, height: detection.height,
                             rotation: angle(from: detection.keypoints[0], to: detection.keypoints[1], imageWidth: imageWidth, imageHeight: imageHeight))
        return box.expanded(imageWidth: imageWidth, imageHeight: imageHeight)
    }

    /// The next frame's crop from this frame's landmarks (normalised x, y), as MediaPipe's tracking does:
    /// their bounding box, levelled on the outer eye corners 33 → 263, scale 1.5, square on the long side.
    public static func around(landmarks: [SIMD3<Float>], imageWidth: Int, imageHeight: Int) -> FaceRegion {
        precondition(landmarks.count > 263, "tracking needs the 478-point landmarks")
        var lo = SIMD2<Float>(.infinity, .infinity), hi = -lo
        for p in landmarks {
            lo = pointwiseMin(lo, SIMD2(p.x, p.y))
            hi = pointwiseMax(hi, SIMD2(p.x, p.y))
        }
        let rotation = angle(from: SIMD2(landmarks[33].x, landmarks[33].y), to: SIMD2(landmarks[263].x, landmarks[263].y),
                             imageWidth: imageWidth, imageHeight: imageHeight)
        let box = FaceRegion(xCenter: (lo.x + hi.x) / 2, yCenter: (lo.y + hi.y) / 2, width: hi.x - lo.x, height: hi.y - lo.y, rotation: rotation)
        return box.expanded(imageWidth: imageWidth, imageHeight: imageHeight)
    }

    /// The rotation that makes the line from `a` to `b` horizontal, normalised to [−π, π).
    static func angle(from a: SIMD2<Float>, to b: SIMD2<Float>, imageWidth: Int, imageHeight: Int) -> Float {
        let dx = (b.x - a.x) * Float(imageWidth), dy = (b.y - a.y) * Float(imageHeight)
        let raw = -atan2(-dy, dx)
        return raw - 2 * .pi * ((raw + .pi) / (2 * .pi)).rounded(.down)
    }

    /// Square on the long side (in pixels), then scaled by 1.5 each way.
    func expanded(imageWidth: Int, imageHeight: Int, scale: Float = 1.5) -> FaceRegion {
        let longSide = max(width * Float(imageWidth), height * Float(imageHeight))
        var out = self
        out.width = longSide / Float(imageWidth) * scale
        out.height = longSide / Float(imageHeight) * scale
        return out
    }

    /// The region in pixels of an image.
    public func pixels(imageWidth: Int, imageHeight: Int) -> PixelRegion {
        PixelRegion(center: SIMD2(xCenter * Float(imageWidth), yCenter * Float(imageHeight)),
                    size: SIMD2(width * Float(imageWidth), height * Float(imageHeight)), rotation: rotation)
    }

    /// Landmarks of the crop (x, y, z in crop pixels of a `cropSize` square input) back to normalised image
    /// coordinates (`LandmarkProjectionCalculator`: rotated about the crop centre in normalised units,
    /// z scaled like x).
    public func project(cropLandmarks: [SIMD3<Float>], cropSize: Int) -> [SIMD3<Float>] {
        let c = cos(rotation), s = sin(rotation), size = Float(cropSize)
        return cropLandmarks.map { p in
            let x = p.x / size - 0.5, y = p.y / size - 0.5
            return SIMD3((c * x - s * y) * width + xCenter, (s * x + c * y) * height + yCenter, p.z / size * width)
        }
    }
}

/// A rotated rectangle in pixels: centre, size and rotation (radians, clockwise on screen).
public struct PixelRegion: Sendable, Equatable {
    public var center: SIMD2<Float>, size: SIMD2<Float>, rotation: Float

    public init(center: SIMD2<Float>, size: SIMD2<Float>, rotation: Float = 0) {
        (self.center, self.size, self.rotation) = (center, size, rotation)
    }

    /// The whole image padded to a square (`keep_aspect_ratio`), and the padding as shares of the square.
    public static func letterboxed(imageWidth: Int, imageHeight: Int) -> (region: PixelRegion, letterbox: Letterbox) {
        let w = Float(imageWidth), h = Float(imageHeight), side = max(w, h)
        let horizontal = (1 - w / side) / 2, vertical = (1 - h / side) / 2
        return (PixelRegion(center: SIMD2(w / 2, h / 2), size: SIMD2(side, side)),
                Letterbox(left: horizontal, top: vertical, right: horizontal, bottom: vertical))
    }
}
