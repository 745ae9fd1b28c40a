import Foundation
import M2FDataset
import XCTest

final class SpeechClipPlanTests: XCTestCase {
    func testPlansAreDeterministicAndHoldOutVoicesAndSentences() throws {
        let corpus = try SentenceCorpus.build()
        let plans = (0..<3000).map { SpeechClipPlan.draw(index: $0, seed: 42, corpus: corpus) }
        XCTAssertEqual(plans[17], SpeechClipPlan.draw(index: 17, seed: 42, corpus: corpus))
        XCTAssertNotEqual(plans[17], SpeechClipPlan.draw(index: 17, seed: 43, corpus: corpus))
        for plan in plans {
            XCTAssertEqual(plan.split, CorpusSplit.combined(plan.voice.split, plan.sentence.split))
            if plan.voice.split != .train { XCTAssertEqual(plan.sentence.split, plan.voice.split) }
            if plan.split == .train { XCTAssertTrue(plan.voice.split == .train && plan.sentence.split == .train) }
            if plan.emotion == .neutral { XCTAssertEqual(plan.intensity, 0) }
        }
        // No training clip uses a held-out sentence or voice.
        let trainSentences = Set(plans.filter { $0.split == .train }.map(\.sentence.id))
        let heldSentences = Set(plans.filter { $0.split != .train }.map(\.sentence.id)).filter { id in
            CorpusSentence.split(forID: id) != .train
        }
        XCTAssertTrue(trainSentences.isDisjoint(with: heldSentences))
        // Every voice and emotion is drawn; the held-out share is in the expected range.
        XCTAssertEqual(Set(plans.map(\.voice.voiceID)).count, VoiceCatalog.standard.entries.count)
        XCTAssertEqual(Set(plans.map(\.emotion)).count, Emotion.allCases.count)
        let heldOut = Double(plans.filter { $0.split != .train }.count) / Double(plans.count)
        XCTAssertEqual(heldOut, 0.3, accuracy: 0.07)  // 3/15 held-out voices + 10 % of sentences for the rest
    }

    func testPlanSpeaks() throws {
        let corpus = try SentenceCorpus.build(fortunes: .none, grammarCount: 200)
        let plan = SpeechClipPlan.draw(index: 3, seed: 1, corpus: corpus)
        let utterance = try plan.speak()
        XCTAssertEqual(utterance.voiceID, plan.voice.voiceID)
        XCTAssertEqual(utterance.transcript, plan.sentence.text)
        XCTAssertEqual(SpeechChecks.problems(utterance), [])
        let data = try JSONEncoder().encode(plan)
        XCTAssertEqual(try JSONDecoder().decode(SpeechClipPlan.self, from: data), plan)
    }
}
