import Foundation
import Testing
import M2FFace

@Suite struct LiveLinkCSVTests {
    /// A take as Live Link Face writes it: 60 fps rows, timecodes at 60.
    func sampleTake(frames: Int = 130) -> (FaceAnimation, Data) {
        var animation = makeAnimation(frames: frames, fps: 60)
        animation.metadata = ["timecodeStart": "14:03:59:58.000"]
        return (animation, LiveLinkCSV.serialize(animation))
    }

    @Test func roundTripCSVIsLossless() throws {
        let (animation, data) = sampleTake()
        let back = try LiveLinkCSV.parse(data, file: "take.csv")
        #expect(back.fps == 60)
        #expect(back.frameCount == animation.frameCount)
        #expect(maxDifference(back.weights, animation.weights) <= 1e-6)
        #expect(maxDifference(back.headPose.flatMap(\.values), animation.headPose.flatMap(\.values)) <= 1e-6)
        #expect(maxDifference(back.eyePose!.flatMap(\.values), animation.eyePose!.flatMap(\.values)) <= 1e-6)
        #expect(back.metadata["timecodeStart"] == "14:03:59:58.000")
        // CSV → animation → CSV gives the same text.
        #expect(LiveLinkCSV.serialize(back) == data)
        // CSV → JSON → CSV too.
        let viaJSON = try AnimationJSON.parse(AnimationJSON.serialize(back))
        #expect(LiveLinkCSV.serialize(viaJSON) == data)
    }

    @Test func headerIsLiveLinkOrder() {
        let (_, data) = sampleTake(frames: 1)
        let header = String(decoding: data, as: UTF8.self).split(separator: "\n")[0].split(separator: ",")
        #expect(header.count == 2 + 52 + 9)
        #expect(header[0] == "Timecode" && header[1] == "BlendshapeCount" && header[2] == "EyeBlinkLeft")
        #expect(header[17] == "JawRight" && header[18] == "JawLeft" && header[23] == "MouthRight" && header[24] == "MouthLeft")
        #expect(header[19] == "JawOpen" && header[53] == "TongueOut" && header[54] == "HeadYaw")
    }

    @Test func shuffledColumnsReadByName() throws {
        let (animation, data) = sampleTake(frames: 70)
        let rows = String(decoding: data, as: UTF8.self).split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        var random = TestRandom(seed: 9)
        let order = Array(rows[0].indices).shuffledDeterministic(&random)
        let shuffled = rows.map { row in order.map { String(row[$0]) }.joined(separator: ",") }.joined(separator: "\r\n")
        let back = try LiveLinkCSV.parse(Data(shuffled.utf8))
        #expect(maxDifference(back.weights, animation.weights) <= 1e-6)
        #expect(maxDifference(back.headPose.flatMap(\.values), animation.headPose.flatMap(\.values)) <= 1e-6)
    }

