import Foundation

/// One eSpeak NG voice (a language/accent plus an optional variant, at its own rate and pitch),
/// synthesised by libespeak-ng in the `m2f-espeak` helper (GPL-3, kept out of `m2f`) with phoneme events for the timings.
///
/// Output: 16 kHz mono (eSpeak's 22 050 Hz resampled), phones in ARPAbet (`EspeakPhonemeMap`).
/// Prosody: `rate` scales words per minute, `pitch` moves eSpeak's 0…100 pitch by 75·log2(pitch)
/// (measured: ±16 on the scale moves the median F0 of en-us by ×1.16 / ×0.87), `volume` is a gain.
/// Not bit-reproducible: libespeak-ng carries pitch-flutter state between utterances and uses `rand()`,
/// so repeating a call gives the same phones with timings a few milliseconds apart.
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
        let pitchValue = Double(pitch) + 75 * log2(max(prosody.pitch, 0.05))
        return .init(voiceName: voiceName,
                     wordsPerMinute: Int((Double(wordsPerMinute) * prosody.rate).rounded()),
                     pitch: Int(pitchValue.rounded()), pitchRange: pitchRange)
    }

    public func synthesize(_ text: String, prosody: Prosody) throws -> SpokenUtterance {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard trimmed.contains(where: \.isLetter) else { throw SpeechError.emptyText(voice: voiceID) }
        let output = try EspeakEngine.shared.synthesize(trimmed, settings: settings(for: prosody))
        guard !output.samples.isEmpty else {
            throw SpeechError.badOutput(engine: "espeak-ng", voice: voiceID, problem: "no audio")
        }
        let rate = Double(output.sampleRate)
        let events = Self.phones(from: output.events, totalSamples: output.samples.count, sampleRate: rate)
        let raw = Self.attachClosures(events, samples: output.samples, sampleRate: rate)
        var samples = SpeechFinishing.resampleToDatasetRate(output.samples, from: output.sampleRate)
        SpeechFinishing.applyGain(&samples, prosody.volume)
        let duration = Double(samples.count) / Double(SpeechFinishing.sampleRate)
        let phones = try SpeechFinishing.tidy(raw, duration: duration, engine: "espeak-ng", voice: voiceID)
        return SpokenUtterance(samples: samples, sampleRate: SpeechFinishing.sampleRate, phones: phones,
                               transcript: trimmed, voiceID: voiceID)
    }

    /// Voiceless stops whose closure eSpeak leaves to the phone before.
    static let closureStops: Set<String> = ["p", "t", "k", "ch"]

    /// eSpeak's event for a voiceless stop (p t k ch) marks the release: the silent closure before it is
    /// counted in the previous phone. Moves each such stop's start back over the quiet run before it (2 ms
    /// frames below 2 % of the loudest frame), at most 100 ms and at most half the previous phone (50 ms
    /// into a pause), so the stop spans closure + release as flite's and CMU's stops do.
    public static func attachClosures(_ phones: [TimedPhone], samples: [Float], sampleRate: Double) -> [TimedPhone] {
        guard phones.count > 1, !samples.isEmpty else { return phones }
        let frame = max(1, Int(0.002 * sampleRate))
        func rms(at time: Double) -> Double {
            let start = max(0, min(samples.count - frame, Int(time * sampleRate)))
            var sum = 0.0
            for i in start..<min(samples.count, start + frame) { sum += Double(samples[i]) * Double(samples[i]) }
            return (sum / Double(frame)).squareRoot()
        }
        var loudest = 0.0
        var t = 0.0
        while t < Double(samples.count) / sampleRate { loudest = max(loudest, rms(at: t)); t += 0.002 }
        let quiet = 0.02 * loudest
        var result = phones
        for index in 1..<result.count where closureStops.contains(result[index].phone) {
            let previous = result[index - 1]
            let limit = previous.phone == "pau" ? min(0.05, previous.duration) : min(0.1, previous.duration / 2)
            var start = result[index].start
            while result[index].start - (start - 0.002) <= limit, rms(at: start - 0.002) < quiet { start -= 0.002 }
            result[index].start = start
            result[index - 1].end = start
        }
        return result
    }

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
                EspeakPhonemeMap.noteUnknown(event.mnemonic)
                if !phones.isEmpty { phones[phones.count - 1].end = max(phones[phones.count - 1].end, end) }
                continue
            }
            for (name, span) in zip(names, EspeakPhonemeMap.split(start: start, end: end, count: names.count)) {
                phones.append(TimedPhone(phone: name, start: span.0, end: span.1))
            }
        }
        return phones
    }
}
