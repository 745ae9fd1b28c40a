import Foundation
import M2FCheckedInput
import M2FFace

/// Which part of the data a clip belongs to. Validation and test hold whole voices and whole
/// sentences that training never sees.
public enum DatasetSplit: String, Codable, Sendable, CaseIterable {
    case train, val, test
}

/// Where a clip came from.
public enum ClipSource: String, Codable, Sendable, CaseIterable {
    case synthetic, livelink, video
}

/// Where in a source video a clip was cut (`import-video`).
public struct ClipOrigin: Codable, Sendable, Equatable {
    /// The video's file name.
    public var file: String
    /// Seconds from the start of the video.
    public var start: Double, end: Double

    public init(file: String, start: Double, end: Double) {
        (self.file, self.start, self.end) = (file, start, end)
    }
}

/// One line of `manifest.jsonl`: a clip's labels and where its arrays live.
///
/// The arrays sit in `shards/<shard>.safetensors` as `<id>.audio` [S], `<id>.weights` [F, 52],
/// `<id>.head_pose` [F, 6] and `<id>.eye_pose` [F, 4].
public struct ClipRecord: Codable, Sendable, Equatable {
    /// Unique within the dataset (`syn-000123`, `ll-<take>`, `vid-<video>-01`).
    public var id: String
    public var source: ClipSource
    /// Speaker or voice id (`flite-slt`, `espeak-en-us-f3`, or the capture's performer).
    public var voice: String
    /// BCP 47 language tag (`en`, `en-US`).
    public var language: String
    /// Seconds (audio length; frames cover the same span).
    public var duration: Double
    public var fps: Double
    /// F, the number of animation frames.
    public var frameCount: Int
    /// S, the number of 16 kHz audio samples.
    public var sampleCount: Int
    public var emotion: Emotion
    /// 0 … 1.
    public var intensity: Double
    /// Short tags (`fast`, `high-pitch`, `listening`, `noise`, `reverb`).
    public var styleTags: [String]
    /// Free text from the labels ("a cheerful woman speaking quickly").
    public var description: String
    public var transcript: String
    /// [[ARPAbet phone without stress digit, start s, end s], …] when known.
    public var phonemes: [TimedPhone]?
    public var split: DatasetSplit
    /// The shard holding the arrays (`shard-00012`).
    public var shard: String
    /// The seed of the clip's random choices (synthetic clips).
    public var seed: UInt64?
    /// The source video and span (`import-video` clips).
    public var origin: ClipOrigin?
    /// How the tracked weights were calibrated (`import-video` clips; `TrackerCalibration` says how to undo it).
    public var calibration: TrackerCalibration?

    public init(id: String, source: ClipSource, voice: String, language: String, duration: Double, fps: Double, frameCount: Int,
                sampleCount: Int, emotion: Emotion, intensity: Double, styleTags: [String], description: String, transcript: String,
                phonemes: [TimedPhone]?, split: DatasetSplit, shard: String, seed: UInt64? = nil) {
        self.id = id
        self.source = source
        self.voice = voice
        self.language = language
        self.duration = duration
        self.fps = fps
        self.frameCount = frameCount
        self.sampleCount = sampleCount
        self.emotion = emotion
        self.intensity = intensity
        self.styleTags = styleTags
        self.description = description
        self.transcript = transcript
        self.phonemes = phonemes
        self.split = split
        self.shard = shard
        self.seed = seed
    }

    enum CodingKeys: String, CodingKey {
        case id, source, voice, language, duration, fps, frameCount, sampleCount, emotion, intensity, styleTags, description
        case transcript, phonemes, split, shard, seed, origin, calibration
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        source = try c.decode(ClipSource.self, forKey: .source)
        voice = try c.decode(String.self, forKey: .voice)
        language = try c.decode(String.self, forKey: .language)
        duration = try c.decode(Double.self, forKey: .duration)
        fps = try c.decode(Double.self, forKey: .fps)
        frameCount = try c.decode(Int.self, forKey: .frameCount)
        sampleCount = try c.decode(Int.self, forKey: .sampleCount)
        emotion = try c.decode(Emotion.self, forKey: .emotion)
        intensity = try c.decode(Double.self, forKey: .intensity)
        styleTags = try c.decodeIfPresent([String].self, forKey: .styleTags) ?? []
        description = try c.decode(String.self, forKey: .description)
        transcript = try c.decodeIfPresent(String.self, forKey: .transcript) ?? ""
        if var list = try? c.nestedUnkeyedContainer(forKey: .phonemes) {
            var phones: [TimedPhone] = []
            while !list.isAtEnd {
                var triple = try list.nestedUnkeyedContainer()
                let phone = try triple.decode(String.self)
                let start = try triple.decode(Double.self)
                let end = try triple.decode(Double.self)
                phones.append(TimedPhone(phone: phone, start: start, end: end))
            }
            phonemes = phones
        } else {
            phonemes = nil
        }
        split = try c.decode(DatasetSplit.self, forKey: .split)
        shard = try c.decode(String.self, forKey: .shard)
        seed = try c.decodeIfPresent(UInt64.self, forKey: .seed)
        origin = try c.decodeIfPresent(ClipOrigin.self, forKey: .origin)
        calibration = try c.decodeIfPresent(TrackerCalibration.self, forKey: .calibration)
        // A manifest line is read from disk: numbers that size arrays or divide must be in range.
        var check = FieldRanges()
        check.require("fps", fps, in: 1...1000)
        check.require("frameCount", frameCount, in: 0...100_000_000)
        check.require("sampleCount", sampleCount, in: 0...(1 << 40))
        check.require("duration", duration, in: 0...1e9)
        check.require("intensity", intensity, in: -1e6...1e6)
        if let problem = check.problem {
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: problem))
        }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(source, forKey: .source)
        try c.encode(voice, forKey: .voice)
        try c.encode(language, forKey: .language)
        try c.encode(duration, forKey: .duration)
        try c.encode(fps, forKey: .fps)
        try c.encode(frameCount, forKey: .frameCount)
        try c.encode(sampleCount, forKey: .sampleCount)
        try c.encode(emotion, forKey: .emotion)
        try c.encode(intensity, forKey: .intensity)
        try c.encode(styleTags, forKey: .styleTags)
        try c.encode(description, forKey: .description)
        try c.encode(transcript, forKey: .transcript)
        if let phonemes {
            var list = c.nestedUnkeyedContainer(forKey: .phonemes)
            for phone in phonemes {
                var triple = list.nestedUnkeyedContainer()
                try triple.encode(phone.phone)
                try triple.encode(phone.start)
                try triple.encode(phone.end)
            }
        }
        try c.encode(split, forKey: .split)
        try c.encode(shard, forKey: .shard)
        try c.encodeIfPresent(seed, forKey: .seed)
        try c.encodeIfPresent(origin, forKey: .origin)
        try c.encodeIfPresent(calibration, forKey: .calibration)
    }

    /// Tensor names of this clip's arrays in its shard.
    public var audioKey: String { "\(id).audio" }
    public var weightsKey: String { "\(id).weights" }
    public var headPoseKey: String { "\(id).head_pose" }
    public var eyePoseKey: String { "\(id).eye_pose" }
}
