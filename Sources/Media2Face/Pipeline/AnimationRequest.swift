import Foundation
import M2FFace

/// One clip to animate: the audio, how it should look, and the run options.
public struct AnimationRequest: Sendable, Equatable {
    /// Any audio file AudioLoader reads (WAV natively; MP3, M4A, FLAC, OGG, video… through ffmpeg).
    public var audioPath: String
    /// The style of the whole clip (`--text`, `--emotion`, `--image`); the background of a timeline.
    public var style: StyleSpecification
    /// Styles per time range (`--style-timeline`); they take over from `style` where they apply.
    public var timeline: StyleTimelineFile?
    /// Keyframes to hit (`--keyframes`).
    public var keyframes: KeyframeFile?
    /// Steps, guidance scales, seed and head pose; checked once when the call starts.
    public var options: AnimationOptions

    public init(audioPath: String, style: StyleSpecification = .none, timeline: StyleTimelineFile? = nil,
                keyframes: KeyframeFile? = nil, options: AnimationOptions = AnimationOptions()) {
        self.audioPath = audioPath
        self.style = style
        self.timeline = timeline
        self.keyframes = keyframes
        self.options = options
    }
}

/// Where the time of one `animate` call went (seconds).
public struct PipelineTimings: Codable, Sendable, Equatable {
    /// Decoding and resampling the audio to 16 kHz mono.
    public var loadAudio: Double = 0
    /// Whisper features at 50 Hz, resampled to the frame rate.
    public var speechFeatures: Double = 0
    /// Text / image encoders for the style conditions.
    public var styleConditions: Double = 0
    /// The generator (denoising and decoding).
    public var generation: Double = 0
    /// Stitching pieces, validating, building the animation.
    public var assembly: Double = 0

    public init() {}

    public var total: Double { loadAudio + speechFeatures + styleConditions + generation + assembly }
}

/// The result of `Media2FacePipeline.animate`: the animation, how long each stage took, and warnings.
public struct AnimationResult: Sendable {
    /// 52 ARKit weights + head pose per frame at 30 fps, with provenance in `metadata`.
    public var animation: FaceAnimation
    /// Length of the audio in seconds.
    public var audioDuration: Double
    /// Seconds per stage.
    public var timings: PipelineTimings
    /// Pieces the audio was animated in (1 unless it is longer than `chunkSeconds`).
    public var chunkCount: Int
    /// Things the user should know (silent audio, very short audio, weights that had to be clamped).
    public var warnings: [String]

    /// Real-time factor: processing seconds per second of audio.
    public var realTimeFactor: Double { timings.total / max(audioDuration, 1e-9) }
}
