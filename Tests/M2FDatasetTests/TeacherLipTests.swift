import Foundation
import M2FDataset
import M2FFace
import Testing

/// Lip shapes of the teacher on realistic flite timings: closure on p b m, jaw opening by vowel height.
@Suite struct TeacherLipTests {
    let animator = TeacherAnimator()

    func animate(_ phones: [TimedPhone], seed: UInt64 = 1, emotion: Emotion = .neutral, intensity: Double = 0) -> FaceAnimation {
        let duration = (phones.last?.end ?? 0) + 0.2
        return animator.animate(phones: phones, samples: [], sampleRate: 16000, duration: duration, fps: 30,
                                performance: TeacherPerformance(emotion: emotion, intensity: intensity, seed: seed))
    }

    @Test func lipsCloseOnBilabials() throws {
        var closed = 0, total = 0
        var misses: [String] = []
        for (i, utterance) in try TeacherTestData.flite().enumerated() {
            // Every emotion, so that overlays (surprise drops the jaw, disgust raises the upper lip) are covered.
            let emotion = Emotion.allCases[i % Emotion.allCases.count]
            let animation = animate(utterance.phones, seed: UInt64(i), emotion: emotion, intensity: 1)
            let result = TeacherChecks.bilabialClosure(animation, phones: utterance.phones)
            closed += result.closed
            total += result.total
            if result.closed < result.total { misses.append("\(utterance.text) (\(emotion)): \(result.closed)/\(result.total)") }
        }
        let rate = Double(closed) / Double(total)
        print("teacher: lips close on \(closed)/\(total) bilabial segments (\(String(format: "%.1f", 100 * rate)) %)")
        #expect(total > 60)
        #expect(rate >= 0.98, "closure rate \(rate); misses: \(misses)")
    }

    @Test func lipsAreOpenOnOpenVowels() throws {
        // The other side of closure: the lips must really part on vowels (gap well above the threshold).
        let geometry = LipGeometry.defaultHead
        var open = 0, total = 0
        for utterance in try TeacherTestData.flite() {
            let animation = animate(utterance.phones)
            for phone in utterance.phones where ["aa", "ae", "ah", "ao", "ay", "aw"].contains(phone.phone) && phone.duration > 0.06 {
                let mid = Int((0.5 * (phone.start + phone.end) * 30).rounded())
                total += 1
                let gap = geometry.gapMillimetres(weights: animation.frame(mid))
                if gap > 4 { open += 1 } else { print("teacher: narrow \(phone.phone) \(phone.start)–\(phone.end) in '\(utterance.text)': \(gap) mm") }
            }
        }
        print("teacher: lips open (> 4 mm) at the middle of \(open)/\(total) open vowels")
        #expect(total > 20)
        #expect(Double(open) / Double(total) > 0.9)
    }

    @Test func jawOpeningFollowsVowelOpenness() throws {
        let lead = animator.configuration.visualLead
        var byVowel: [String: [Double]] = [:], gapByVowel: [String: [Double]] = [:]
        // Flite sentences plus a synthetic minute, for enough tokens of each vowel.
        var inputs = try TeacherTestData.flite().map(\.phones)
        inputs.append(TeacherTestData.syntheticSpeech(seconds: 60, seed: 11))
        for phones in inputs {
            let animation = animate(phones)
            for token in TeacherChecks.vowelMeans(animation, phones: phones, lead: lead) {
                byVowel[token.phone, default: []].append(token.mean)
            }
            for token in TeacherChecks.vowelLipGaps(animation, phones: phones, lead: lead) {
                gapByVowel[token.phone, default: []].append(token.mean)
            }
        }
        let order = ARPAbet.opennessOrder  // aa ae eh ih iy, most open first
        let means = order.map { vowel in byVowel[vowel].map { $0.reduce(0, +) / Double($0.count) } ?? .nan }
        var openness: [Double] = [], opening: [Double] = []
        for (rank, vowel) in order.enumerated() {
            for value in byVowel[vowel] ?? [] {
                openness.append(Double(order.count - rank))
                opening.append(value)
            }
        }
        let r = TeacherChecks.pearson(openness, opening)
        print("teacher: mean jawOpen " + zip(order, means).map { "\($0) \(String(format: "%.3f", $1))" }.joined(separator: ", ")
            + "; correlation with openness r = \(String(format: "%.3f", r)) over \(openness.count) tokens")
        for i in 0..<(means.count - 1) {
            #expect(means[i] > means[i + 1], "\(order[i]) \(means[i]) should open wider than \(order[i + 1]) \(means[i + 1])")
        }
        #expect(r > 0.7)
        // The same on the geometric lip opening (mm) of the default head.
        let gaps = order.map { vowel in gapByVowel[vowel].map { $0.reduce(0, +) / Double($0.count) } ?? .nan }
        let gapR = TeacherChecks.pearson(openness, order.flatMap { gapByVowel[$0] ?? [] })
        print("teacher: mean lip gap " + zip(order, gaps).map { "\($0) \(String(format: "%.1f", $1)) mm" }.joined(separator: ", ")
            + "; correlation with openness r = \(String(format: "%.3f", gapR))")
        #expect(gapR > 0.6)
        #expect(gaps.first! > 2 * gaps.last!)
    }

