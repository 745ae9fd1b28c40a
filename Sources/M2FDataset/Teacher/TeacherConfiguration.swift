import M2FFace

/// Every tunable number of the phonetic teacher animator, in one versioned, documented value.
///
/// The dataset stores this configuration (as JSON) beside the clips it made, so a clip can be
/// regenerated exactly: same configuration + same phones + same `TeacherPerformance.seed` → the
/// same animation, bit for bit. Change a default → bump `version`.
///
/// Units: seconds for times, ARKit weights (0…1) for amplitudes, radians for angles, metres for
/// translations. "Articulator" values (jaw, rounding, spreading…) are 0…1 and are mapped to ARKit
/// weights by the `…Max` gains of `ArticulationGains`.
public struct TeacherConfiguration: Codable, Sendable, Equatable {
    /// Bumped whenever a default changes; recorded in each clip's metadata.
    public var version: Int = 1

    // MARK: Timing

    /// Visible articulation leads the audio by this much (about one to two frames at 30 fps).
    public var visualLead: Double = 0.045

    // MARK: Coarticulation (Cohen & Massaro dominance functions)

    /// Dominance of a segment at distance d (s) outside its core is α·exp(−(d/σ)^c); this is c.
    public var dominanceExponent: Double = 1.5
    /// The core (where dominance is flat at α) is this fraction of the segment, centred.
    public var dominanceCoreFraction: Double = 0.5
    /// σ before / after a vowel's core for the jaw and non-rounding lip channels.
    public var vowelSpreadBefore: Double = 0.055
    public var vowelSpreadAfter: Double = 0.065
    /// σ before / after a consonant's core.
    public var consonantSpreadBefore: Double = 0.035
    public var consonantSpreadAfter: Double = 0.035
    /// σ before a rounded segment's core for the rounding channels (pucker, funnel): anticipatory
    /// rounding reaches ~150–200 ms ahead across consonants that do not need the lips.
    public var roundingAnticipation: Double = 0.12
    /// σ after a rounded segment (carry-over rounding).
    public var roundingCarryover: Double = 0.07
    /// σ either side of a pause for all channels.
    public var silenceSpread: Double = 0.08
    /// Target and dominance of segments whose phone is not in the inventory.
    public var unknownPhoneJaw: Double = 0.25
    public var unknownPhoneDominance: Double = 0.05

    // MARK: Rate-dependent reduction

    /// Typical phone duration at a normal rate (s).
    public var nominalPhoneDuration: Double = 0.085
    /// Amplitude factor = clamp((local mean phone duration / nominal)^exponent, minimum, 1); applied
    /// to jaw and lip-shape targets, never to bilabial closure or labiodental contact.
    public var reductionExponent: Double = 0.6
    public var reductionMinimum: Double = 0.55
    /// Neighbours either side used for the local mean duration.
    public var reductionNeighbours: Int = 2

    // MARK: Loudness

    /// Vowels louder than the clip's median vowel open wider: the jaw and lip targets are scaled by
    /// clamp(1 + gain · (vowel dB − median dB) / 10, range). No effect without audio.
    public var loudnessJawGain: Double = 0.15
    public var loudnessJawRange: ClosedRange<Double> = 0.8...1.2

    // MARK: Hard targets

    /// The lips seal this long before the acoustic start of p b m (and f v make contact): less than
    /// `visualLead`, because the acoustic closure *is* the moment the lips meet; the movement toward
    /// it starts `closureRampIn` earlier still.
    public var closureLead: Double = 0.02
    /// p b: lips closed until this fraction of the segment (the burst).
    public var stopReleaseFraction: Double = 0.7
    /// m: lips closed until this fraction of the segment.
    public var nasalReleaseFraction: Double = 0.75
    /// Closure is held at least this long after the acoustic start (s), so that with `closureLead` a
    /// frame at 30 fps always lands in it.
    public var minimumClosureHold: Double = 0.045
    /// Ramps into and out of closure / contact (s).
    public var closureRampIn: Double = 0.03
    public var closureRampOut: Double = 0.035
    /// mouthClose = ratio · jawOpen during closure. On the default head mouthClose undoes ~92 % of
    /// jawOpen's lower-lip drop, so a ratio a little above 1 seals the lips at any jaw opening.
    public var mouthCloseRatio: Double = 1.12
    /// f v: lower lip on the teeth from (start − closureLead) until this fraction of the segment.
    public var labiodentalReleaseFraction: Double = 0.8
    /// Jaw articulator held at most at this value during labiodental contact.
    public var labiodentalJaw: Double = 0.12

