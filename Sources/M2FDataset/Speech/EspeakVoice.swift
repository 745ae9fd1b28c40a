import Foundation

/// One eSpeak NG voice (a language/accent plus an optional variant, at its own rate and pitch),
/// synthesised in-process through libespeak-ng with phoneme events for the timings.
///
/// Output: 16 kHz mono (eSpeak's 22 050 Hz resampled), phones in ARPAbet (`EspeakPhonemeMap`).
/// Prosody: `rate` scales words per minute, `pitch` moves eSpeak's 0…100 pitch by 50·log2(pitch)
/// (the pitch table spans about an octave each side of 50), `volume` is a gain on the samples.
public struct EspeakVoice: SpeechSynthesizing, Codable, Hashable {
    public var voiceID: String
    /// `espeak_SetVoiceByName` argument: a voice file and optionally `+variant` (`en-us+f3`).
    public var voiceName: String
    /// Words per minute at prosody rate 1 (eSpeak's default is 175).
    public var wordsPerMinute: Int
    /// eSpeak pitch 0…100 at prosody pitch 1 (50 = the variant's own).
    public var pitch: Int
    /// eSpeak pitch range 0…100 (50 = normal).
    public var pitchRange: Int

    public init(voiceID: String, voiceName: String, wordsPerMinute: Int = 175, pitch: Int = 50, pitchRange: Int = 50) {
        self.voiceID = voiceID
        self.voiceName = voiceName
        self.wordsPerMinute = wordsPerMinute
        self.pitch = pitch
        self.pitchRange = pitchRange
    }

    /// The eSpeak settings for `prosody` on this voice.
    func settings(for prosody: Prosody) -> EspeakEngine.Settings {
        let pitchValue = Double(pitch) + 50 * log2(max(prosody.pitch, 0.05))
        return .init(voiceName: voiceName,
                     wordsPerMinute: Int((Double(wordsPerMinute) * prosody.rate).rounded()),
                     pitch: Int(pitchValue.rounded()), pitchRange: pitchRange)
    }

    public func synthesize(_ text: String, prosody: Prosody) throws -> SpokenUtterance {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard trimmed.contains(where: \.isLetter) else { throw SpeechError.emptyText(voice: voiceID) }
        #if canImport(CEspeakNG)
        let output = try EspeakEngine.shared.synthesize(trimmed, settings: settings(for: prosody))
        guard !output.samples.isEmpty else {
            throw SpeechError.badOutput(engine: "espeak-ng", voice: voiceID, problem: "no audio")
        }
        let rate = Double(output.sampleRate)
        let raw = Self.phones(from: output.events, totalSamples: output.samples.count, sampleRate: rate)
        var samples = SpeechFinishing.resampleToDatasetRate(output.samples, from: output.sampleRate)
        SpeechFinishing.applyGain(&samples, prosody.volume)
        let duration = Double(samples.count) / Double(SpeechFinishing.sampleRate)
        let phones = try SpeechFinishing.tidy(raw, duration: duration, engine: "espeak-ng", voice: voiceID)
        return SpokenUtterance(samples: samples, sampleRate: SpeechFinishing.sampleRate, phones: phones,
                               transcript: trimmed, voiceID: voiceID)
        #else
        throw SpeechError.engineUnavailable(engine: "libespeak-ng", problem: "built without libespeak-ng (Linux only)",
                                            aptPackage: "libespeak-ng-dev")
        #endif
    }

    #if canImport(CEspeakNG)
    /// Phone spans from eSpeak's phoneme-start events: each phone ends where the next event starts, the
    /// last at the end of the audio; multi-phone mnemonics are split (`EspeakPhonemeMap.split`), and
    /// modifiers without a segment extend the phone before them.
    static func phones(from events: [EspeakEngine.PhonemeEvent], totalSamples: Int, sampleRate: Double) -> [TimedPhone] {
        var phones: [TimedPhone] = []
        for (index, event) in events.enumerated() {
            let start = Double(min(event.sample, totalSamples)) / sampleRate
            let nextSample = index + 1 < events.count ? events[index + 1].sample : totalSamples
            let end = Double(min(max(nextSample, event.sample), totalSamples)) / sampleRate
            let names = EspeakPhonemeMap.phones(for: event.mnemonic)
            if names.isEmpty {
                if !phones.isEmpty { phones[phones.count - 1].end = max(phones[phones.count - 1].end, end) }
                continue
            }
            for (name, span) in zip(names, EspeakPhonemeMap.split(start: start, end: end, count: names.count)) {
                phones.append(TimedPhone(phone: name, start: span.0, end: span.1))
            }
        }
        return phones
    }
    #endif
}
