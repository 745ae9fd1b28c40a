import Foundation

/// Phones cleaned up for animation: known spelling, ordered, gaps filled with silence, diphthongs
/// split into their two targets, each with its rate-dependent amplitude factor.
struct PhoneSegment: Sendable {
    /// Canonical ARPAbet (`pau` for silence), or the raw spelling of an unknown phone.
    var phone: String
    var phoneClass: ARPAbet.PhoneClass?
    var start: Double
    var end: Double
    var target: PhoneTarget
    /// Amplitude factor for jaw and lip-shape targets (< 1 in fast speech; loud vowels a little more).
    var reduction: Double

    var duration: Double { end - start }
    var isSilence: Bool { phoneClass == .silence }
    var isVowel: Bool { phoneClass == .vowel || phoneClass == .diphthong }
}

enum PhoneSegments {
    /// Sanitised phones (finite times, end ≥ start, ordered by start) with silence in every gap and
    /// after the last phone up to `duration` (plus a margin, so the edge frames see silence). Unknown
    /// phones keep their spelling and get `unknownPhoneJaw` with `unknownPhoneDominance`.
    static func prepare(_ phones: [TimedPhone], duration: Double, configuration c: TeacherConfiguration) -> [PhoneSegment] {
        let clean = phones
            .filter { $0.start.isFinite && $0.end.isFinite }
            .map { TimedPhone(phone: $0.phone, start: max(0, $0.start), end: max(max(0, $0.start), $0.end)) }
            .sorted { $0.start < $1.start }
        var out: [PhoneSegment] = []
        var cursor = 0.0
        func silence(_ start: Double, _ end: Double) -> PhoneSegment {
            var target = c.phoneTargets["pau"] ?? PhoneTarget(jaw: 0, jawDominance: 0.5, lipDominance: 0.5)
            target.jaw = c.restJaw
            return PhoneSegment(phone: "pau", phoneClass: .silence, start: start, end: end, target: target, reduction: 1)
        }
        for phone in clean {
            let start = max(phone.start, cursor)
            let end = max(phone.end, start)
            if start > cursor + 1e-6 { out.append(silence(cursor, start)) }
            if end <= start { continue }
            let name = ARPAbet.phone(phone.phone)
            let phoneClass = name.flatMap { ARPAbet.classes[$0] }
            if phoneClass == .silence {
                out.append(silence(start, end))
            } else if let name, let target = c.phoneTargets[name] {
                out.append(PhoneSegment(phone: name, phoneClass: phoneClass, start: start, end: end, target: target, reduction: 1))
            } else {
                let target = PhoneTarget(jaw: c.unknownPhoneJaw, jawDominance: c.unknownPhoneDominance,
                                         lipDominance: c.unknownPhoneDominance)
                out.append(PhoneSegment(phone: phone.phone, phoneClass: nil, start: start, end: end, target: target, reduction: 1))
            }
            cursor = end
        }
        let tail = max(duration, cursor) + 1.0
        out.append(silence(cursor, tail))
        applyRateReduction(&out, configuration: c)
        return splitDiphthongs(out, configuration: c)
    }

    /// factor = clamp((local mean phone duration / nominal)^exponent, minimum, 1) over the speech
    /// segments within `reductionNeighbours` on either side (silence excluded).
    static func applyRateReduction(_ segments: inout [PhoneSegment], configuration c: TeacherConfiguration) {
        let speech = segments.indices.filter { !segments[$0].isSilence }
        for (rank, index) in speech.enumerated() {
            let lower = max(0, rank - c.reductionNeighbours), upper = min(speech.count - 1, rank + c.reductionNeighbours)
            var total = 0.0
            for r in lower...upper { total += segments[speech[r]].duration }
            let mean = total / Double(upper - lower + 1)
            let ratio = mean / max(c.nominalPhoneDuration, 1e-6)
            let factor = Foundation.pow(max(ratio, 1e-6), c.reductionExponent)
            segments[index].reduction = min(1, max(c.reductionMinimum, factor))
        }
    }

    /// A diphthong becomes two halves: its own target, then its `glideTo` target (keeping the
    /// diphthong's dominances), so the mouth moves between them within the segment.
    static func splitDiphthongs(_ segments: [PhoneSegment], configuration c: TeacherConfiguration) -> [PhoneSegment] {
        var out: [PhoneSegment] = []
        out.reserveCapacity(segments.count + 8)
        for segment in segments {
            guard let glide = segment.target.glideTo, var second = c.phoneTargets[glide] else {
                out.append(segment)
                continue
            }
            let middle = segment.start + 0.5 * segment.duration
            var first = segment
            first.end = middle
            first.target.glideTo = nil
            second.jawDominance = segment.target.jawDominance
            second.lipDominance = segment.target.lipDominance
            second.glideTo = nil
            var tail = segment
            tail.start = middle
            tail.target = second
            out.append(first)
            out.append(tail)
        }
        return out
    }

    /// Scales vowel amplitudes by loudness relative to the clip's median vowel (`loudnessJawGain`).
    static func applyLoudness(_ segments: inout [PhoneSegment], samples: [Float], sampleRate: Int,
                              configuration c: TeacherConfiguration) {
        guard !samples.isEmpty, sampleRate > 0, c.loudnessJawGain != 0 else { return }
        let vowels = segments.indices.filter { segments[$0].isVowel }
        guard vowels.count >= 2 else { return }
        let loudness = vowels.map { HeadMotion.rmsDecibels(samples, sampleRate: sampleRate, from: segments[$0].start, to: segments[$0].end) }
        let median = loudness.sorted()[loudness.count / 2]
        for (i, index) in vowels.enumerated() where loudness[i] > -99 {
            let factor = 1 + c.loudnessJawGain * (loudness[i] - median) / 10
            segments[index].reduction *= min(c.loudnessJawRange.upperBound, max(c.loudnessJawRange.lowerBound, factor))
        }
    }
}