    @Test func missingColumnsAreListed() {
        let (_, data) = sampleTake(frames: 3)
        var lines = String(decoding: data, as: UTF8.self).split(separator: "\n").map { $0.split(separator: ",").map(String.init) }
        let drop = [lines[0].firstIndex(of: "JawOpen")!, lines[0].firstIndex(of: "MouthClose")!].sorted(by: >)
        for i in lines.indices { for d in drop { lines[i].remove(at: d) } }
        let text = lines.map { $0.joined(separator: ",") }.joined(separator: "\n")
        #expect(throws: FaceError.missingColumns(file: "m.csv", names: ["JawOpen", "MouthClose"])) {
            try LiveLinkCSV.parse(Data(text.utf8), file: "m.csv")
        }
    }

    @Test func optionalPoseColumnsMayBeAbsent() throws {
        let header = (["Timecode"] + ARKit.liveLinkOrder.map(\.liveLinkName)).joined(separator: ",")
        let row1 = (["00:00:01:00"] + Array(repeating: "0.5", count: 52)).joined(separator: ",")
        let row2 = (["00:00:01:01"] + Array(repeating: "0.25", count: 52)).joined(separator: ",")
        let animation = try LiveLinkCSV.parse(Data("\(header)\n\(row1)\n\(row2)\n".utf8), options: .init(timecodeRate: 30))
        #expect(animation.fps == 30 && animation.frameCount == 2)
        #expect(animation.eyePose == nil && animation.headPose[1] == .identity)
        #expect(animation[1, .jawOpen] == 0.25)
    }

    @Test func badNumbersReportTheLine() {
        let (_, data) = sampleTake(frames: 5)
        var lines = String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
        var fields = lines[3].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        fields[19] = "0.4x"
        lines[3] = fields.joined(separator: ",")
        #expect(throws: FaceError.parse(file: "b.csv", line: 4, problem: "column JawOpen: '0.4x' is not a finite number")) {
            try LiveLinkCSV.parse(Data(lines.joined(separator: "\n").utf8), file: "b.csv")
        }
        fields[19] = ""
        lines[3] = fields.joined(separator: ",")
        #expect(throws: FaceError.parse(file: "b.csv", line: 4, problem: "missing value in column JawOpen")) {
            try LiveLinkCSV.parse(Data(lines.joined(separator: "\n").utf8), file: "b.csv")
        }
        lines[3] = fields.dropLast(3).joined(separator: ",")
        #expect(throws: FaceError.parse(file: "b.csv", line: 4, problem: "row has 60 fields but the header has 63")) {
            try LiveLinkCSV.parse(Data(lines.joined(separator: "\n").utf8), file: "b.csv")
        }
        var badTime = String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
        badTime[2] = "12:xx" + badTime[2].drop { $0 != "," }
        #expect(throws: FaceError.self) { try LiveLinkCSV.parse(Data(badTime.joined(separator: "\n").utf8), file: "b.csv") }
    }

    @Test func emptyFilesAreReported() {
        #expect(throws: FaceError.emptyFile(file: "e.csv")) { try LiveLinkCSV.parse(Data(), file: "e.csv") }
        #expect(throws: FaceError.emptyFile(file: "e.csv")) { try LiveLinkCSV.parse(Data("\n \n".utf8), file: "e.csv") }
        let header = String(decoding: LiveLinkCSV.serialize(FaceAnimation(fps: 60, frameCount: 0)), as: UTF8.self)
        #expect(throws: FaceError.emptyFile(file: "e.csv")) { try LiveLinkCSV.parse(Data(header.utf8), file: "e.csv") }
    }

    @Test func droppedFramesAreFilledByInterpolation() throws {
        var animation = FaceAnimation(fps: 30, frameCount: 40)
        for f in 0..<40 { animation[f, .jawOpen] = Float(f) / 40 }
        var lines = String(decoding: LiveLinkCSV.serialize(animation), as: UTF8.self).split(separator: "\n").map(String.init)
        lines.remove(at: 11)  // frame 10 is dropped by the recorder
        let back = try LiveLinkCSV.parse(Data(lines.joined(separator: "\n").utf8))
        #expect(back.fps == 30 && back.frameCount == 40)
        #expect(abs(back[10, .jawOpen] - 10 / 40) < 1e-6)
        #expect(back.metadata["resampledFromRows"] == "39")
    }

    @Test func timecodes() {
        let tc = Timecode("01:02:03:04.500")!
        #expect(tc.hours == 1 && tc.minutes == 2 && tc.seconds == 3 && tc.frames == 4.5)
        #expect(tc.description == "01:02:03:04.500")
        #expect(Timecode("01:02:03;04") != nil)
        #expect(Timecode("1:2:3") == nil && Timecode("aa:00:00:00") == nil)
        #expect(Timecode(absoluteFrames: 3600 * 60 + 61, rate: 60).description == "01:00:01:01.000")
    }

    /// Speed is a benchmark's job (`m2f convert` on an hour-long take), not a timed test's: this checks an
    /// hour of rows parses completely and prints the time for the log.
    @Test func hourLongTakeParses() throws {
        let frames = 108_000
        let animation = makeAnimation(frames: frames, fps: 30)
        let data = LiveLinkCSV.serialize(animation)
        let clock = ContinuousClock()
        var parsed: FaceAnimation?
        let elapsed = try clock.measure { parsed = try LiveLinkCSV.parse(data, file: "hour.csv") }
        print("LiveLinkCSV: parsed \(frames) rows (\(data.count / 1_000_000) MB) in \(elapsed)")
        #expect(parsed?.frameCount == frames)
        #expect(parsed?.fps == 30)
    }
}

extension Array {
    /// Fisher–Yates with the test LCG.
    func shuffledDeterministic(_ random: inout TestRandom) -> [Element] {
        var copy = self
        for i in stride(from: copy.count - 1, to: 0, by: -1) {
            let j = Int(random.next() * Float(i + 1)) % (i + 1)
            copy.swapAt(i, j)
        }
        return copy
    }
}
