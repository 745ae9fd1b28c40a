import Foundation
import M2FAudio

/// The steps every speech source shares after synthesis: resample to the dataset rate, apply the gain,
/// and check and tidy the phone timings against the audio.
public enum SpeechFinishing {
    /// The dataset's sample rate (16 kHz mono everywhere in M2F-D).
    public static let sampleRate = 16_000
    /// How far the last phone's end may sit from the end of the audio before the output is rejected.
    public static let endTolerance = 0.05

    private static let resamplers: [Int: Resampler] = [
        8_000: Resampler(from: 8_000, to: sampleRate),
        22_050: Resampler(from: 22_050, to: sampleRate),
        44_100: Resampler(from: 44_100, to: sampleRate),
        48_000: Resampler(from: 48_000, to: sampleRate),
    ]

    /// `samples` at `rate` resampled to 16 kHz (polyphase, as `Resampler`).
    public static func resampleToDatasetRate(_ samples: [Float], from rate: Int) -> [Float] {
        if rate == sampleRate { return samples }
        let resampler = resamplers[rate] ?? Resampler(from: rate, to: sampleRate)
        return resampler(samples)
    }

    /// Multiplies by `gain` and clips to [-1, 1].
    public static func applyGain(_ samples: inout [Float], _ gain: Double) {
        let g = Float(gain)
        if g == 1 { return }
        for i in samples.indices { samples[i] = min(max(samples[i] * g, -1), 1) }
    }

    /// Tidies raw phones against an audio of `duration` seconds: checks order, drops empty spans, merges
    /// neighbouring pauses, fills a leading gap with `pau`, and snaps the last end to the audio's end.
    ///
    /// Throws `badOutput` when there are no phones, times run backwards, or the last end (after clipping a
    /// trailing pause to the audio) is more than `endTolerance` from `duration`.
    public static func tidy(_ raw: [TimedPhone], duration: Double, engine: String, voice: String) throws(SpeechError) -> [TimedPhone] {
        guard !raw.isEmpty else { throw .badOutput(engine: engine, voice: voice, problem: "no phones") }
        var phones: [TimedPhone] = []
        var previousEnd = 0.0
        for phone in raw {
            guard phone.start.isFinite, phone.end.isFinite, phone.end >= phone.start - 1e-9,
                  phone.start >= previousEnd - 1e-6 else {
                throw .badOutput(engine: engine, voice: voice,
                                 problem: "phone \(phone.phone) at \(phone.start)…\(phone.end) s runs backwards")
            }
            previousEnd = phone.end
            if phone.end - phone.start < 1e-6 { continue }
            var phone = phone
            if let last = phones.last, phone.start > last.end + 1e-6 {
                // A gap between phones is silence.
                phones.append(TimedPhone(phone: "pau", start: last.end, end: phone.start))
            } else if phones.isEmpty, phone.start > 1e-6 {
                phones.append(TimedPhone(phone: "pau", start: 0, end: phone.start))
            } else if let last = phones.last {
                phone.start = last.end
            }
            if phone.phone == "pau", phones.last?.phone == "pau" {
                phones[phones.count - 1].end = phone.end
            } else {
                phones.append(phone)
            }
        }
        // Diphone voices (kal, kal16) report the closing pause longer than the audio they write: clip a
        // trailing pause to the audio; spoken phones must still end within the tolerance.
        while let last = phones.last, last.phone == "pau", last.start >= duration - 1e-6 { phones.removeLast() }
        if let last = phones.last, last.phone == "pau", last.end > duration { phones[phones.count - 1].end = duration }
        guard let lastEnd = phones.last?.end else {
            throw .badOutput(engine: engine, voice: voice, problem: "every phone has zero length")
        }
        guard abs(lastEnd - duration) <= endTolerance else {
            throw .badOutput(engine: engine, voice: voice, problem: String(
                format: "the phones end at %.3f s, the audio at %.3f s", lastEnd, duration))
        }
        if lastEnd < duration {
            if phones[phones.count - 1].phone == "pau" || duration - lastEnd < 0.01 {
                phones[phones.count - 1].end = duration
            } else {
                phones.append(TimedPhone(phone: "pau", start: lastEnd, end: duration))
            }
        } else {
            phones[phones.count - 1].end = duration
            if phones[phones.count - 1].duration <= 0 { phones.removeLast() }
        }
        return phones
    }
}
