import Foundation
import M2FFace

/// How a streaming session trades latency for quality (`Media2FacePipeline.stream`).
///
/// Frames come out in hops of `hopFrames`. A hop is animated once the audio reaches `lookAheadFrames`
/// beyond its last frame; the denoiser sees the hop, its look-ahead and up to `contextFrames` frames
/// already emitted (fixed, inpainted), so consecutive hops join without a seam. Speech features come
/// from the last `featureWindowSeconds` of audio. The latency of a frame is therefore about
/// (hop + look-ahead) / fps plus the compute of one hop (docs/ARCHITECTURE.md, "Streaming").
public struct StreamConfiguration: Codable, Sendable, Equatable {
    /// Frames of audio after a hop's last frame that must have arrived before the hop is animated.
    /// Default 3 (100 ms at 30 fps): with a 3-frame hop the first frame of a hop waits 200 ms for its
    /// audio, which leaves a hop's compute inside a 250 ms latency on one core.
    public var lookAheadFrames: Int
    /// Frames emitted together. Default 3 (100 ms at 30 fps).
    public var hopFrames: Int
    /// Emitted frames kept as fixed context at the start of each window. Default 24 (0.8 s).
    public var contextFrames: Int
    /// Seconds of audio the Whisper encoder sees for each hop (ending at the look-ahead). Default 3:
    /// against 2 s it raised the mouth's correlation with offline from 0.89 to 0.90 at look-ahead 3
    /// for 12 ms more per hop (docs/ARCHITECTURE.md, "Streaming").
    public var featureWindowSeconds: Double
    /// Seconds over which a style or guidance change is blended in. Default 0.5.
    public var blendSeconds: Double
    /// DDIM steps per hop; nil: the session's `AnimationOptions.steps`. Default 3: a hop's window is short
    /// and mostly fixed context; with the real-face model 3 steps follow both the offline file (mouth
    /// correlation 0.873 against 0.851 at 5) and the held-out real lips (0.505 against 0.491) more closely,
    /// at less CPU (docs/ARCHITECTURE.md, "Streaming").
    public var stepsPerHop: Int?
    /// Frames at the start of each hop blended from the previous hop's prediction of them into this
    /// hop's (0 … hopFrames). Default 1: it removes the jump where hops meet; more frames smooth no
    /// further but pull the hop toward the older prediction, which heard less audio.
    public var crossFadeFrames: Int

    public init(lookAheadFrames: Int = 3, hopFrames: Int = 3, contextFrames: Int = 24, featureWindowSeconds: Double = 3,
                blendSeconds: Double = 0.5, stepsPerHop: Int? = 3, crossFadeFrames: Int = 1) {
        self.lookAheadFrames = lookAheadFrames
        self.hopFrames = hopFrames
        self.contextFrames = contextFrames
        self.featureWindowSeconds = featureWindowSeconds
        self.blendSeconds = blendSeconds
        self.stepsPerHop = stepsPerHop
        self.crossFadeFrames = crossFadeFrames
    }

    /// Checks ranges for a model with `windowLength`-frame windows at `fps` and `diffusionSteps` training steps.
    public func validate(windowLength: Int, fps: Double, diffusionSteps: Int) throws(PipelineError) {
        try validate(windowLength: windowLength, fps: fps)
        if let stepsPerHop, !(1...diffusionSteps).contains(stepsPerHop) {
            throw .invalidOption(name: "steps per hop", value: "\(stepsPerHop)", allowed: "1 … \(diffusionSteps) (3 is the default)")
        }
    }

    /// Checks ranges for a model with `windowLength`-frame windows at `fps`.
    public func validate(windowLength: Int, fps: Double) throws(PipelineError) {
        guard (0...hopFrames).contains(crossFadeFrames) else {
            throw .invalidOption(name: "cross-fade", value: "\(crossFadeFrames) frames", allowed: "0 … \(hopFrames) frames (the hop; 1 is the default)")
        }
        guard (1...60).contains(hopFrames) else {
            throw .invalidOption(name: "hop", value: "\(hopFrames) frames", allowed: "1 … 60 frames (3 is the default)")
        }
        guard (0...90).contains(lookAheadFrames) else {
            throw .invalidOption(name: "--look-ahead", value: "\(lookAheadFrames) frames", allowed: "0 … 90 frames (3 is the default)")
        }
        guard contextFrames >= 1, contextFrames + hopFrames + lookAheadFrames <= windowLength else {
            throw .invalidOption(name: "context", value: "\(contextFrames) frames",
                                 allowed: "1 … \(windowLength - hopFrames - lookAheadFrames) (context + hop + look-ahead ≤ the model's \(windowLength)-frame window)")
        }
        let windowSeconds = Double(contextFrames + hopFrames + lookAheadFrames) / fps
        guard featureWindowSeconds.isFinite, featureWindowSeconds >= windowSeconds, featureWindowSeconds <= 30 else {
            throw .invalidOption(name: "feature window", value: "\(featureWindowSeconds) s",
                                 allowed: String(format: "%.2f … 30 s (at least the denoising window)", windowSeconds))
        }
        guard blendSeconds.isFinite, blendSeconds >= 0, blendSeconds * fps <= Double(contextFrames) else {
            throw .invalidOption(name: "blend", value: "\(blendSeconds) s",
                                 allowed: String(format: "0 … %.2f s (at most the context)", Double(contextFrames) / fps))
        }
    }
}

/// One frame of a stream: 52 ARKit weights and the head pose at `time` seconds of the audio.
public struct StreamFrame: Sendable {
    /// Frame number from the start of the stream (0, 1, 2, …).
    public var index: Int
    /// Audio time of the frame, index / fps seconds.
    public var time: Double
    /// The 52 weights in `ARKit` canonical order, in [0, 1].
    public var weights: [Float]
    /// Head rotation (radians) and translation; identity when head pose is off.
    public var headPose: HeadPose
    /// When the session emitted the frame (for latency measurements).
    public var emittedAt: ContinuousClock.Instant
}

/// What a session has done so far.
public struct StreamStatistics: Sendable, Equatable {
    /// Samples received (at 16 kHz, after resampling).
    public var samplesReceived = 0
    /// Frames emitted.
    public var framesEmitted = 0
    /// Hops animated.
    public var hops = 0
    /// Seconds spent on Whisper features and on the generator, over all hops.
    public var featureSeconds = 0.0
    public var generationSeconds = 0.0
    /// Of `generationSeconds`, the seconds spent decoding latents to ARKit weights (GNPFA).
    public var decodingSeconds = 0.0
    /// The slowest hop's features + generation, in seconds.
    public var longestHopSeconds = 0.0
}
