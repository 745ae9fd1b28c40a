import Foundation
import GNPFATraining
import M2FEngine
import M2FFace
import M2FNeural
import M2FTestSupport
import Testing
import M2FGNPFA

@Suite("Image encoder")
struct ImageEncoderTests {
    @Test func keysAndShapes() {
        var generator = RandomGenerator(seed: 5)
        let configuration = ImageEncoderConfiguration(imageSize: 16, channels: [4, 8], hiddenSize: 12, latentSize: 3)
        let encoder = ImageEncoder(configuration, generator: &generator)
        let shapes = Dictionary(uniqueKeysWithValues: encoder.namedParameters().map { ($0.key, $0.parameter.shape) })
        #expect(shapes == ["convs.0.weight": [4, 3, 3, 3], "convs.0.bias": [4], "convs.1.weight": [8, 4, 3, 3], "convs.1.bias": [8],
                           "head.layers.0.weight": [12, 8 * 4 * 4], "head.layers.0.bias": [12],
                           "head.layers.1.weight": [6, 12], "head.layers.1.bias": [6]])
        let image = RGBImage(width: 40, height: 40, pixels: (0..<(40 * 40 * 3)).map { UInt8($0 % 251) })
        let input = encoder.input([image, image])
        #expect(input.shape == [2, 3, 16, 16])
        let (latents, poses) = encoder.encode([image])
        #expect(latents.shape == [1, 3] && poses.count == 1)
    }

    /// The small configuration of `keysAndShapes` at an even and an odd size: the input gradient (through
    /// both strided convolutions, the flatten and the head) matches central differences, and a training-mode
    /// backward reaches every parameter with finite values.
    @Test(arguments: [16, 15])
    func smallEncoderBackward(size: Int) {
        var generator = RandomGenerator(seed: 9)
        let encoder = ImageEncoder(ImageEncoderConfiguration(imageSize: size, channels: [4, 8], hiddenSize: 12, latentSize: 3), generator: &generator)
        #expect(encoder.configuration.featureSize == (size + 3) / 4)
        let images = Tensor.randomNormal([2, 3, size, size], generator: &generator)
        let error = GradientCheck.relativeError(inputs: [images]) { encoder($0[0]) }
        #expect(error <= 2e-3, "\(size) px: input gradient error \(error)")

        encoder.isTraining = true
        encoder.dropout.isTraining = true
        let out = encoder(images)
        #expect(out.shape == [2, 6])
        out.square().sum().backward()
        for (key, parameter) in encoder.namedParameters() {
            let gradient = parameter.value.grad
            #expect(gradient?.shape == parameter.shape, "\(key): gradient \(String(describing: gradient?.shape))")
            #expect(gradient?.toArray().allSatisfy(\.isFinite) == true, "\(key): non-finite gradient")
        }
    }

    /// The Conv2d layer loads a PyTorch state_dict by key and reproduces the conv2d fixture stack.
    @Test func conv2dLayerMatchesPyTorch() throws {
        let fixture = try Fixture("stack", group: "conv2d")
        var generator = RandomGenerator(seed: 1)
        let conv1 = Conv2d(Conv2dConfiguration(inputChannels: 3, outputChannels: 8, kernelSize: 3, stride: 2, padding: 1), generator: &generator)
        let conv2 = Conv2d(Conv2dConfiguration(inputChannels: 8, outputChannels: 6, kernelSize: 3, stride: 2, padding: 1), generator: &generator)
        let p = try fixture.parameters()
        try conv1.loadParameters(["weight": try #require(p["conv1.weight"]), "bias": try #require(p["conv1.bias"])], source: "stack")
        try conv2.loadParameters(["weight": try #require(p["conv2.weight"]), "bias": try #require(p["conv2.bias"])], source: "stack")
        #expect(conv1.configuration.outputSize(for: 16) == 8 && conv1.configuration.outputSize(for: 12) == 6)
        let h = conv2(conv1(try fixture.input("x")).silu())
        let out = h.reshaped([h.shape[0], h.shape[1], -1]).mean(axis: 2)
        #expect(Closeness.relativeError(out, try fixture.output) <= 1e-4)
        #expect(throws: EngineError.self) {
            try conv1.loadParameters(["weight": try #require(p["conv2.weight"]), "bias": try #require(p["conv1.bias"])], source: "stack")
        }
    }

    @Test func bilinearResize() {
        // A 2×1 image, black then white, resized to 4×1: pixel centres at 0.25, 0.75 of the gap.
        let image = RGBImage(width: 2, height: 1, pixels: [0, 0, 0, 255, 255, 255])
        let wide = image.resized(width: 4, height: 1)
        #expect(wide.pixels.enumerated().filter { $0.offset % 3 == 0 }.map(\.element) == [0, 64, 191, 255])
    }

    /// ffmpeg decodes a PNG written by the repository's writer back to the same pixels; bad files throw.
    @Test func imageFileDecoding() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gnpfa-png-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let image = RGBImage(width: 8, height: 8, pixels: (0..<192).map { UInt8(($0 * 37) % 256) })
        let url = directory.appendingPathComponent("face.png")
        try PNG.write(image, to: url)
        if ImageFileDecoder.locateFFmpeg() != nil {
            #expect(try ImageFileDecoder.read(path: url.path, size: 8) == image)
            let junk = directory.appendingPathComponent("junk.png")
            try Data("not an image".utf8).write(to: junk)
            #expect(throws: GNPFAError.self) { try ImageFileDecoder.read(path: junk.path, size: 8) }
        }
        #expect(throws: GNPFAError.self) { try ImageFileDecoder.read(path: directory.appendingPathComponent("absent.png").path, size: 8) }
    }

    /// A tiny rendered set survives the cache file round trip.
    @Test func imageCacheRoundTrip() throws {
        let set = FaceImageSet.render(count: 2, identities: [.neutral], size: 16, seed: 4)
        #expect(set.count == 2 && set.pixels.count == 2 * 16 * 16 * 3)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("gnpfa-cache-\(UUID().uuidString).bin").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try set.write(to: path)
        let back = try FaceImageSet.read(from: path)
        #expect(back.pixels == set.pixels && back.weights == set.weights && back.rotations == set.rotations)
        try Data("M2FIMG1\n".utf8).write(to: URL(fileURLWithPath: path))
        #expect(throws: GNPFAError.self) { try FaceImageSet.read(from: path) }
    }
}
