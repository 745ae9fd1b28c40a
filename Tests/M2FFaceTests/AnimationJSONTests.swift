import Foundation
import Testing
import M2FFace

@Suite struct AnimationJSONTests {
    @Test func roundTripIsLossless() throws {
        var animation = makeAnimation(frames: 50)
        animation.metadata = ["prompt": "a \"happy\" voice\nline two", "seed": "42", "model": "m2f-0.1"]
        let data = AnimationJSON.serialize(animation)
        let back = try AnimationJSON.parse(data)
        #expect(back.fps == 30)
        #expect(maxDifference(back.weights, animation.weights) <= 1e-6)
        #expect(maxDifference(back.headPose.flatMap(\.values), animation.headPose.flatMap(\.values)) <= 1e-6)
        #expect(maxDifference(back.eyePose!.flatMap(\.values), animation.eyePose!.flatMap(\.values)) <= 1e-6)
        #expect(back.metadata == animation.metadata)
        #expect(back == animation)
    }

    @Test func headerMatchesTheDocumentedShape() throws {
        let data = AnimationJSON.serialize(makeAnimation(frames: 2, eyes: false))
        let root = try JSONValue.parse(data, file: "t")
        #expect(root["version"] == .number(1))
        #expect(root["blendshapes"]?.arrayValue?.count == 52)
        #expect(root["frames"]?.arrayValue?.first?.arrayValue?.count == 52)
        #expect(root["headPose"]?.arrayValue?.first?.arrayValue?.count == 6)
        #expect(root["eyePose"] == nil)
    }

    @Test func subsetOfNamesAndNumericMetadata() throws {
        let text = #"{"version":1,"fps":25,"blendshapes":["jawOpen","eyeBlinkLeft"],"frames":[[0.5,1],[0.25,0]],"metadata":{"seed":7}}"#
        let animation = try AnimationJSON.parse(Data(text.utf8))
        #expect(animation.fps == 25)
        #expect(animation.frameCount == 2)
        #expect(animation[0, .jawOpen] == 0.5 && animation[0, .eyeBlinkLeft] == 1 && animation[1, .mouthClose] == 0)
        #expect(animation.metadata["seed"] == "7")
        #expect(animation.headPose[1] == .identity)
    }

    @Test func errorsNameTheProblem() {
        func problem(_ text: String) -> String {
            do { _ = try AnimationJSON.parse(Data(text.utf8), file: "a.json"); return "" } catch { return error.localizedDescription }
        }
        #expect(problem(#"{"version":2,"fps":30}"#).contains("version 2"))
        #expect(problem(#"{"version":1,"fps":30,"blendshapes":["jawOpen","smile"],"frames":[]}"#).contains("not an ARKit name"))
        #expect(problem(#"{"version":1,"fps":30,"blendshapes":["jawOpen"],"frames":[[1,2]]}"#).contains("frames[0]"))
        #expect(problem("{\n\"version\":1,\n\"fps\": 30,,\n}").contains("a.json:3"))
        #expect(problem("").contains("empty"))
    }
}
