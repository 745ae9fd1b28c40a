import ArgumentParser
import Foundation
import M2FDataset
import M2FEngine
import M2FEval
import M2FFace
import M2FSystem
import Media2Face

/// `m2f eval` (the default of the eval group): the Media2Face model and its baselines on a held-out split.
struct EvalMedia2FaceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "media2face",
        abstract: "LVE, FDD, lip closure, offset, SLCC, beat alignment and diversity of the model and baselines, plus control checks.",
        discussion: """
            Subjects: media2face (the diffusion model through the pipeline, conditioned on each clip's emotion label), \
            regressor (Models/media2face-regressor, when it exists) and mean_face (the training split's mean pose). \
            Controls: emotion labels and text prompts → smile/frown/brow means, style guidance 0/1.5/3, keyframe error, \
            seams at window and piece joins on a long clip, and quality vs 10/25/50 steps. Metric definitions: docs/ARCHITECTURE.md.

            Example: m2f eval --data data/m2fd --split test --json
            """)

    @Option(help: "Dataset folder (m2f dataset build).")
    var data: String

    @Option(help: "Split to evaluate: train, validation or test.")
    var split = "test"

    @Flag(help: "Print the report as one JSON object on stdout.")
    var json = false

    @Option(name: .shortAndLong, help: "Also write the JSON report to this file.")
    var output: String?

    @Option(parsing: .unconditional, help: "Evaluate at most this many clips of the split.")
    var limit: Int?

    @Option(parsing: .unconditional, help: "DDIM steps.")
    var steps = SamplingOptions.defaultSteps

    @Option(parsing: .unconditional, help: "Audio guidance scale sA of the model (the pipeline's default when omitted).")
    var audioGuidance: Float?

    @Option(parsing: .unconditional, help: "Style guidance scale sP of the model (the pipeline's default when omitted).")
    var styleGuidance: Float?

    @Option(help: "Subjects to score, comma-separated: media2face, regressor, mean_face, latent_roundtrip (the reference through the GNPFA latent space: the ceiling of the model).")
    var subjects = Self.allSubjects.joined(separator: ",")

    static let allSubjects = ["media2face", "regressor", "mean_face", "latent_roundtrip"]

    @Option(parsing: .unconditional, help: "Base seed.")
    var seed: UInt64 = 0

    @OptionGroup var folders: ModelFolderOptions

    @Option(help: "Regression-baseline model folder (default Models/media2face-regressor when it exists).")
    var regressor: String?

    @Flag(help: "Skip the control measurements (emotion, style scale, keyframes, seams, steps).")
    var noControls = false

    @Option(parsing: .unconditional, help: "Length of the long clip of the seam check, seconds.")
    var seamSeconds = 600.0

    @Option(parsing: .unconditional, help: "Clips used for each control measurement.")
    var controlClips = 6

    @Flag(help: "No progress on stderr.")
    var quiet = false

    @Flag(help: "Condition each clip on its emotion label through the user-facing intensity (style-guidance strength) instead of as the model was trained (intensity in the token); the split's labels are the teacher's intensities, so scoring uses the trained way by default.")
    var userIntensity = false

    @OptionGroup var blinks: AddedBlinkOption

    /// The regression baseline (--regressor, or Models/media2face-regressor when it exists).
    func scoreRegressor(runner: EvaluationRunner, settings: EvaluationSettings, bar: ProgressBar,
                        models: inout [String: ModelScores], missing: inout [String: String]) async throws {
        guard let directory = regressor ?? Media2FacePipelineConfiguration.locate("Models/media2face-regressor")?.path,
              FileManager.default.fileExists(atPath: directory) else {
            missing["regressor"] = "no regression baseline at \(regressor ?? "Models/media2face-regressor")"
            return
        }
        let baseline = try await Media2FacePipeline.load(configuration: Media2FacePipelineConfiguration(modelDirectory: directory, gnpfaDirectory: folders.gnpfa))
        models["regressor"] = try await runner.score(.pipeline("regressor", baseline, conditionOnEmotion: settings.conditionOnEmotion, isStochastic: false)) {
            bar.update(stage: "regressor", done: $0, total: $1)
        }
    }

    func validate() throws {
        try OptionRange.check(limit, "--limit", 1...Int.max)
        try OptionRange.check(steps, "--steps", 1...1000)
        try OptionRange.check(audioGuidance, "--audio-guidance", 0...AnimationOptions.maximumGuidance)
        try OptionRange.check(styleGuidance, "--style-guidance", 0...AnimationOptions.maximumGuidance)
        try OptionRange.check(seamSeconds, "--seam-seconds", 10...7200, unit: " s")
        try OptionRange.check(controlClips, "--control-clips", 1...1000)
    }

    func run() async throws {
        let started = Date()
        guard let chosenSplit = DatasetSplit(rawValue: split) else {
            throw ValidationError("--split \(split) is unknown; use \(DatasetSplit.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let reader = try DatasetReader(directory: URL(fileURLWithPath: data))
        var settings = EvaluationSettings()
        settings.split = chosenSplit
        settings.limit = limit
        settings.options = blinks.applied(to: AnimationOptions(steps: steps, seed: seed))
        settings.options.emotionIntensityAsTrained = !userIntensity
        if let audioGuidance { settings.options.audioGuidance = audioGuidance }
        if let styleGuidance { settings.options.styleGuidance = styleGuidance }
        let wanted = Set(subjects.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
        guard !wanted.isEmpty, wanted.isSubset(of: Self.allSubjects) else {
            throw ValidationError("--subjects \(subjects): use some of \(Self.allSubjects.joined(separator: ", "))")
        }
        settings.seamSeconds = seamSeconds
        settings.controlClips = controlClips
        try settings.options.validate()
        let clips = try EvaluationClip.load(reader, split: chosenSplit, limit: limit)
        guard !clips.isEmpty else { throw ValidationError("\(data) has no \(split) clips") }
        let bar = ProgressBar(enabled: !quiet)

        var models: [String: ModelScores] = [:]
        var missing: [String: String] = [:]
        let runner = EvaluationRunner(clips: clips, settings: settings)

        if wanted.contains("mean_face") {
            let training = reader.clips(in: .train).prefix(400).compactMap { try? reader.animation(of: $0) }
            if training.isEmpty {
                missing["mean_face"] = "the dataset has no training clips to average"
            } else {
                models["mean_face"] = try await runner.score(.meanFace(training: training)) { bar.update(stage: "mean_face", done: $0, total: $1) }
            }
        }
        bar.message("loading models…")
        let pipeline = try await folders.loadPipeline()
        if wanted.contains("latent_roundtrip") {
            models["latent_roundtrip"] = try await runner.score(.latentRoundTrip(pipeline.expressionCoding)) { bar.update(stage: "latent_roundtrip", done: $0, total: $1) }
        }
        if wanted.contains("media2face") {
            models["media2face"] = try await runner.score(.pipeline("media2face", pipeline, conditionOnEmotion: settings.conditionOnEmotion)) {
                bar.update(stage: "media2face", done: $0, total: $1)
            }
        }
        if wanted.contains("regressor") {
            try await scoreRegressor(runner: runner, settings: settings, bar: bar, models: &models, missing: &missing)
        }
        var controls: ControlsReport?
        if !noControls {
            let window = pipeline.windowing
            controls = try await runner.controls(pipeline: pipeline, windowLength: window.length, windowOverlap: window.overlap) { bar.update(stage: $0, done: $1, total: $2) }
        }
        bar.finish()
        let report = EvaluationReport(split: split, clips: clips.count, audio_seconds: clips.reduce(0) { $0 + Double($1.samples.count) / 16_000 },
                                      options: settings.options, models: models, missing: missing, controls: controls,
                                      seconds: Date().timeIntervalSince(started))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        let data = try encoder.encode(report)
        if let output { try AtomicFile.write(data, to: output) }
        if json {
            encoder.outputFormatting = [.sortedKeys]
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
        } else {
            print(EvaluationTable.text(report))
        }
    }
}
