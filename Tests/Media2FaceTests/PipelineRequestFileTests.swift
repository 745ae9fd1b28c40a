import Foundation
import M2FDataset
import M2FFace
import Media2Face
import Testing

/// Keyframe and style-timeline files: what they parse into, and errors that name file, line and field.
struct PipelineRequestFileTests {
    static func keyframes(_ text: String) throws(RequestFileError) -> KeyframeFile {
        try KeyframeFile.parse(Data(text.utf8), file: "k.json")
    }

    static func timeline(_ text: String) throws(RequestFileError) -> StyleTimelineFile {
        try StyleTimelineFile.parse(Data(text.utf8), file: "t.json")
    }

    /// The error a parse throws (fails the test when it does not throw).
    static func error(_ body: () throws -> Void) -> RequestFileError? {
        do { try body(); Issue.record("expected an error"); return nil } catch {
            guard let typed = error as? RequestFileError else { Issue.record("unexpected error type: \(error)"); return nil }
            return typed
        }
    }

    @Test func keyframesOfEveryKind() throws {
        let file = try Self.keyframes("""
            {"fps": 25, "keyframes": [
              {"time": 1.25, "weights": {"jawOpen": 0.4, "MouthSmileLeft": 0.8}},
              {"frame": 50, "weights": \(Array(repeating: "0.1", count: 52))},
              {"start": 0.5, "end": 0.6, "weights": {"mouthClose": 0}}
            ]}
            """.replacingOccurrences(of: "\"0.1\"", with: "0.1"))
        #expect(file.entries.count == 3)
        #expect(file.entries[0].timing == .at(1.25))
        #expect(file.entries[0].channels == [ARKitBlendshape.jawOpen.index: 0.4, ARKitBlendshape.mouthSmileLeft.index: 0.8])
        #expect(file.entries[0].line == 2)
        #expect(file.entries[1].timing == .at(2.0))  // frame 50 at 25 fps
        #expect(file.entries[1].channels.count == 52)
        #expect(file.entries[2].timing == .range(start: 0.5, end: 0.6))
        // At 30 fps the range 0.5 … 0.6 s holds frames 15, 16, 17, 18.
        let resolved = try file.keyframes(duration: 3, fps: 30)
        #expect(resolved.count == 2 + 4)
        #expect(resolved[2...].map { ($0.time * 30).rounded() } == [15, 16, 17, 18])
    }