    // MARK: Mapping to ARKit

    public var gains = ArticulationGains()

    /// Per-phone articulatory targets and dominances (lower-case ARPAbet, `pau` included).
    public var phoneTargets: [String: PhoneTarget] = PhoneTarget.defaults

    // MARK: Silence and listening

    /// Jaw articulator at rest in silence (a relaxed, barely parted jaw).
    public var restJaw: Double = 0.03
    /// Peak amplitude of the slow jaw variation in silence (articulator units) and its frequency
    /// band (Hz): slow enough never to read as mouth movement.
    public var idleJawVariation: Double = 0.012
    public var idleJawFrequency: ClosedRange<Double> = 0.05...0.25

    // MARK: Emotion

    public var emotion = EmotionSettings()

    // MARK: Blinks, gaze, head

    public var blinks = BlinkSettings()
    public var gaze = GazeSettings()
    public var head = HeadMotionSettings()

    public init() {}

    /// The defaults of version 1.
    public static let standard = TeacherConfiguration()
}

/// Gains from articulators (0…1) to ARKit weights.
public struct ArticulationGains: Codable, Sendable, Equatable {
    /// jawOpen at jaw articulator 1 (the most open vowel, aa, spoken at a normal rate).
    public var jawOpen: Double = 0.62
    /// mouthPucker / mouthFunnel at full rounding / protrusion.
    public var pucker: Double = 0.75
    public var funnel: Double = 0.5
    /// mouthStretchLeft/Right and mouthSmileLeft/Right at full spreading.
    public var stretch: Double = 0.3
    public var smile: Double = 0.12
    /// mouthLowerDownLeft/Right and mouthUpperUpLeft/Right at full lip opening (open vowels).
    public var lowerDown: Double = 0.35
    public var upperUp: Double = 0.25
    /// tongueOut for a dental at full strength (the tip just shows between the teeth).
    public var tongueOut: Double = 0.16
    /// mouthRollLower and mouthUpperUpLeft/Right at full labiodental contact.
    public var labiodentalRollLower: Double = 0.6
    public var labiodentalUpperUp: Double = 0.15
    /// mouthPressLeft/Right during a p/b closure (the lips pressed before the burst).
    public var stopPress: Double = 0.25
    /// Lip-corner pulls (smile, dimple, stretch — speech or emotion) shrink by this fraction at full
    /// rounding, so a happy uw still reads as rounded.
    public var roundingSuppressesCorners: Double = 0.65
    /// Left/right amplitude asymmetry drawn per clip, up to this fraction.
    public var asymmetry: Double = 0.06

    public init() {}
}

