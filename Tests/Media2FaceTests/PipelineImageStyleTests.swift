import Foundation
import M2FEngine
import M2FFace
import M2FGNPFA
import Media2Face
import Testing

/// Image styles: any image ffmpeg reads becomes the encoder's square input; the code has Z values.
struct PipelineImageStyleTests {
    @Test(.enabled(if: VideoEncoderAvailability.ffmpeg))
    func imageIsDecodedAndEncoded() throws {
        // A 40 × 20 image: left half red, right half blue. Filled to 16 × 16 and centre-cropped, the
        // left columns stay red and the right ones blue.
        var image = RGBImage(width: 40, height: 20)
        for y in 0..<20 {
            for x in 0..<40 {
                let i = (y * 40 + x) * 3
                image.pixels[i] = x < 20 ? 220 : 10
                image.pixels[i + 2] = x < 20 ? 10 : 220
            }
        }
        let url = PipelineFixtures.folder("image-style").appendingPathComponent("face.png")
        try PNG.write(image, to: url)
        let decoded = try ImageStyleEncoder.decode(url, size: 16)
        #expect(decoded.width == 16 && decoded.height == 16)
        #expect(decoded[1, 8].x > 180 && decoded[1, 8].z < 60)
        #expect(decoded[14, 8].z > 180 && decoded[14, 8].x < 60)

        var generator = RandomGenerator(seed: 3)
        let encoder = ImageEncoder(ImageEncoderConfiguration(imageSize: 32, channels: [16, 32], hiddenSize: 32, latentSize: 6), generator: &generator)
        let code = try ImageStyleEncoder(encoder: encoder).expressionCode(imageAt: url)
        #expect(code.count == 6 && code.allSatisfy(\.isFinite))
    }

    @Test func notAnImage() throws {
        let url = PipelineFixtures.folder("image-bad").appendingPathComponent("face.png")
        try Data("not a png".utf8).write(to: url)
        var generator = RandomGenerator(seed: 3)
        let encoder = ImageEncoder(ImageEncoderConfiguration(imageSize: 32, channels: [16, 32], hiddenSize: 32, latentSize: 6), generator: &generator)
        #expect {
            try ImageStyleEncoder(encoder: encoder).expressionCode(imageAt: url)
        } throws: { error in
            guard case .imageUnreadable(let image, _) = error as? PipelineError else { return false }
            return image == url.path
        }
    }
}
