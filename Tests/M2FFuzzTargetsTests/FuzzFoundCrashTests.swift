import Foundation
import M2FEngine
import M2FFace
import XCTest

/// One named test per crash the fuzz targets found (the input is committed beside the seeds as
/// Fuzz/corpus/<target>/crash-*, and `FuzzCorpusReplayTests` replays it too). Each asserts the clear
/// error that replaced the trap.
final class FuzzFoundCrashTests: XCTestCase {
    static func corpusFile(_ target: String, _ name: String) -> URL {
        FuzzCorpusReplayTests.corpus.appendingPathComponent(target).appendingPathComponent(name)
    }

    /// animation-json: a \u escape of a high surrogate followed by a \u escape below 0xDC00 trapped on
    /// `low - 0xDC00` (UInt32 underflow) in checked builds and made a wrong scalar in unchecked ones.
    func testUnpairedHighSurrogateIsAnErrorNamingTheLine() throws {
        // The one JSON reader (M2FSystem) refuses half a surrogate pair instead of guessing U+FFFD.
        XCTAssertThrowsError(try JSONValue.parse(Data(#"["\ud800\u0041"]"#.utf8), file: "s.json")) { error in
            XCTAssertEqual(error as? FaceError, .parse(file: "s.json", line: 1, problem: "invalid JSON: a \\u escape is half of a surrogate pair"))
        }
        let value = try JSONValue.parse(Data(#"["\ud83d\ude00"]"#.utf8), file: "s.json")
        XCTAssertEqual(value.arrayValue?.compactMap(\.stringValue), ["😀"])
        let crash = try Data(contentsOf: Self.corpusFile("animation-json", "crash-surrogate-low-underflow.json"))
        XCTAssertThrowsError(try AnimationJSON.parse(crash, file: "crash.json")) { error in
            XCTAssertTrue((error as? FaceError)?.localizedDescription.hasPrefix("crash.json:") == true, "\(error)")
        }
    }

    /// safetensors: a header length past Int.max trapped converting UInt64 → Int before any check.
    func testHeaderLengthPastIntMaxIsAMalformedFile() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("m2f-fuzz-found-\(getpid()).safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        var bytes = Data(repeating: 0xFF, count: 8)
        bytes += Data(#"{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}"#.utf8) + Data(count: 4)
        try bytes.write(to: url)
        XCTAssertThrowsError(try SafeTensorsFile(path: url.path)) { error in
            guard case let EngineError.malformedFile(path, problem)? = error as? EngineError else { return XCTFail("\(error)") }
            XCTAssertEqual(path, url.path)
            XCTAssertTrue(problem.contains("header length"), problem)
        }
        let crash = Self.corpusFile("safetensors", "crash-header-length-over-int-max.safetensors")
        XCTAssertThrowsError(try SafeTensorsFile(path: crash.path))
    }

    /// gltf: an animation whose first and last key times are equal read back at fps = ∞ (and extras.fps
    /// of 0 trapped in FaceAnimation's precondition).
    func testAnimationFrameRateFromAGLBIsInRange() throws {
        let crash = Self.corpusFile("gltf", "crash-animation-times-equal-fps-inf.glb")
        XCTAssertThrowsError(try GLTFAnimationReader.read(contentsOf: crash)) { error in
            XCTAssertTrue((error as? FaceError)?.localizedDescription.contains("frame rate") == true, "\(error)")
        }
    }

    /// gltf: accessors[1].count = -3 trapped building an array of negative size (the accessor checks that
    /// landed for issue 19 refuse it; this input was found again by the fuzzer and is kept as a regression).
    func testAccessorWithNegativeCountIsRefused() throws {
        XCTAssertThrowsError(try GLTFAsset.load(Self.corpusFile("gltf", "crash-accessor-negative-count.glb")).floats(accessor: 1)) { error in
            XCTAssertTrue((error as? FaceError)?.localizedDescription.contains("crash-accessor-negative-count.glb") == true, "\(error)")
        }
    }
}
