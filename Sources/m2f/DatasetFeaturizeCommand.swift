import ArgumentParser
import Foundation
import M2FDataset
import M2FEncoders

/// `m2f dataset featurize`: cached Whisper features and MiniLM style codes per clip.
struct DatasetFeaturizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "featurize",
        abstract: "Add Whisper speech features [F, 384] and MiniLM style codes [384] to every clip (cached in features/).",
        discussion: """
            Results are cached per shard under features/<model>@<version>/; a rerun skips what is done and a new \
            model version is computed afresh. Needs `m2f models fetch`. GNPFA latents will be one more feature set.
            """)

    @Argument(help: "Dataset directory.")
    var directory: String

    @Option(help: ArgumentHelp("How clips under 30 s are encoded: needed (only the clip's own frames, the default) or pad (silence to a full 30 s Whisper window). Each has its own cache key; a model trained on one is run with the same.", valueName: "policy"))
    var speechPolicy: String = SpeechFeaturePolicy.needed.rawValue

    @Option(help: "Only these feature sets: whisper, style (comma-separated).")
    var only: String = "whisper,style"

    func run() throws {
        guard let policy = SpeechFeaturePolicy(rawValue: speechPolicy) else {
            throw ValidationError("--speech-policy must be one of \(SpeechFeaturePolicy.allCases.map(\.rawValue).joined(separator: ", ")), not '\(speechPolicy)'")
        }
        let dataset = try DatasetReader(directory: URL(fileURLWithPath: directory))
        let wanted = Set(only.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
        var featurizers: [any ClipFeaturizing] = []
        if wanted.contains("style") { featurizers.append(try StyleFeaturizer()) }
        if wanted.contains("whisper") { featurizers.append(try WhisperFeaturizer(policy: policy)) }
        guard !featurizers.isEmpty else { throw ValidationError("--only must name whisper and/or style") }
        let audioSeconds = dataset.seconds()
        for featurizer in featurizers {
            let bar = ProgressBar(label: featurizer.info.tensor)
            let summary = try Featurizer(dataset: dataset).run(featurizer) { p in
                bar.update(done: Double(p.clipsDone), total: Double(p.clipsTotal), unit: "clips")
            }
            bar.finish()
            print("\(summary.featureSet): \(summary.clipsComputed) clips computed in \(summary.shardsComputed) shards, "
                + "\(summary.shardsSkipped) shards cached; " + String(format: "%.1f s (%.1f× real time)", summary.seconds,
                                                                      summary.seconds > 0 && summary.clipsComputed > 0 ? audioSeconds / summary.seconds : 0))
        }
    }
}