/// Emotion overlay settings: FACS-based ARKit patterns per label, scaled by intensity.
public struct EmotionSettings: Codable, Sendable, Equatable {
    /// ARKit weights at intensity 1 per emotion label (`Emotion.rawValue` → ARKit name → weight).
    /// `neutral` has none. Shapes named `…Left` without their `…Right` partner stay one-sided
    /// (contempt); the side is drawn per clip when `mirrorOneSidedRandomly`.
    public var patterns: [String: [String: Double]] = EmotionSettings.defaultPatterns
    /// Jaw articulator added at intensity 1 (surprise drops the jaw).
    public var jawOffsets: [String: Double] = ["surprised": 0.22, "fearful": 0.08]
    public var mirrorOneSidedRandomly = true
    /// The overlay starts and ends at this fraction of its level and ramps to full over these times.
    public var edgeLevel: Double = 0.35
    public var onsetSeconds: Double = 0.6
    public var offsetSeconds: Double = 0.5
    /// Slow multiplicative variation ±amplitude, frequency band in Hz.
    public var variationAmplitude: Double = 0.18
    public var variationFrequency: ClosedRange<Double> = 0.08...0.4
    /// Arousal per label (0 calm … 1 aroused): scales head motion and nod size.
    public var arousal: [String: Double] = [
        "neutral": 0.35, "happy": 0.65, "sad": 0.15, "angry": 0.9, "surprised": 0.85,
        "fearful": 0.8, "disgusted": 0.5, "contempt": 0.3,
    ]
    /// Head pitch bias at intensity 1 (rad, positive tips the face down): sadness looks down.
    public var headPitchBias: [String: Double] = ["sad": 0.07, "contempt": -0.04, "angry": 0.03]
    /// Gaze pitch bias at intensity 1 (rad, positive looks down).
    public var gazePitchBias: [String: Double] = ["sad": 0.12, "fearful": -0.03]

    public init() {}

    public static let defaultPatterns: [String: [String: Double]] = [
        // AU6 cheek raiser + AU12 lip-corner puller (+ AU7 lid tightening, dimple).
        "happy": ["cheekSquintLeft": 0.55, "cheekSquintRight": 0.55, "mouthSmileLeft": 0.6, "mouthSmileRight": 0.6,
                  "eyeSquintLeft": 0.35, "eyeSquintRight": 0.35, "mouthDimpleLeft": 0.15, "mouthDimpleRight": 0.15],
        // AU1 inner brow raiser + AU4 + AU15 lip-corner depressor + AU17 chin raiser (gaze down: `gazePitchBias`).
        "sad": ["browInnerUp": 0.85, "browDownLeft": 0.12, "browDownRight": 0.12, "mouthFrownLeft": 0.6,
                "mouthFrownRight": 0.6, "mouthShrugLower": 0.25, "eyeSquintLeft": 0.1,
                "eyeSquintRight": 0.1],
        // AU4 brow lowerer + AU5/7 + AU23/24 lip tightener/presser, a little nose wrinkle.
        "angry": ["browDownLeft": 0.75, "browDownRight": 0.75, "eyeSquintLeft": 0.3, "eyeSquintRight": 0.3,
                  "mouthPressLeft": 0.4, "mouthPressRight": 0.4, "noseSneerLeft": 0.2, "noseSneerRight": 0.2,
                  "mouthFrownLeft": 0.15, "mouthFrownRight": 0.15, "jawForward": 0.1],
        // AU1+2 brow raise + AU5 upper lid raise + AU26 jaw drop (jaw in `jawOffsets`).
        "surprised": ["browInnerUp": 0.7, "browOuterUpLeft": 0.7, "browOuterUpRight": 0.7, "eyeWideLeft": 0.7,
                      "eyeWideRight": 0.7],
        // AU1+2+4 brows raised and drawn together + AU5 + AU20 lip stretcher.
        "fearful": ["browInnerUp": 0.75, "browOuterUpLeft": 0.35, "browOuterUpRight": 0.35, "browDownLeft": 0.3,
                    "browDownRight": 0.3, "eyeWideLeft": 0.6, "eyeWideRight": 0.6, "mouthStretchLeft": 0.45,
                    "mouthStretchRight": 0.45],
        // AU9 nose wrinkler + AU10 upper-lip raiser + AU4 + AU15/17.
        "disgusted": ["noseSneerLeft": 0.7, "noseSneerRight": 0.7, "mouthUpperUpLeft": 0.45, "mouthUpperUpRight": 0.45,
                      "browDownLeft": 0.4, "browDownRight": 0.4, "eyeSquintLeft": 0.3, "eyeSquintRight": 0.3,
                      "cheekSquintLeft": 0.25, "cheekSquintRight": 0.25, "mouthFrownLeft": 0.2, "mouthFrownRight": 0.2,
                      "mouthShrugLower": 0.2],
        // AU14 unilateral dimpler / lip-corner tightener, one side only, a slight squint.
        "contempt": ["mouthDimpleLeft": 0.6, "mouthSmileLeft": 0.45, "mouthLeft": 0.12, "eyeSquintLeft": 0.12,
                     "eyeSquintRight": 0.08, "browDownRight": 0.1],
    ]
}