    @Test func roundingIsAnticipatedAcrossConsonants() {
        // "s t r uw": rounding starts during s t, ~150 ms before the vowel; with "s t r iy" it does not.
        func phones(_ vowel: String) -> [TimedPhone] {
            [TimedPhone(phone: "pau", start: 0, end: 0.4), TimedPhone(phone: "iy", start: 0.4, end: 0.55),
             TimedPhone(phone: "s", start: 0.55, end: 0.65), TimedPhone(phone: "t", start: 0.65, end: 0.71),
             TimedPhone(phone: "r", start: 0.71, end: 0.76), TimedPhone(phone: vowel, start: 0.76, end: 0.95),
             TimedPhone(phone: "pau", start: 0.95, end: 1.4)]
        }
        let rounded = animate(phones("uw")), spread = animate(phones("iy"))
        let frame = Int((0.76 - 0.15) * 30)  // 150 ms before the vowel, inside s
        let difference = rounded[frame, .mouthPucker] - spread[frame, .mouthPucker]
        print("teacher: pucker 150 ms before uw \(rounded[frame, .mouthPucker]) vs before iy \(spread[frame, .mouthPucker])")
        #expect(difference > 0.1)
        // Rounding peaks on the vowel itself.
        let vowelFrame = Int(0.85 * 30)
        #expect(rounded[vowelFrame, .mouthPucker] > rounded[frame, .mouthPucker])
    }

    @Test func fastSpeechReducesOpeningButNotClosure() {
        // The same "b aa" syllables at a normal and a doubled rate.
        func syllables(rate: Double) -> [TimedPhone] {
            var phones = [TimedPhone(phone: "pau", start: 0, end: 0.3)], t = 0.3
            for _ in 0..<8 {
                phones.append(TimedPhone(phone: "b", start: t, end: t + 0.08 / rate)); t += 0.08 / rate
                phones.append(TimedPhone(phone: "aa", start: t, end: t + 0.16 / rate)); t += 0.16 / rate
            }
            phones.append(TimedPhone(phone: "pau", start: t, end: t + 0.3))
            return phones
        }
        let slow = syllables(rate: 1), fast = syllables(rate: 2)
        let slowAnimation = animate(slow), fastAnimation = animate(fast)
        let peak = { (a: FaceAnimation) in (0..<a.frameCount).map { a[$0, .jawOpen] }.max()! }
        print("teacher: peak jawOpen normal rate \(peak(slowAnimation)), double rate \(peak(fastAnimation))")
        #expect(peak(fastAnimation) < 0.9 * peak(slowAnimation))
        let closure = TeacherChecks.bilabialClosure(fastAnimation, phones: fast)
        #expect(closure.closed == closure.total)
    }

    @Test func visualLeadMovesTheMouthEarlier() {
        let phones = [TimedPhone(phone: "pau", start: 0, end: 0.5), TimedPhone(phone: "aa", start: 0.5, end: 0.8),
                      TimedPhone(phone: "pau", start: 0.8, end: 1.5)]
        var lagged = TeacherConfiguration()
        lagged.visualLead = 0
        let withLead = animate(phones)
        let withoutLead = TeacherAnimator(configuration: lagged).animate(
            phones: phones, samples: [], sampleRate: 16000, duration: 1.5, fps: 30, performance: TeacherPerformance())
        // Frame at 0.5 s: the led mouth is further open when the vowel starts.
        #expect(withLead[15, .jawOpen] > withoutLead[15, .jawOpen] + 0.02)
    }
}
