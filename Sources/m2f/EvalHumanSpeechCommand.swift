import ArgumentParser
import Foundation
import M2FEngine
import M2FEval
import M2FSystem
import Media2Face

/// `m2f eval human-speech`: the shipped model on recorded human speech, which training never heard
/// (M2F-D is synthetic). No reference animation exists, so it scores what the audio and the phone
/// alignments define: lip closure on bilabials, loudness ↔ opening correlation, opening in words vs pauses.
struct EvalHumanSpeechCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "human-speech",
        abstract: "Lip closure, SLCC and speech/pause opening of the model on recorded human speech.",
        discussion: """
            The folder holds <name>.wav clips and, optionally, PocketSphinx phone alignments <name>.phone.json. \
            scripts/fetch_human_speech.sh (make human-speech) fetches five LibriVox clips (25 s, public domain) \
            with alignments into data/human-speech. Compare with `m2f eval media2face` on the synthetic test split.

            Example: m2f eval human-speech --json
            """)

    @Option(help: "Folder of .wav clips with optional .phone.json alignments.")
    var dir = "data/human-speech"

    @OptionGroup var evaluation: EvalRunOptions

    @OptionGroup var models: ModelFolderOptions

    func run() async throws {
        let clips = try RecordedSpeechClip.load(directory: URL(fileURLWithPath: dir))
        let bar = ProgressBar(enabled: !evaluation.quiet)
        bar.message("loading models…")
        let pipeline = try await models.loadPipeline()
        let options = evaluation.animationOptions
        try options.validate()
        var accumulator = RecordedSpeechAccumulator()
        let clock = ContinuousClock()
        for (index, clip) in clips.enumerated() {
            bar.update(stage: "human speech", done: index, total: clips.count)
            let started = clock.now
            let animation = try await pipeline.animate(samples: clip.samples, source: clip.id,
                                                 request: AnimationRequest(audioPath: clip.id, options: options)).animation
            let elapsed = clock.now - started
            accumulator.add(clip, animation: animation,
                            seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18)
        }
        bar.update(stage: "human speech", done: clips.count, total: clips.count)
        bar.finish()
        let scores = accumulator.scores
        try evaluation.emit(scores) { Self.table(scores) }
    }

    static func table(_ s: RecordedSpeechScores) -> String {
        func value(_ x: Double?, _ digits: Int) -> String { x.map { String(format: "%.\(digits)f", $0) } ?? "—" }
        return """
            recorded speech: \(s.clips) clips, \(String(format: "%.1f", s.audio_seconds)) s, \(s.bilabial_segments) bilabials
              lip closure on bilabials   \(value(s.lip_closure_rate, 3))
              SLCC (loudness ↔ opening)  \(value(s.slcc, 3))
              lip gap in words / pauses  \(value(s.mean_lip_gap_speech_mm, 2)) / \(value(s.mean_lip_gap_pause_mm, 2)) mm
              speed                      \(String(format: "%.1f", s.real_time_factor))× real time
            """
    }
}
