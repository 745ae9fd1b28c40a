import ArgumentParser
import Foundation
import M2FDataset
import M2FFace

/// `m2f dataset preview`: one clip rendered on the default head with its audio.
struct DatasetPreviewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "preview",
        abstract: "Render one clip on the default head to MP4 with its audio (ffmpeg).")

    @Argument(help: "Dataset directory.")
    var directory: String

    @Option(help: "Clip id.")
    var clip: String

    @Option(name: .shortAndLong, help: "Output video (.mp4).")
    var output: String

    @Option(parsing: .unconditional, help: "Frame size in pixels (square).")
    var size = 384

    @Option(help: "Camera: portrait, face or mouth.")
    var camera = "face"

    func validate() throws {
        try OptionRange.check(size, "--size", RenderOptions.sizes, unit: " pixels")
    }

    func run() throws {
        let dataset = try DatasetReader(directory: URL(fileURLWithPath: directory))
        let record = try dataset.record(id: clip)
        let animation = try dataset.animation(of: record)
        let arrays = try dataset.arrays(of: record)
        let chosen: Camera
        switch camera {
        case "portrait": chosen = .portrait
        case "face": chosen = .face
        case "mouth": chosen = .mouth
        default: throw ValidationError("--camera must be portrait, face or mouth")
        }
        let audio = FileManager.default.temporaryDirectory.appendingPathComponent("m2f-preview-\(getpid()).wav")
        try WAVWriter.write(arrays.audio.toArray(), sampleRate: dataset.info.sampleRate, to: audio)
        defer { try? FileManager.default.removeItem(at: audio) }
        let renderer = FaceRenderer(rig: DefaultHead.shared, options: RenderOptions(width: size, height: size, supersample: 2, camera: chosen))
        let encoder = try VideoEncoder(url: URL(fileURLWithPath: output), width: size, height: size, fps: animation.fps, audio: audio)
        let bar = ProgressBar(label: "render")
        for f in 0..<animation.frameCount {
            try encoder.append(renderer.render(weights: animation.frame(f), headPose: animation.headPose[f]))
            bar.update(done: Double(f + 1), total: Double(animation.frameCount), unit: "frames")
        }
        bar.finish()
        try encoder.finish()
        print("wrote \(output): \(record.id) (\(record.description); \(record.emotion.rawValue) \(record.intensity)), "
            + "\(animation.frameCount) frames, \"\(record.transcript)\"")
    }
}
