import M2FFace

/// What steers the style of a generated segment: the condition token of the denoiser.
///
/// Text comes in as a MiniLM sentence embedding (384-d, L2-normalised), an image as a GNPFA
/// expression code, an emotion as its label and intensity. `.none` is the dropped (unconditional)
/// prompt used by classifier-free guidance.
package enum StyleCondition: Sendable, Equatable {
    case none
    case text(embedding: [Float])
    case image(code: [Float])
    case emotion(Emotion, intensity: Float)
    /// A weighted mix of conditions (a text prompt read through the style vocabulary, `StylePromptReader`):
    /// the token is the weighted mean of the parts' tokens, the guidance strength Σ weight · strength of
    /// each part. The weights sum to at most 1; less weakens the style (a prompt the vocabulary barely knows).
    case blend([WeightedStyle])

    /// The parts of a blend, or this condition alone with weight 1.
    package var parts: [WeightedStyle] {
        if case let .blend(parts) = self { return parts }
        return [WeightedStyle(self, weight: 1)]
    }
}

/// One part of a `StyleCondition.blend`.
package struct WeightedStyle: Sendable, Equatable {
    package var condition: StyleCondition
    package var weight: Float

    package init(_ condition: StyleCondition, weight: Float) {
        self.condition = condition
        self.weight = weight
    }
}

/// A style that applies from `start` to `end` seconds, blended in and out over `fade` seconds.
package struct StyleSegment: Sendable, Equatable {
    package var start: Double
    package var end: Double
    package var fade: Double
    package var condition: StyleCondition
    /// The speaking-style dials over the segment (blended with the same fades).
    package var speaking: SpeakingStyle

    package init(start: Double, end: Double, fade: Double = 0.5, condition: StyleCondition, speaking: SpeakingStyle = .neutral) {
        self.start = start
        self.end = end
        self.fade = fade
        self.condition = condition
        self.speaking = speaking
    }
}

/// A constraint on the output at one frame time: all 52 ARKit weights, or a few named channels
/// ("mouthClose = 0"), imposed by RePaint-style inpainting.
package struct Keyframe: Sendable, Equatable {
    package var time: Double
    /// Canonical ARKit index → weight in [0, 1].
    package var channels: [Int: Float]

    package init(time: Double, channels: [Int: Float]) {
        self.time = time
        self.channels = channels
    }

    /// Frames of a clip of `duration` seconds at `fps`: frame k starts at k / fps, and the last one may
    /// be partial (it starts before the end and is kept).
    public static func frameCount(duration: Double, fps: Double) -> Int {
        max(1, Int((duration * fps - 1e-9).rounded(.up)))
    }

    /// The frame that a key at `time` lands on among `frameCount` frames at `fps`: the nearest frame start,
    /// and the last frame for any time from its start up to `end` (the clip's end, plus any slack the
    /// caller allows); nil for a time outside [0, end]. One rule for the file reader, the chunked
    /// pipeline and the sampler, so a key that one of them accepts is never dropped by another.
    public static func frame(at time: Double, fps: Double, frameCount: Int, end: Double) -> Int? {
        guard time.isFinite, time >= 0, time <= end, frameCount > 0 else { return nil }
        return min(Int((time * fps).rounded()), frameCount - 1)
    }
}