/// Spontaneous and boundary blinks.
public struct BlinkSettings: Codable, Sendable, Equatable {
    /// Blinks per minute, drawn uniformly per clip from this range.
    public var ratePerMinute: ClosedRange<Double> = 12...18
    /// Shortest interval between two blinks (s).
    public var minimumInterval: Double = 0.8
    /// Blink durations (s): drawn around `typicalDuration` (log-normal, σ below) and clamped.
    public var duration: ClosedRange<Double> = 0.1...0.4
    public var typicalDuration: Double = 0.18
    public var durationLogSigma: Double = 0.3
    /// A blink within this distance (s) of a phrase boundary (a pause after speech) moves to it.
    public var boundaryAttraction: Double = 0.9
    /// Pauses at least this long (s) count as phrase boundaries.
    public var boundaryMinimumPause: Double = 0.12
    /// Peak closure drawn from this range; a small left/right difference.
    public var peak: ClosedRange<Double> = 0.9...1.0
    public var sideDifference: Double = 0.04
    /// Fractions of the blink spent closing and held closed (the rest opens, more slowly).
    public var closingFraction: Double = 0.3
    public var holdFraction: Double = 0.1

    public init() {}
}

/// Eye movements: fixations separated by fast saccades, plus fixational drift.
public struct GazeSettings: Codable, Sendable, Equatable {
    /// Fixation durations (s) while speaking and while listening.
    public var speakingFixation: ClosedRange<Double> = 0.4...1.8
    public var listeningFixation: ClosedRange<Double> = 0.8...3.0
    /// Targets: normal around the centre with these standard deviations (rad), clamped at 2σ.
    public var yawSpread: Double = 0.09
    public var pitchSpread: Double = 0.05
    /// Speakers look away more; listeners look at the other person (the centre).
    public var listeningSpreadScale: Double = 0.6
    /// Saccade duration (s).
    public var saccadeDuration: Double = 0.04
    /// Fixational drift amplitude (rad).
    public var drift: Double = 0.006
    /// Eyeball rotation at eyeLook* weight 1 on the default head (rad): in/out, up, down.
    public var lookInOutAngle: Double = 0.45
    public var lookUpAngle: Double = 0.36
    public var lookDownAngle: Double = 0.40

    public init() {}
}

/// Head motion: prosody-driven nods, low-frequency tilt and drift.
public struct HeadMotionSettings: Codable, Sendable, Equatable {
    /// Nod amplitude (rad of pitch, face tipping down) at arousal 1 for the loudest vowel; nods go on
    /// vowels whose RMS (dB) is within `nodLoudnessWindow` of the clip's loudest vowel, at least
    /// `nodMinimumInterval` apart. Shape: a smooth bump of `nodDuration`, peaking `nodPeakDelay` after
    /// the vowel starts.
    public var nodAmplitude: Double = 0.06
    public var nodMinimumAmplitude: Double = 0.012
    public var nodLoudnessWindow: Double = 6
    public var nodMinimumInterval: Double = 0.45
    public var nodDuration: Double = 0.42
    public var nodPeakDelay: Double = 0.08
    /// Drift amplitudes (rad) at arousal 1 while speaking; frequency band (Hz).
    public var driftYaw: Double = 0.07
    public var driftPitch: Double = 0.04
    public var driftRoll: Double = 0.035
    public var driftFrequency: ClosedRange<Double> = 0.05...0.5
    /// Arousal floor: even a calm speaker moves this fraction of the full amplitudes.
    public var arousalFloor: Double = 0.35
    /// While listening the drift shrinks to this fraction; small backchannel nods per minute.
    public var listeningScale: Double = 0.45
    public var listeningNodsPerMinute: Double = 3
    /// Translation following rotation (m per rad) — the neck pivot is below the head.
    public var translationPerRadian: Double = 0.06

    public init() {}
}
