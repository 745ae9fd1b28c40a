import ArgumentParser
import Foundation
import M2FDataset
import M2FEval
import M2FFace
import M2FSystem
import Media2Face

/// `m2f eval real-faces`: models against tracked video of real people (a dataset made by
/// `m2f dataset import-video`): each clip's audio is animated and compared with the speaker's own face.
struct EvalRealFacesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "real-faces",
        abstract: "Mouth, head, blink and resting-face measures of models against tracked video of real speakers.",
        discussion: """
            --data is an M2F-D dataset imported from video (m2f dataset import-video). For each clip of --split the \
            model animates the clip's audio (no style) and is compared with the tracked face: lip-gap correlation \
            at the best lag (±6 frames), jawOpen correlation, head-rotation std, blinks per minute, and the resting \
            (pause-frame) means of browInnerUp, browDown, eyeWide, smile and frown. The tracked people's own \
            figures come first. --compare adds more model folders, measured in the same run.

            Example: m2f eval real-faces --data data/realface --split test --compare runs/media2face-tuned
            """)

    @Option(help: "Dataset imported from real video (m2f dataset import-video).")
    var data: String

    @Option(help: "Split to measure: train, val, test or all.")
    var split = "test"

    @Option(help: "Another Media2Face model folder to measure beside --model (repeatable).")
    var compare: [String] = []

    @Flag(help: "Print the scores as one JSON object on stdout.")
    var json = false

    @Option(name: .shortAndLong, help: "Also write the JSON scores to this file.")
    var output: String?

    @Option(parsing: .unconditional, help: "DDIM steps.")
    var steps = SamplingOptions.defaultSteps

    @Option(parsing: .unconditional, help: "Seed.")
    var seed: UInt64 = 0

    @OptionGroup var models: ModelFolderOptions

    @Flag(help: "No progress on stderr.")
    var quiet = false

    func validate() throws {
        try OptionRange.check(steps, "--steps", 1...1000)
        guard split == "all" || DatasetSplit(rawValue: split) != nil else {
            throw ValidationError("--split \(split): use train, val, test or all")
        }
    }

    func run() async throws {
        let reader = try DatasetReader(directory: URL(fileURLWithPath: data))
        let records = split == "all" ? reader.records : reader.clips(in: DatasetSplit(rawValue: split)!)
        guard !records.isEmpty else { throw ValidationError("\(data): no clips in split \"\(split)\"") }
        let bar = ProgressBar(enabled: !quiet)
        let signals = FaceSignals()
        let folders = [models.model] + compare.map { Optional($0) }
        var tracked = RealFaceComparison()
        var perModel = [RealFaceComparison](repeating: RealFaceComparison(), count: folders.count)
        for (m, folder) in folders.enumerated() {
            bar.message("loading \(folder ?? "the default model")…")
            let pipeline = try await Media2FacePipeline.load(
                configuration: Media2FacePipelineConfiguration(modelDirectory: folder, gnpfaDirectory: models.gnpfa))
            let options = AnimationOptions(steps: steps, seed: seed)
            for (index, record) in records.enumerated() {
                bar.update(stage: "model \(m + 1)/\(folders.count)", done: index, total: records.count)
                let arrays = try reader.arrays(of: record)
                let samples = arrays.audio.toArray()
                var truth = arrays.animation(fps: record.fps)
                var animation = try await pipeline.animate(samples: samples, source: record.id,
                                                           request: AnimationRequest(audioPath: record.id, options: options)).animation
                if animation.fps != truth.fps { animation = try animation.resampled(to: truth.fps) }
                // The two may differ by a frame at the end (rounding of the audio length).
                let frames = min(animation.frameCount, truth.frameCount)
                guard frames >= 2 else { continue }
                (animation, truth) = (try animation.trimmed(frames: 0..<frames), try truth.trimmed(frames: 0..<frames))
                let loudness = LipSyncMetrics.loudness(samples: samples, sampleRate: 16_000, fps: truth.fps, frameCount: truth.frameCount)
                if m == 0 { tracked.add(RealFaceMotion(truth, loudness: loudness), match: nil) }
                perModel[m].add(RealFaceMotion(animation, loudness: loudness), match: RealFaceMouthMatch(model: animation, tracked: truth, signals: signals))
            }
        }
        bar.finish()
        let report = RealFaceReport(dataset: data, split: split, people: tracked.scores,
                                    models: zip(folders, perModel).map { RealFaceReport.Model(folder: $0 ?? "default", scores: $1.scores) })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        if let output { try AtomicFile.write(try encoder.encode(report), to: output) }
        if json {
            encoder.outputFormatting = [.sortedKeys]
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
        } else {
            print(report.table)
        }
    }
}

/// The JSON of `m2f eval real-faces`.
struct RealFaceReport: Codable {
    struct Model: Codable {
        var folder: String
        var scores: RealFaceScores
    }
    var dataset: String
    var split: String
    var people: RealFaceScores
    var models: [Model]

    var table: String {
        func value(_ x: Double?, _ digits: Int = 3) -> String { x.map { String(format: "%.\(digits)f", $0) } ?? "—" }
        let rows: [(String, (RealFaceScores) -> String)] = [
            ("lip-gap correlation (best lag)", { value($0.lip_gap_correlation) }),
            ("best lag, frames", { value($0.lip_gap_best_lag_frames, 1) }),
            ("jawOpen correlation", { value($0.jaw_open_correlation) }),
            ("head rotation std, °", { value($0.head_rotation_std_degrees, 2) }),
            ("blinks per minute", { value($0.blinks_per_minute, 1) }),
            ("rest browInnerUp", { value($0.rest_brow_inner_up) }),
            ("rest browDown", { value($0.rest_brow_down) }),
            ("rest eyeWide", { value($0.rest_eye_wide) }),
            ("rest smile", { value($0.rest_smile) }),
            ("rest frown", { value($0.rest_frown) }),
            ("mean jawOpen", { value($0.mean_jaw_open) }),
        ]
        let columns = [("people", people)] + models.map { ($0.folder, $0.scores) }
        var lines = ["real faces: \(people.clips) clips of \(dataset) (\(split))",
                     "measure".padding(toLength: 32, withPad: " ", startingAt: 0) + columns.map { String($0.0.suffix(22)).padding(toLength: 24, withPad: " ", startingAt: 0) }.joined()]
        for (name, read) in rows {
            lines.append(name.padding(toLength: 32, withPad: " ", startingAt: 0) + columns.map { read($0.1).padding(toLength: 24, withPad: " ", startingAt: 0) }.joined())
        }
        return lines.joined(separator: "\n")
    }
}
