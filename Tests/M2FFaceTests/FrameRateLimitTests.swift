import Foundation
import Testing
import M2FFace

/// Issue 19: frame rates and frame counts from files and options stay in range, with an error naming the
/// file, instead of collapsing a take into one frame, writing garbage timecodes or corrupting the heap.
@Suite struct FrameRateLimitTests {
    func take(frames: Int, timecode: (Int) -> String) -> Data {
        let text = LiveLinkCSV.serialize(makeAnimation(frames: frames, fps: 30))
        var lines = String(decoding: text, as: UTF8.self).split(separator: "\n").map(String.init)
        for i in 1..<lines.count {
            var fields = lines[i].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            fields[0] = timecode(i - 1)
            lines[i] = fields.joined(separator: ",")
        }
        return Data((lines.joined(separator: "\n") + "\n").utf8)
    }

    func parseError(_ data: Data, options: LiveLinkCSV.ReadOptions = .init()) -> FaceError? {
        do { _ = try LiveLinkCSV.parse(data, file: "take.csv", options: options); return nil } catch { return error }
    }

    @Test func equalTimecodesAreAnErrorNotOneFrame() throws {
        let error = parseError(take(frames: 30) { _ in "01:00:00:05.000" })
        guard case let .parse(file, line, problem)? = error else { Issue.record("expected a parse error, got \(String(describing: error))"); return }
        #expect(file == "take.csv" && line == 31 && problem.hasPrefix("all 30 rows have the timecode 01:00:00:05.000"))
        // Advancing timecodes still read as one frame per row.
        #expect(try LiveLinkCSV.parse(take(frames: 30) { String(format: "01:00:00:%02d.000", $0) }, file: "take.csv").frameCount == 30)
    }

    @Test func readerRatesOutOfRange() {
        let data = take(frames: 4) { String(format: "01:00:00:%02d.000", $0) }
        for rate in [0, -30, 1e-308, 1e300, .nan, .infinity] {
            #expect(parseError(data, options: .init(timecodeRate: rate))?.localizedDescription.hasPrefix("take.csv: the timecode rate") == true)
            #expect(parseError(data, options: .init(fps: rate))?.localizedDescription.hasPrefix("take.csv: the frame rate") == true)
        }
    }

    @Test func timecodeSpacingOutOfRange() {
        // Rows 5 s apart (0.2 fps) and rows 1/1000 of a frame apart at 30 (30 000 fps).
        let sparse = parseError(take(frames: 3) { String(format: "01:00:%02d:00.000", 5 * $0) })
        #expect(sparse?.localizedDescription.contains("outside 1 … 1000 fps") == true)
        let dense = parseError(take(frames: 3) { String(format: "01:00:00:00.%03d", $0) }, options: .init(timecodeRate: 30))
        #expect(dense?.localizedDescription.contains("outside 1 … 1000 fps") == true)
        // Hours past 23 are no timecode (and 2^63 hours overflowed the seconds).
        #expect(Timecode("24:00:00:00") == nil && Timecode("9223372036854775807:00:00:00") == nil)
    }

    /// Found by the livelink-csv fuzz target (Fuzz/corpus/livelink-csv/crash-timecode-gap-hours.csv): a 2 KB
    /// take whose timecodes jump two hours became 216 000 interpolated frames (a timeout under the fuzzer).
    @Test func timecodeJumpIsTwoTakes() {
        let error = parseError(take(frames: 4) { $0 == 0 ? "10:00:00:00.000" : String(format: "12:00:00:%02d.000", $0) }, options: .init(timecodeRate: 30))
        guard case let .parse(file, line, problem)? = error else { Issue.record("expected a parse error, got \(String(describing: error))"); return }
        #expect(file == "take.csv" && line == 3 && problem.hasPrefix("Timecode jumps 7200.033"), "\(problem)")
        // A pause of a few seconds is still dropped frames, resampled onto the grid.
        let times = ["01:00:00:00.000", "01:00:00:01.000", "01:00:00:02.000", "01:00:05:02.000", "01:00:05:03.000"]
        let paused = try? LiveLinkCSV.parse(take(frames: 5) { times[$0] }, file: "take.csv", options: .init(timecodeRate: 30))
        #expect(paused?.frameCount == 154 && paused?.fps == 30)
    }

    @Test func resamplingRange() throws {
        let animation = makeAnimation(frames: 30, fps: 30)
        for fps in [0, -1, 1e-308, 1e300, 1e9, .nan] {
            #expect(throws: FaceError.self) { try animation.resampled(to: fps) }
        }
        #expect(try animation.resampled(to: 60).frameCount == 60)
        #expect(try animation.resampled(to: 1000).frameCount == 1000)
        // A long take to a high rate past 24 h at 60 fps.
        let day = FaceAnimation(fps: 1, frameCount: 90_000)
        #expect(throws: FaceError.self) { try day.resampled(to: 60) }
    }

    @Test func jsonFrameRateRange() {
        for fps in ["1e300", "1e-308", "0", "2000"] {
            let text = "{\"version\": 1, \"fps\": \(fps), \"blendshapes\": [\"jawOpen\"], \"frames\": [[0.5]]}"
            #expect(throws: FaceError.self) { try AnimationJSON.parse(Data(text.utf8), file: "a.json") }
        }
    }
}
