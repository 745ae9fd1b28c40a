import Foundation
import M2FDataset
import XCTest

final class SpeechConcurrencyTests: XCTestCase {
    /// Builders synthesise on all cores: flite runs in separate processes and libespeak-ng behind one lock,
    /// so concurrent calls must give what sequential calls give: flite bit for bit; eSpeak the same
    /// phones with timings within 20 ms (its wave generator carries pitch-flutter state from one
    /// utterance to the next and draws noise with rand(), so even two sequential calls differ slightly).
    func testConcurrentSynthesisMatchesSequential() throws {
        let voices: [any SpeechSynthesizing] = [FliteVoice.slt, EspeakVoice(voiceID: "espeak-en-us", voiceName: "en-us"),
                                                FliteVoice.kal, EspeakVoice(voiceID: "espeak-en-gb-f5", voiceName: "en+f5")]
        let texts = ["One small step for a man.", "The rain in Spain stays mainly in the plain.",
                     "Would you like a cup of tea?", "Everybody was kung fu fighting."]
        let jobs = (0..<12).map { (voices[$0 % voices.count], texts[$0 % texts.count], Prosody(rate: 1 + 0.05 * Double($0 % 3))) }
        let sequential = try jobs.map { try $0.0.synthesize($0.1, prosody: $0.2) }
        let results = UnsafeResults(count: jobs.count)
        DispatchQueue.concurrentPerform(iterations: jobs.count) { index in
            let job = jobs[index]
            results.set(index, Result { try job.0.synthesize(job.1, prosody: job.2) })
        }
        for index in jobs.indices {
            let concurrent = try results.get(index).get()
            let reference = sequential[index]
            XCTAssertEqual(SpeechChecks.problems(concurrent), [], "job \(index)")
            XCTAssertEqual(concurrent.phones.map(\.phone), reference.phones.map(\.phone), "job \(index) (\(jobs[index].0.voiceID))")
            if jobs[index].0 is FliteVoice {
                XCTAssertEqual(concurrent, reference, "job \(index) (\(jobs[index].0.voiceID))")
            } else {
                XCTAssertEqual(concurrent.duration, reference.duration, accuracy: 0.02, "job \(index)")
                for (a, b) in zip(concurrent.phones, reference.phones) {
                    XCTAssertEqual(a.end, b.end, accuracy: 0.02, "job \(index): \(a.phone)")
                }
            }
        }
    }
}

/// Results written from concurrent workers, one slot each, under a lock.
private final class UnsafeResults: @unchecked Sendable {
    private var slots: [Result<SpokenUtterance, Error>?]
    private let lock = NSLock()
    init(count: Int) { slots = Array(repeating: nil, count: count) }
    func set(_ index: Int, _ value: Result<SpokenUtterance, Error>) { lock.withLock { slots[index] = value } }
    func get(_ index: Int) -> Result<SpokenUtterance, Error> { lock.withLock { slots[index]! } }
}
