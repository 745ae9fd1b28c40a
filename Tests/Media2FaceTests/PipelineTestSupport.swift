import Foundation
import M2FAudio
import M2FDataset
import M2FFace
import M2FGNPFA
import M2FSystem
import Media2Face

/// Whether ffmpeg is installed (MP4 and non-WAV tests need it; scripts/bootstrap.sh installs it).
enum VideoEncoderAvailability {
    static let ffmpeg = Executable.find("ffmpeg") != nil
}

/// WAV bytes for tests (the dataset's float WAV writer).
enum WAVFile {
    static func data(_ samples: [Float], sampleRate: Int = 16_000) -> Data { WAVWriter.encode(samples, sampleRate: sampleRate) }

    /// A 220 Hz tone at half scale.
    static func tone(seconds: Double, sampleRate: Int = 16_000) -> Data {
        data((0..<Int(seconds * Double(sampleRate))).map { Float(0.5 * sin(2 * Double.pi * 220 * Double($0) / Double(sampleRate))) })
    }

    /// 16 kHz mono samples of an audio file.
    static func samples(of path: String) throws -> [Float] { try AudioLoader().load(path: path).samples }
}

/// Test folders and the bundled example.
enum PipelineFixtures {
    static func folder(_ name: String) -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("m2f-pipeline-tests-\(getpid())/\(name)")
        try? FileManager.default.removeItem(at: url)
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// `Examples/hello.wav` of this checkout (flite, 6.9 s).
    static var example: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Examples/hello.wav").path
    }

    /// The committed model folder of this checkout, or `$M2F_MODEL` (tests that need trained weights
    /// run when it exists).
    static var trainedModel: URL {
        if let path = ProcessInfo.processInfo.environment["M2F_MODEL"], !path.isEmpty { return URL(fileURLWithPath: path) }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Models/media2face")
    }

    static var hasTrainedModel: Bool {
        FileManager.default.fileExists(atPath: trainedModel.appendingPathComponent("config.json").path)
    }

    /// A tiny diffusion model (width 32, 2 layers, window 24, 100 steps; seeded random weights) in ARKit
    /// space, saved as a model folder: the real generator and loader at a size that runs in milliseconds.
    static let tinyModel: URL = {
        let directory = folder("tiny-model")
        let configuration = DenoiserConfiguration(latentSize: 52, width: 32, numLayers: 2, numHeads: 2, mlpRatio: 2,
                                                  windowLength: 24, diffusionSteps: 100)
        try! DiffusionModelFile.save(configuration: DiffusionModelConfiguration(denoiser: configuration, coding: "arkit-logit"),
                                     denoiser: Media2FaceDenoiser(configuration, seed: 11),
                                     normalization: .identity(size: configuration.frameSize), to: directory)
        return directory
    }()
}

/// Pipelines loaded once per test process and shared by the suites (loading is the slow part; the
/// pipeline is safe to share between tasks).
enum LoadedPipelines {
    /// The tiny seeded model of `PipelineFixtures.tinyModel`.
    static let tiny = Task { try await Media2FacePipeline.load(configuration: Media2FacePipelineConfiguration(modelDirectory: PipelineFixtures.tinyModel.path)) }
    /// The shipped model (only when `PipelineFixtures.hasTrainedModel`).
    static let trained = Task { try await Media2FacePipeline.load(configuration: Media2FacePipelineConfiguration(modelDirectory: PipelineFixtures.trainedModel.path)) }
}
