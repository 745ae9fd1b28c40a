import Foundation
import M2FDataset
import M2FFace
import Testing

/// The teacher on real synthesised speech from every voice of the catalog (flite and espeak-ng
/// timings differ: espeak splits its phoneme events, so bilabials can be very short).
@Suite struct TeacherSpeechTests {
    static let sentences = [
        "Bob bought a map of the moon.",
        "Please pass me the big blue bowl of plums.",
        "Maybe the people upstairs prefer apple pie.",
        "Five brave men moved the heavy piano.",
    ]

    @Test func closureAndRangeOnEveryVoice() throws {
        let animator = TeacherAnimator()
        var closed = 0, total = 0, outOfRange = 0
        var misses: [String] = []
        for (v, entry) in VoiceCatalog.standard.entries.enumerated() {
            let text = Self.sentences[v % Self.sentences.count]
            let emotion = Emotion.allCases[v % Emotion.allCases.count]
            let utterance = try entry.voice.synthesizer.synthesize(text, prosody: EmotionProsody.prosody(for: emotion, intensity: 1))
            let animation = animator.animate(phones: utterance.phones, samples: utterance.samples, sampleRate: utterance.sampleRate,
                                             duration: utterance.duration, fps: 30,
                                             performance: TeacherPerformance(emotion: emotion, intensity: 1, seed: UInt64(v)))
            let result = TeacherChecks.bilabialClosure(animation, phones: utterance.phones)
            closed += result.closed
            total += result.total
            outOfRange += TeacherChecks.outOfRangeCount(animation)
            if result.closed < result.total { misses.append("\(entry.voice.voiceID) '\(text)': \(result.closed)/\(result.total)") }
        }
        let rate = Double(closed) / Double(max(total, 1))
        print("teacher: real voices (\(VoiceCatalog.standard.entries.count)): lips close on \(closed)/\(total) bilabials (\(String(format: "%.1f", 100 * rate)) %)")
        #expect(total >= 3 * VoiceCatalog.standard.entries.count)
        #expect(rate >= 0.98, "misses: \(misses)")
        #expect(outOfRange == 0)
    }
}
