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

    @Flag(help: "Animate each clip through a streaming session (default stream settings, audio pushed unpaced) instead of offline: how close the live path comes to real faces.")
    var stream = false

    @OptionGroup var evaluation: EvalRunOptions

    @OptionGroup var models: ModelFolderOptions

    func validate() throws {
        guard split == "all" || DatasetSplit(rawValue: split) != nil else {
            throw ValidationError("--split \(split): use train, val, test or all")
        }
    }

    func run() async throws {
        let reader = try DatasetReader(directory: URL(fileURLWithPath: data))
        let records = split == "all" ? reader.records : reader.clips(in: DatasetSplit(rawValue: split)!)
        guard !records.isEmpty else { throw ValidationError("\(data): no clips in split \"\(split)\"") }
        let bar = ProgressBar(enabled: !evaluation.quiet)
        let signals = FaceSignals()
        // Each clip is read once, whatever the number of models.
        let clips = try records.map { record in
            let arrays = try reader.arrays(of: record)
            return (record: record, samples: arrays.audio.toArray(), truth: arrays.animation(fps: record.fps))
        }
        let folders = [models.model] + compare.map { Optional($0) }
        var tracked = RealFaceComparison()
        var perModel = [RealFaceComparison](repeating: RealFaceComparison(), count: folders.count)
        for (m, folder) in folders.enumerated() {
            bar.message("loading \(folder ?? "the default model")…")
            let pipeline = try await Media2FacePipeline.load(
                configuration: Media2FacePipelineConfiguration(modelDirectory: folder, gnpfaDirectory: models.gnpfa))
            for (index, clip) in clips.enumerated() {
                bar.update(stage: "model \(m + 1)/\(folders.count)", done: index, total: clips.count)
                var truth = clip.truth
                var animation = stream
                    ? try await pipeline.streamedAnimation(samples: clip.samples, options: evaluation.animationOptions)
                    : try await pipeline.animate(samples: clip.samples, source: clip.record.id,
                                                 request: AnimationRequest(audioPath: clip.record.id, options: evaluation.animationOptions)).animation
                if animation.fps != truth.fps { animation = try animation.resampled(to: truth.fps) }
                // The two may differ by a frame at the end (rounding of the audio length).
                let frames = min(animation.frameCount, truth.frameCount)
                guard frames >= 2 else { continue }
                (animation, truth) = (try animation.trimmed(frames: 0..<frames), try truth.trimmed(frames: 0..<frames))
                let loudness = LipSyncMetrics.loudness(samples: clip.samples, sampleRate: 16_000, fps: truth.fps, frameCount: truth.frameCount)
                let (truthGap, modelGap) = (signals.lipGap(truth), signals.lipGap(animation))
                if m == 0 { tracked.add(RealFaceMotion(truth, loudness: loudness, lipGap: truthGap), match: nil) }
                perModel[m].add(RealFaceMotion(animation, loudness: loudness, lipGap: modelGap),
                                match: RealFaceMouthMatch(model: animation, tracked: truth, modelLipGap: modelGap, trackedLipGap: truthGap))
            }
        }
        bar.finish()
        let report = RealFaceReport(dataset: data, split: split, path: stream ? "stream" : "offline", people: tracked.scores,
                                    models: zip(folders, perModel).map { RealFaceReport.Model(folder: $0 ?? "default", scores: $1.scores) })
        try evaluation.emit(report) { report.table }
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
    /// How the models animated: `offline` (whole clips) or `stream` (a streaming session).
    var path: String
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
            ("lip closures per speech minute", { value($0.lip_closures_per_speech_minute, 1) }),
            ("closed share of speech", { value($0.closed_share_of_speech) }),
        ]
        let columns = [("people", people)] + models.map { ($0.folder, $0.scores) }
        var lines = ["real faces: \(people.clips) clips of \(dataset) (\(split)), models animated \(path)",
                     "measure".padding(toLength: 32, withPad: " ", startingAt: 0) + columns.map { String($0.0.suffix(22)).padding(toLength: 24, withPad: " ", startingAt: 0) }.joined()]
        for (name, read) in rows {
            lines.append(name.padding(toLength: 32, withPad: " ", startingAt: 0) + columns.map { read($0.1).padding(toLength: 24, withPad: " ", startingAt: 0) }.joined())
        }
        return lines.joined(separator: "\n")
    }
}
