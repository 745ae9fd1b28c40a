import ArgumentParser
import Media2Face

/// The speaking-style dials and how text is read, shared by `m2f animate` and `m2f stream`.
struct SpeakingStyleOptions: ParsableArguments {
    @Option(parsing: .unconditional, help: "Articulation, 0 … 2: scales jaw, lip and mouth-shape motion (1 = as generated, 0 = mouth at rest).")
    var articulation: Float?

    @Option(parsing: .unconditional, help: "Energy, 0 … 2: scales the whole face's expression (brows, cheeks, lids, smile), articulation and head motion.")
    var energy: Float?

    @Option(name: .customLong("head-motion"), parsing: .unconditional, help: "Head motion, 0 … 4: scales head rotation and translation (0 = a still head facing the camera).")
    var headMotion: Float?

    @Flag(name: .customLong("raw-text"), help: "Use --text's bare MiniLM embedding as the style token (the training input) instead of reading it through the style vocabulary; for comparison.")
    var rawText = false

    var dials: SpeakingDials { SpeakingDials(articulation: articulation, energy: energy, headMotion: headMotion) }

    /// `options` with these dials and the text reading.
    func applied(to options: AnimationOptions) -> AnimationOptions {
        var out = options
        out.speaking = dials
        out.rawTextEmbedding = rawText
        return out
    }
}
