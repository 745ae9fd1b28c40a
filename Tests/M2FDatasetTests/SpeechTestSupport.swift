import Foundation
import M2FDataset

/// Checks shared by the speech tests: what every synthesised utterance must satisfy.
enum SpeechChecks {
    /// Problems with `utterance` (empty when it is sound): 16 kHz, non-silent, phones ordered, contiguous,
    /// inside the audio, the last one ending at the audio's end (±50 ms), phones in the inventory.
    static func problems(_ utterance: SpokenUtterance) -> [String] {
        var problems: [String] = []
        if utterance.sampleRate != 16_000 { problems.append("sample rate \(utterance.sampleRate)") }
        let rms = sqrt(utterance.samples.reduce(0.0) { $0 + Double($1 * $1) } / Double(max(utterance.samples.count, 1)))
        if rms < 0.01 { problems.append("near-silent audio (RMS \(rms))") }
        if utterance.samples.contains(where: { !$0.isFinite || abs($0) > 1 }) { problems.append("samples outside [-1, 1]") }
        guard let first = utterance.phones.first, let last = utterance.phones.last else {
            return problems + ["no phones"]
        }
        if abs(first.start) > 1e-9 { problems.append("first phone starts at \(first.start)") }
        if abs(last.end - utterance.duration) > 0.05 {
            problems.append("last phone ends at \(last.end), audio lasts \(utterance.duration)")
        }
        for (a, b) in zip(utterance.phones, utterance.phones.dropFirst()) where abs(a.end - b.start) > 1e-6 {
            problems.append("gap or overlap between \(a.phone)@\(a.end) and \(b.phone)@\(b.start)")
        }
        for phone in utterance.phones where phone.end <= phone.start {
            problems.append("empty phone \(phone.phone) at \(phone.start)")
        }
        for phone in utterance.phones where phone.phone != "pau" && !PhoneCoverage.inventory.contains(phone.phone) {
            problems.append("phone \(phone.phone) not ARPAbet")
        }
        return problems
    }

    /// The phones without pauses.
    static func spoken(_ utterance: SpokenUtterance) -> [String] { utterance.phones.map(\.phone).filter { $0 != "pau" } }

    /// RMS of a sample span.
    static func rms(_ samples: ArraySlice<Float>) -> Double {
        sqrt(samples.reduce(0.0) { $0 + Double($1 * $1) } / Double(max(samples.count, 1)))
    }

    /// Median F0 (Hz) of the voiced 40 ms frames: autocorrelation peak between 60 and 400 Hz, frames
    /// quieter than 0.015 RMS or with a peak below 0.4 of the energy skipped.
    static func medianF0(_ utterance: SpokenUtterance) -> Double {
        let rate = utterance.sampleRate, frame = rate / 25
        var estimates: [Double] = []
        var start = 0
        while start + frame <= utterance.samples.count {
            let window = utterance.samples[start..<start + frame].map(Double.init)
            start += frame
            let mean = window.reduce(0, +) / Double(frame)
            let x = window.map { $0 - mean }
            let energy = x.reduce(0) { $0 + $1 * $1 }
            guard (energy / Double(frame)).squareRoot() > 0.015 else { continue }
            var bestLag = 0, best = -Double.infinity
            for lag in (rate / 400)...(rate / 60) {
                var sum = 0.0
                for i in 0..<(frame - lag) { sum += x[i] * x[i + lag] }
                if sum > best { best = sum; bestLag = lag }
            }
            if best > 0.4 * energy { estimates.append(Double(rate) / Double(bestLag)) }
        }
        estimates.sort()
        return estimates.isEmpty ? 0 : estimates[estimates.count / 2]
    }
}
