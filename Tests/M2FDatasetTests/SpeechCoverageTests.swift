import Foundation
import M2FDataset
import XCTest

final class SpeechCoverageTests: XCTestCase {
    /// Every ARPAbet phone appears when the corpus is spoken, and nothing outside the inventory does.
    func testCorpusCoversEveryPhone() throws {
        let corpus = try SentenceCorpus.build()
        let full = ProcessInfo.processInfo.environment["M2F_SPEECH_FULL_COVERAGE"] == "1"
        // Every 20th sentence (~350) by default; the whole corpus with M2F_SPEECH_FULL_COVERAGE=1.
        let sentences = full ? corpus.sentences : stride(from: 0, to: corpus.sentences.count, by: 20).map { corpus.sentences[$0] }
        var coverage = PhoneCoverage()
        let voices: [any SpeechSynthesizing] = [EspeakVoice(voiceID: "espeak-en-us", voiceName: "en-us"),
                                                EspeakVoice(voiceID: "espeak-en-gb", voiceName: "en")]
        for (index, sentence) in sentences.enumerated() {
            let utterance = try voices[index % voices.count].synthesize(sentence.text, prosody: .neutral)
            coverage.add(utterance.phones)
        }
        XCTAssertEqual(coverage.missing, [])
        XCTAssertEqual(coverage.unexpected, [])
        XCTAssertEqual(EspeakPhonemeMap.unknownMnemonics, [])
        XCTAssertGreaterThanOrEqual(coverage.minimumCount, full ? 50 : 2)
        if full { print("phone coverage over \(sentences.count) sentences:\n" + coverage.report) }
    }

    func testCoverageCounts() {
        let phones = [TimedPhone(phone: "pau", start: 0, end: 0.1), TimedPhone(phone: "b", start: 0.1, end: 0.15),
                      TimedPhone(phone: "iy", start: 0.15, end: 0.3), TimedPhone(phone: "xx", start: 0.3, end: 0.4)]
        let coverage = PhoneCoverage(phoneSequences: [phones, Array(phones.prefix(2))])
        XCTAssertEqual(coverage.counts["b"], 2)
        XCTAssertEqual(coverage.counts["pau"], 2)
        XCTAssertEqual(coverage.seconds["iy"]!, 0.15, accuracy: 1e-12)
        XCTAssertEqual(coverage.unexpected, ["xx"])
        XCTAssertEqual(coverage.missing.count, PhoneCoverage.inventory.count - 2)
        XCTAssertEqual(coverage.minimumCount, 0)
    }
}
