/// Shared vocabulary of the dataset side: timed phones, emotions, prosody and a spoken utterance.
///
/// Speech sources (`SpeechSynthesizing`) produce `SpokenUtterance`s; the teacher animator
/// (`TeacherAnimating`) turns their phones into ARKit animation; the store writes both.

import M2FFace

/// One phone with its time span in seconds from the start of the utterance.
/// `phone` is lower-case ARPAbet without the stress digit (`aa`, `p`, `hh`); silence is `pau`.
public struct TimedPhone: Codable, Sendable, Equatable {
    public var phone: String
    public var start: Double
    public var end: Double

    public init(phone: String, start: Double, end: Double) {
        self.phone = phone
        self.start = start
        self.end = end
    }

    public var duration: Double { end - start }
}

/// How a sentence is spoken: multipliers on the voice's own rate and pitch, and a gain.
public struct Prosody: Codable, Sendable, Equatable {
    /// Speaking rate (1 = the voice's default, 1.3 = 30 % faster).
    public var rate: Double
    /// Pitch multiplier (1 = the voice's default).
    public var pitch: Double
    /// Linear gain applied to the samples (1 = unchanged).
    public var volume: Double

    public init(rate: Double = 1, pitch: Double = 1, volume: Double = 1) {
        self.rate = rate
        self.pitch = pitch
        self.volume = volume
    }

    public static let neutral = Prosody()
}

/// Synthesised or recorded speech with its phone timings.
public struct SpokenUtterance: Sendable, Equatable {
    /// Mono samples at `sampleRate` (16 kHz everywhere in the dataset).
    public var samples: [Float]
    public var sampleRate: Int
    /// Phones covering the utterance in order, silence included as `pau`.
    public var phones: [TimedPhone]
    public var transcript: String
    /// The stable id of the voice (`flite-slt`, `espeak-en-us-f3-fast`).
    public var voiceID: String

    public init(samples: [Float], sampleRate: Int, phones: [TimedPhone], transcript: String, voiceID: String) {
        self.samples = samples
        self.sampleRate = sampleRate
        self.phones = phones
        self.transcript = transcript
        self.voiceID = voiceID
    }

    public var duration: Double { Double(samples.count) / Double(sampleRate) }
}

/// A speech source: one voice that speaks a sentence and reports when each phone starts and ends.
public protocol SpeechSynthesizing: Sendable {
    var voiceID: String { get }
    func synthesize(_ text: String, prosody: Prosody) throws -> SpokenUtterance
}

/// What the teacher is asked to perform on top of the speech.
public struct TeacherPerformance: Codable, Sendable, Equatable {
    public var emotion: Emotion
    /// 0 (none) … 1 (full).
    public var intensity: Double
    /// Seeds every random choice for the clip (blinks, gaze, head drift, variation).
    public var seed: UInt64

    public init(emotion: Emotion = .neutral, intensity: Double = 0, seed: UInt64 = 0) {
        self.emotion = emotion
        self.intensity = intensity
        self.seed = seed
    }
}

/// Turns timed phones (and the audio, for prosody-driven head motion) into ARKit animation.
public protocol TeacherAnimating: Sendable {
    /// - Parameters:
    ///   - phones: the utterance's phones; times in seconds.
    ///   - samples: the 16 kHz audio, for loudness-driven behaviour (nods, jaw energy).
    ///   - duration: seconds to animate (may exceed the last phone: trailing silence or listening).
    ///   - fps: animation frame rate (30 in M2F-D).
    func animate(phones: [TimedPhone], samples: [Float], sampleRate: Int, duration: Double, fps: Double,
                 performance: TeacherPerformance) -> FaceAnimation
}
