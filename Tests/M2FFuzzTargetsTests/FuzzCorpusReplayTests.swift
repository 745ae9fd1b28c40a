import Foundation
import M2FFuzzTargets
import XCTest

/// Every committed fuzz input (seeds and the crashes found so far, Fuzz/corpus/<target>/) through its
/// target in the ordinary test run: a parser change that breaks one of them fails here without libFuzzer.
final class FuzzCorpusReplayTests: XCTestCase {
    static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fuzz/corpus")

    func testEveryTargetHasSeeds() throws {
        for target in FuzzTarget.allCases {
            XCTAssertGreaterThanOrEqual(try inputs(of: target).count, 2, "Fuzz/corpus/\(target.rawValue) needs seeds (scripts/fuzz/make_seed_corpus.py)")
        }
    }

    func testCorpusReplays() throws {
        var count = 0
        for target in FuzzTarget.allCases {
            for input in try inputs(of: target) {
                target.run(try Data(contentsOf: input))
                count += 1
            }
        }
        XCTAssertGreaterThan(count, 20)
    }

    func inputs(of target: FuzzTarget) throws -> [URL] {
        let folder = Self.corpus.appendingPathComponent(target.rawValue)
        return try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
            .filter { !$0.lastPathComponent.hasPrefix(".") }.sorted { $0.path < $1.path }
    }
}
