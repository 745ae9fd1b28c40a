import Foundation
import Testing
@testable import M2FTracker

@Suite("Face region: rotated crop and projection back")
struct FaceRegionTests {
    @Test("a detection's region is levelled on the eyes, squared on the long side and scaled by 1.5")
    func regionFromDetection() {
        // Eyes 30° off level on a 200 × 100 image: right eye (keypoint 0) at (60, 40) px, left eye at
        // (60 + 40 cos 30°, 40 + 40 sin 30°) px (lower on screen): the crop turns by +30°.
        let right = SIMD2<Float>(60, 40), left = right + 40 * SIMD2(cos(Float.pi / 6), sin(Float.pi / 6))
        let scale = SIMD2<Float>(200, 100)
        let detection = FaceDetection(xMin: 0.2, yMin: 0.2, width: 0.3, height: 0.4, keypoints: [right / scale, left / scale] + [SIMD2](repeating: .zero, count: 4), score: 0.9)
        let region = FaceRegion.around(detection, imageWidth: 200, imageHeight: 100)
        #expect(abs(region.rotation - Float.pi / 6) < 1e-5)
        #expect(abs(region.xCenter - 0.35) < 1e-6 && abs(region.yCenter - 0.4) < 1e-6)
        // Long side: max(0.3 · 200, 0.4 · 100) = 60 px, times 1.5 = 90 px.
        #expect(abs(region.width * 200 - 90) < 1e-4 && abs(region.height * 100 - 90) < 1e-4)
    }

    @Test("crop and projection agree: a bright dot lands where the crop's landmark projects back")
    func cropMatchesProjection() {
        let width = 320, height = 240
        var pixels = [UInt8](repeating: 0, count: width * height * 3)
        let dot = SIMD2<Int>(200, 90)
        for dy in -1...1 { for dx in -1...1 { for c in 0..<3 { pixels[((dot.y + dy) * width + dot.x + dx) * 3 + c] = 255 } } }
        let image = RGBImage(width: width, height: height, pixels: pixels)
        let region = FaceRegion(xCenter: 0.55, yCenter: 0.45, width: 0.5, height: 0.5 * 320 / 240, rotation: 0.4)
        let size = 64
        let crop = image.crop(region.pixels(imageWidth: width, imageHeight: height), size: size, range: 0...1, border: .zero)
        // The brightest-weighted centre of the dot in crop pixels.
        var sum = SIMD2<Float>.zero, mass: Float = 0
        for y in 0..<size { for x in 0..<size { let v = crop[(y * size + x) * 3]; sum += v * SIMD2(Float(x), Float(y)); mass += v } }
        #expect(mass > 0)
        let centre = sum / mass
        // Crop pixel (x, y) samples the image at the corner-aligned position: pixel centres are at x + 0 here.
        let projected = region.project(cropLandmarks: [SIMD3(centre.x, centre.y, 0)], cropSize: size)[0]
        #expect(abs(projected.x * Float(width) - Float(dot.x)) < 0.6, "\(projected.x * Float(width))")
        #expect(abs(projected.y * Float(height) - Float(dot.y)) < 0.6, "\(projected.y * Float(height))")
    }

    @Test("outside the picture the crop is zero or the nearest edge pixel")
    func borders() {
        let image = RGBImage(width: 2, height: 2, pixels: [10, 20, 30, 10, 20, 30, 10, 20, 30, 10, 20, 30])
        let far = PixelRegion(center: SIMD2(50, 50), size: SIMD2(4, 4))
        #expect(image.crop(far, size: 4, range: 0...255, border: .zero).allSatisfy { $0 == 0 })
        #expect(image.crop(far, size: 4, range: 0...255, border: .replicate)[0...2] == [10, 20, 30])
        let inside = PixelRegion(center: SIMD2(1, 1), size: SIMD2(1, 1))
        #expect(image.crop(inside, size: 2, range: -1...1, border: .zero)[0...2].map { ($0 * 1000).rounded() } == [-922, -843, -765])
    }

    @Test("tracking: the next region comes from the landmarks' box, levelled on the outer eye corners")
    func regionFromLandmarks() {
        var landmarks = [SIMD3<Float>](repeating: SIMD3(0.5, 0.5, 0), count: 478)
        landmarks[0] = SIMD3(0.4, 0.3, 0)
        landmarks[1] = SIMD3(0.6, 0.7, 0)
        landmarks[33] = SIMD3(0.45, 0.5, 0)
        landmarks[263] = SIMD3(0.55, 0.5, 0)
        let region = FaceRegion.around(landmarks: landmarks, imageWidth: 100, imageHeight: 100)
        #expect(region.rotation == 0)
        #expect(abs(region.xCenter - 0.5) < 1e-6 && abs(region.yCenter - 0.5) < 1e-6)
        #expect(abs(region.width - 0.6) < 1e-6 && abs(region.height - 0.6) < 1e-6)
    }
}
