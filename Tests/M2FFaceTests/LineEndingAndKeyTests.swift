import Foundation
import Testing
import M2FFace

/// Files from other tools: CR-only CSV line endings (old Mac exports), a UTF-8 byte-order mark, and
/// duplicate JSON keys (an error naming the file and line, not a silent first-value-wins).
@Suite struct LineEndingAndKeyTests {
    @Test func crOnlyCSVReadsLikeLF() throws {
        let animation = makeAnimation(frames: 30, fps: 60)
        let lf = LiveLinkCSV.serialize(animation)
        let cr = Data(lf.map { $0 == 0x0A ? 0x0D : $0 })
        let crlf = Data(String(decoding: lf, as: UTF8.self).replacingOccurrences(of: "\n", with: "\r\n").utf8)
        let expected = try LiveLinkCSV.parse(lf, file: "lf.csv")
        for (name, data) in [("cr.csv", cr), ("crlf.csv", crlf)] {
            let read = try LiveLinkCSV.parse(data, file: name)
            #expect(read.frameCount == 30)
            #expect(read.weights == expected.weights)
        }
    }

    @Test func animationJSONWithABOMReads() throws {
        let data = Data([0xEF, 0xBB, 0xBF]) + AnimationJSON.serialize(makeAnimation(frames: 3, fps: 30))
        #expect(try AnimationJSON.parse(data, file: "bom.json").frameCount == 3)
    }

    @Test func duplicateKeysNameTheFileAndLine() {
        let text = "{\n  \"version\": 1,\n  \"fps\": 30,\n  \"fps\": 60,\n  \"blendshapes\": [], \"frames\": []\n}"
        #expect {
            _ = try AnimationJSON.parse(Data(text.utf8), file: "take.json")
        } throws: { error in
            guard case FaceError.parse(file: "take.json", line: 4, let problem) = error else { return false }
            return problem.contains("duplicate key \"fps\"")
        }
        #expect(throws: FaceError.self) { _ = try JSONValue.parse(Data("{\"a\":1,\"a\":1}".utf8), file: "g.gltf") }
    }
}
