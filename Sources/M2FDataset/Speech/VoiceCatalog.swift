import Foundation

/// Which part of M2F-D a voice, a sentence or a clip belongs to.
public enum CorpusSplit: String, Codable, Sendable, CaseIterable, Comparable {
    case train, val, test

    /// The stricter of two splits (test > val > train): a clip is held out when its voice or its
    /// sentence is, so training never sees a held-out voice or sentence.
    public static func combined(_ a: CorpusSplit, _ b: CorpusSplit) -> CorpusSplit { max(a, b) }

    private var order: Int { self == .train ? 0 : self == .val ? 1 : 2 }
    public static func < (lhs: CorpusSplit, rhs: CorpusSplit) -> Bool { lhs.order < rhs.order }
}

/// A voice of the catalog: which engine speaks it and its settings.
public enum CatalogVoice: Codable, Sendable, Hashable {
    case flite(FliteVoice)
    case espeak(EspeakVoice)

    public var voiceID: String {
        switch self {
        case let .flite(voice): return voice.voiceID
        case let .espeak(voice): return voice.voiceID
        }
    }

    /// The synthesiser for this voice.
    public var synthesizer: any SpeechSynthesizing {
        switch self {
        case let .flite(voice): return voice
        case let .espeak(voice): return voice
        }
    }

    /// The engine's name (`flite`, `espeak-ng`).
    public var engine: String {
        switch self {
        case .flite: return "flite"
        case .espeak: return "espeak-ng"
        }
    }
}

/// One catalog entry: a voice, its split and a description of how it sounds.
public struct VoiceEntry: Codable, Sendable, Hashable {
    public var voice: CatalogVoice
    public var split: CorpusSplit
    /// `male` or `female` (as the voice sounds).
    public var gender: String
    /// Accent in words (`American`, `Scottish`).
    public var accent: String

    public var voiceID: String { voice.voiceID }
}

/// The voices of M2F-D: 5 flite voices and 10 eSpeak NG variants, with the held-out ones marked.
///
/// Held out: `flite-rms` and `espeak-en-029-f4` are test voices, `espeak-en-us-nyc-m2` is the validation
/// voice; every other voice is for training. Voice ids are stable: they name clips in manifests.
/// (Festival is not used: Debian ships it without any voice, each run costs ~2 s of start-up, and its
/// CMU voices are the same kal/awb/rms/slt that flite already provides.)
public struct VoiceCatalog: Sendable {
    public var entries: [VoiceEntry]

    public init(entries: [VoiceEntry]) { self.entries = entries }

    public static let standard = VoiceCatalog(entries: [
        .init(voice: .flite(.kal), split: .train, gender: "male", accent: "American"),
        .init(voice: .flite(.kal16), split: .train, gender: "male", accent: "American"),
        .init(voice: .flite(.awb), split: .train, gender: "male", accent: "Scottish"),
        .init(voice: .flite(.rms), split: .test, gender: "male", accent: "American"),
        .init(voice: .flite(.slt), split: .train, gender: "female", accent: "American"),
        espeak("espeak-en-us", "en-us", .train, "male", "American"),
        espeak("espeak-en-us-f3", "en-us+f3", .train, "female", "American", pitch: 55, wordsPerMinute: 170),
        espeak("espeak-en-us-m7-slow", "en-us+m7", .train, "male", "American", pitch: 40, wordsPerMinute: 145),
        espeak("espeak-en-us-f2-fast", "en-us+f2", .train, "female", "American", pitch: 60, wordsPerMinute: 205),
        espeak("espeak-en-gb-m3", "en+m3", .train, "male", "British", pitch: 45, wordsPerMinute: 165),
        espeak("espeak-en-gb-f5", "en+f5", .train, "female", "British"),
        espeak("espeak-en-gb-scotland-m1", "en-gb-scotland+m1", .train, "male", "Scottish", pitch: 45, wordsPerMinute: 170),
        espeak("espeak-en-gb-x-rp-f1", "en-gb-x-rp+f1", .train, "female", "British (RP)", wordsPerMinute: 160),
        espeak("espeak-en-029-f4", "en-029+f4", .test, "female", "Caribbean", pitch: 55, wordsPerMinute: 180),
        espeak("espeak-en-us-nyc-m2", "en-us-nyc+m2", .val, "male", "New York", wordsPerMinute: 190),
    ])

    private static func espeak(
        _ id: String, _ name: String, _ split: CorpusSplit, _ gender: String, _ accent: String,
        pitch: Int = 50, wordsPerMinute: Int = 175
    ) -> VoiceEntry {
        VoiceEntry(voice: .espeak(EspeakVoice(voiceID: id, voiceName: name, wordsPerMinute: wordsPerMinute, pitch: pitch)),
                   split: split, gender: gender, accent: accent)
    }

    /// The entry with `voiceID`, or `unknownVoice`.
    public func entry(_ voiceID: String) throws(SpeechError) -> VoiceEntry {
        guard let entry = entries.first(where: { $0.voiceID == voiceID }) else {
            throw .unknownVoice(id: voiceID, known: entries.map(\.voiceID))
        }
        return entry
    }

    /// The entries whose split is `split`.
    public func entries(in split: CorpusSplit) -> [VoiceEntry] { entries.filter { $0.split == split } }
}
