import ArgumentParser
import Foundation
import M2FEval
import Media2Face

/// `m2f eval controls`: the style controls measured on a clip (issue 17, "controls that do what they say").
struct EvalControlsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "controls",
        abstract: "Emotion intensity, text prompts, speaking-style dials and the keyframe-beside-a-range case, measured.",
        discussion: """
            Animates --audio (default: the demo clip) with: no style; each emotion at intensity 0, 0.25, 0.5, 0.75, 1; \
            two lists of held-out prompts (27 and 28) and issue 17's everyday words, each with the bare MiniLM embedding (--raw-text, the \
            shipped behaviour) and through the style vocabulary; each dial at 0, 0.5, 1, 1.5, 2; and jawOpen keyed at \
            frame 60 beside a browInnerUp range constraint. A prompt moved its channel when the change reaches a quarter \
            of the emotion label's full effect (or 10 % of the no-style value for jaw, speed and head measures). \
            The upper-face motion ratio is `m2f eval media2face`'s (it needs the reference animation).

            Example: m2f eval controls --json -o out/controls.json
            """)

    @Option(help: "Audio files to animate (repeatable; default Examples/hello.wav). The first must be ≥ 2.2 s for the keyframe case.")
    var audio: [String] = []

    @OptionGroup var evaluation: EvalRunOptions

    @OptionGroup var models: ModelFolderOptions

    func run() async throws {
        guard let example = audio.isEmpty ? Media2FacePipelineConfiguration.locate("Examples/hello.wav")?.path : "" else {
            throw ValidationError("Examples/hello.wav not found; give --audio")
        }
        let files = audio.isEmpty ? [example] : audio
        let clips = try files.map(ControlSuite.clip)
        let bar = ProgressBar(enabled: !evaluation.quiet)
        bar.message("loading models…")
        let pipeline = try await models.loadPipeline()
        let suite = ControlSuite(pipeline: pipeline, clips: clips, options: evaluation.animationOptions)
        let report = try await suite.run { stage in bar.message(stage) }
        bar.finish()
        try evaluation.emit(report) { report.table }
    }
}
