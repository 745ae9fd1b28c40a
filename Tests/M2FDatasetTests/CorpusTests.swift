import Foundation
import XCTest
import M2FDataset
import M2FFace

final class CorpusTests: XCTestCase {
    func testStandardCorpusIsLargeCleanAndDeterministic() throws {
        let corpus = try SentenceCorpus.build()
        XCTAssertGreaterThanOrEqual(corpus.sentences.count, 5_000)
        XCTAssertEqual(Set(corpus.sentences.map(\.id)).count, corpus.sentences.count, "ids are unique")
        XCTAssertGreaterThan(corpus.sentences.filter { $0.source == .fortune }.count, 300)
        for sentence in corpus.sentences {
            let words = sentence.text.split(separator: " ").count
            XCTAssertTrue((3...25).contains(words), sentence.text)
            XCTAssertTrue(sentence.text.allSatisfy { $0.isLetter || " ,.!?;-'".contains($0) }, sentence.text)
            XCTAssertTrue(".!?".contains(sentence.text.last!), sentence.text)
        }
        let again = try SentenceCorpus.build()
        XCTAssertEqual(again.sentences, corpus.sentences)
        XCTAssertEqual(again.fingerprint, corpus.fingerprint)
        XCTAssertTrue(corpus.summary.contains("sentences \(corpus.sentences.count)\n"))
        if ProcessInfo.processInfo.environment["M2F_SPEECH_FULL_COVERAGE"] == "1" { print(corpus.summary) }
        // Each emotion has lines written for it.
        for emotion in Emotion.allCases { XCTAssertGreaterThan(corpus.sentences(for: emotion).count, 100, "\(emotion)") }
    }

    func testGrammarAloneReachesFiveThousand() throws {
        let corpus = try SentenceCorpus.build(fortunes: .none)
        XCTAssertEqual(corpus.sentences.count, 6_000)
        XCTAssertNotEqual(SentenceGrammar.generate(count: 50, seed: 1).map(\.text),
                          SentenceGrammar.generate(count: 50, seed: 2).map(\.text))
    }

    func testMissingFortunesNameThePackage() {
        XCTAssertThrowsError(try SentenceCorpus.build(fortunes: .required(directory: "/nonexistent"))) { error in
            XCTAssertEqual(error as? SpeechError, .corpusSourceMissing(path: "/nonexistent/fortunes", aptPackage: "fortunes-min"))
            XCTAssertTrue((error as? LocalizedError)?.errorDescription?.contains("fortunes-min") ?? false)
        }
    }

    func testSplitsHoldOutAboutFivePercentEachAndAreStable() throws {
        let corpus = try SentenceCorpus.build()
        let n = Double(corpus.sentences.count)
        let val = Double(corpus.sentences(in: .val).count) / n, test = Double(corpus.sentences(in: .test).count) / n
        XCTAssertEqual(val, 0.05, accuracy: 0.015)
        XCTAssertEqual(test, 0.05, accuracy: 0.015)
        // The split hangs on the normalised text only.
        XCTAssertEqual(CorpusSentence(text: "Hello, there!", source: .grammar).id,
                       CorpusSentence(text: "hello there.", source: .fortune).id)
        XCTAssertEqual(CorpusSplit.combined(.train, .test), .test)
        XCTAssertEqual(CorpusSplit.combined(.val, .train), .val)
        XCTAssertEqual(CorpusSplit.combined(.val, .test), .test)
    }

    func testFortuneSplittingAndFilter() {
        let text = "A gift of a flower will soon be made to you.\n%\nMr. Smith is here. Buy the NEGATIVES now!\n"
            + "\t-- Somebody\n%\nNo.\n%\nWhat is 2 plus 2? It is four, my friend.\n"
        XCTAssertEqual(FortuneSentences.extract(text),
                       ["A gift of a flower will soon be made to you.", "Mr. Smith is here.", "It is four, my friend."])
    }

    func testNumberWords() {
        XCTAssertEqual(NumberWords.spell(0), "zero")
        XCTAssertEqual(NumberWords.spell(42), "forty two")
        XCTAssertEqual(NumberWords.spell(342), "three hundred and forty two")
        XCTAssertEqual(NumberWords.spell(4_005), "four thousand and five")
        XCTAssertEqual(NumberWords.spell(12_300), "twelve thousand three hundred")
    }
}
