import M2FFace

/// What steers the style of a generated segment: the condition token of the denoiser.
///
/// Text comes in as a MiniLM sentence embedding (384-d, L2-normalised), an image as a GNPFA
/// expression code, an emotion as its label and intensity. `.none` is the dropped (unconditional)
/// prompt used by classifier-free guidance.
public enum StyleCondition: Sendable, Equatable {
    case none
    case text(embedding: [Float])
    case image(code: [Float])
    case emotion(Emotion, intensity: Float)
}

/// A style that applies from `start` to `end` seconds, blended in and out over `fade` seconds.
public struct StyleSegment: Sendable, Equatable {
    public var start: Double
    public var end: Double
    public var fade: Double
    public var condition: StyleCondition

    public init(start: Double, end: Double, fade: Double = 0.5, condition: StyleCondition) {
        self.start = start
        self.end = end
        self.fade = fade
        self.condition = condition
    }
}

/// A constraint on the output at one frame time: all 52 ARKit weights, or a few named channels
/// ("mouthClose = 0"), imposed by RePaint-style inpainting.
public struct Keyframe: Sendable, Equatable {
    public var time: Double
    /// Canonical ARKit index → weight in [0, 1].
    public var channels: [Int: Float]

    public init(time: Double, channels: [Int: Float]) {
        self.time = time
        self.channels = channels
    }
}