    @Test func openRangeRunsToTheLastFrameAndABareArrayIsAccepted() throws {
        let file = try Self.keyframes(#"[{"start": 0, "weights": {"mouthClose": 0}}]"#)
        let resolved = try file.keyframes(duration: 1.0, fps: 30)
        #expect(resolved.count == 30)  // frames 0 … 29 of a 1 s clip
        #expect(resolved.last!.time < 1.0)
    }

    @Test func keyframeErrorsNameLineAndField() {
        let cases: [(String, Int, String, String)] = [
            ("{\"keyframes\": [\n {\"time\": 1, \"weights\": {\"jawOpn\": 0.5}}]}", 2, "keyframes[0].weights.jawOpn", "did you mean jawOpen"),
            ("{\"keyframes\": [\n {\"time\": 1,\n  \"weights\": {\"jawOpen\": 1.5}}]}", 3, "keyframes[0].weights.jawOpen", "out of range"),
            ("{\"keyframes\": [\n {\"time\": -1, \"weights\": {\"jawOpen\": 1}}]}", 2, "keyframes[0].time", "out of range"),
            ("{\"keyframes\": [\n {\"weights\": {\"jawOpen\": 1}}]}", 2, "keyframes[0]", "exactly one of"),
            ("{\"keyframes\": [\n {\"time\": 1}]}", 2, "keyframes[0].weights", "missing"),
            ("{\"keyframes\": [\n {\"time\": 1, \"weights\": [0, 1]}]}", 2, "keyframes[0].weights", "all 52"),
            ("{\"keyframes\": [\n {\"tme\": 1, \"weights\": {}}]}", 2, "keyframes[0].tme", "unknown field"),
            ("{\"keyframes\": [\n {\"time\": \"1\", \"weights\": {\"jawOpen\": 1}}]}", 2, "keyframes[0].time", "expected a number"),
            ("{\"frames\": []}", 1, "frames", "unknown field"),
            ("{\"keyframes\": [\n {\"start\": 2, \"end\": 1, \"weights\": {\"jawOpen\": 1}}]}", 2, "keyframes[0].end", "after start"),
        ]
        for (text, line, field, message) in cases {
            guard let error = Self.error({ _ = try Self.keyframes(text) }) else { continue }
            guard case let .field(file, errorLine, errorField, problem) = error else {
                Issue.record("expected a field error for \(text), got \(error)"); continue
            }
            #expect(file == "k.json")
            #expect(errorLine == line, "\(field)")
            #expect(errorField == field)
            #expect(problem.contains(message), "\(problem)")
            #expect(error.localizedDescription.hasPrefix("k.json:\(line): \(field): "))
        }
    }

    /// The error points to the document that lists the 52 names, and that document lists them.
    @Test func unknownNamePointsToTheDocumentWithTheNames() throws {
        let error = Self.error { _ = try Self.keyframes("{\"keyframes\": [{\"time\": 1, \"weights\": {\"smile\": 0.5}}]}") }
        let message = try #require(error).localizedDescription
        #expect(message.contains("the 52 names are in docs/FORMATS.md"), "\(message)")
        let formats = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("docs/FORMATS.md")
        let text = try String(contentsOf: formats, encoding: .utf8)
        let listed = Set(text.split { !$0.isLetter }.map(String.init))
        #expect(ARKit.names.allSatisfy(listed.contains), "missing: \(ARKit.names.filter { !listed.contains($0) })")
    }

    @Test func malformedJSONReportsTheLine() {
        let error = Self.error { _ = try Self.keyframes("{\"keyframes\": [\n  {\"time\": 1,,\n}]}") }
        guard case let .syntax(file, line, _) = error else { Issue.record("expected a syntax error, got \(String(describing: error))"); return }
        #expect(file == "k.json" && line == 2)
        #expect(Self.error { _ = try Self.keyframes("   \n ") } == .empty(file: "k.json"))
        let unterminated = Self.error { _ = try Self.keyframes("{\"keyframes\": [\n") }
        #expect(unterminated?.localizedDescription.contains("k.json:2: invalid JSON") == true)
    }

    @Test func keyframePastTheEndOfTheAudio() throws {
        let file = try Self.keyframes("{\"keyframes\": [\n{\"time\": 0.5, \"weights\": {\"jawOpen\": 1}},\n{\"time\": 9, \"weights\": {\"jawOpen\": 1}}]}")
        let error = Self.error { _ = try file.keyframes(duration: 3, fps: 30) }
        guard case let .field(_, line, field, problem) = error else { Issue.record("expected a field error"); return }
        #expect(line == 3 && field == "time" && problem.contains("after the end of the audio"))
    }

    @Test func missingFileIsUnreadable() {
        let error = Self.error { _ = try KeyframeFile.read(URL(fileURLWithPath: "/nonexistent/k.json")) }
        #expect(error == .unreadable(file: "/nonexistent/k.json", problem: "no such file"))
    }

    @Test func timelineOfEveryKind() throws {
        let file = try Self.timeline("""
            {"segments": [
              {"start": 0, "end": 4, "text": "calm and friendly"},
              {"start": 4, "end": 8, "emotion": "Happy", "intensity": 0.8, "fade": 1},
              {"start": 8, "end": 9, "emotion": "sad"}
            ]}
            """)
        #expect(file.segments == [
            StyleSegmentSpecification(start: 0, end: 4, fade: 0.5, style: .text("calm and friendly"), line: 2),
            StyleSegmentSpecification(start: 4, end: 8, fade: 1, style: .emotion(.happy, intensity: 0.8), line: 3),
            StyleSegmentSpecification(start: 8, end: 9, fade: 0.5, style: .emotion(.sad, intensity: 1), line: 4),
        ])
        #expect(throws: Never.self) { try file.validate(duration: 9) }
        #expect(throws: RequestFileError.self) { try file.validate(duration: 7.5) }
    }

    @Test func timelineErrorsNameLineAndField() {
        let cases: [(String, Int, String, String)] = [
            ("{\"segments\": [\n{\"start\": 0, \"end\": 1, \"emotion\": \"elated\"}]}", 2, "segments[0].emotion", "neutral, happy, sad"),
            ("{\"segments\": [\n{\"start\": 0, \"end\": 1}]}", 2, "segments[0]", "no style"),
            ("{\"segments\": [\n{\"start\": 0, \"end\": 1, \"text\": \"a\", \"emotion\": \"sad\"}]}", 2, "segments[0]", "only one"),
            ("{\"segments\": [\n{\"start\": 3, \"end\": 1, \"text\": \"a\"}]}", 2, "segments[0].end", "after start"),
            ("{\"segments\": [\n{\"start\": 0, \"end\": 1, \"emotion\": \"sad\",\n \"intensity\": 2}]}", 3, "segments[0].intensity", "out of range"),
            ("{\"segments\": [\n{\"end\": 1, \"text\": \"a\"}]}", 2, "segments[0].start", "missing"),
            ("{\"segments\": [\n{\"start\": 0, \"end\": 1, \"image\": \"missing.png\"}]}", 2, "segments[0].image", "does not exist"),
            ("{\"segments\": []}", 1, "segments", "empty"),
            ("{\"segments\": [\n{\"start\": 0, \"end\": 1, \"text\": \"  \"}]}", 2, "segments[0].text", "empty"),
        ]
        for (text, line, field, message) in cases {
            guard let error = Self.error({ _ = try Self.timeline(text) }) else { continue }
            guard case let .field(file, errorLine, errorField, problem) = error else {
                Issue.record("expected a field error for \(text), got \(error)"); continue
            }
            #expect(file == "t.json")
            #expect(errorLine == line, "\(field)")
            #expect(errorField == field)
            #expect(problem.contains(message), "\(problem)")
        }
    }
}
