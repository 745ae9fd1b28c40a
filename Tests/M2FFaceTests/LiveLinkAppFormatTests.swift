import Foundation
import Testing
import M2FFace

/// Our Live Link CSV against a real take from the app (Tests/Fixtures/livelink/SOURCE.md).
@Suite struct LiveLinkAppFormatTests {
    static let takeURL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/livelink/MySlate_1_iPhone_rows.csv")

    /// The take's lines split into fields.
    func takeRows() throws -> [[String]] {
        let text = try String(contentsOf: Self.takeURL, encoding: .utf8)
        return text.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
    }

    /// An animation holding the take's 52 weights per row (read by column name), with no eye pose.
    func takeWeights(_ rows: [[String]]) -> FaceAnimation {
        var animation = FaceAnimation(fps: 60, frameCount: rows.count - 1, withEyes: false)
        for (c, name) in rows[0].enumerated() {
            guard let k = ARKit.index(caseInsensitive: name) else { continue }
            for f in 1..<rows.count { animation[f - 1, ARKitBlendshape(index: k)] = Float(rows[f][c])! }
        }
        return animation
    }

    func isTimecode(_ s: String) -> Bool {
        s.wholeMatch(of: /\d\d:\d\d:\d\d:\d\d\.\d\d\d/) != nil
    }

    func isPlainDecimal(_ s: String) -> Bool {
        s.wholeMatch(of: /-?\d+\.\d{10}/) != nil
    }

    @Test func headerIsTheAppsByteForByte() throws {
        let take = try takeRows()
        let ours = String(decoding: LiveLinkCSV.serialize(makeAnimation(frames: 2)), as: UTF8.self).split(separator: "\n")
        #expect(String(ours[0]) == take[0].joined(separator: ","))
        #expect(LiveLinkCSV.header == take[0].joined(separator: ","))
    }

    @Test func rowsHaveTheAppsLayout() throws {
        let take = try takeRows()
        // The take itself follows the rules we check ours against.
        for row in take.dropFirst() {
            #expect(row.count == 63 && isTimecode(row[0]) && row[1] == "61")
            #expect(row.dropFirst(2).allSatisfy(isPlainDecimal))
        }
        // Ours, with the small values that used to come out as 3.17e-05, negative angles and zeros.
        var animation = makeAnimation(frames: 40)
        animation[3, .jawOpen] = 3.17e-05
        animation[4, .tongueOut] = 1e-9
        animation[5, .mouthClose] = 0
        animation.headPose[6].yaw = -2.5e-7
        let lines = String(decoding: LiveLinkCSV.serialize(animation), as: UTF8.self).split(separator: "\n")
        #expect(lines.count == 41)
        for line in lines.dropFirst() {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            #expect(fields.count == 63 && isTimecode(fields[0]) && fields[1] == "61")
            let bad = fields.dropFirst(2).filter { !isPlainDecimal($0) }
            #expect(bad.isEmpty, "not plain decimals: \(bad)")
        }
        let row4 = lines[4].split(separator: ",").map(String.init)
        #expect(row4[2 + ARKit.liveLinkCSVOrder.firstIndex(of: .jawOpen)!] == "0.0000317000")
        #expect(lines[1].hasPrefix("00:00:00:00.000,61,") && lines[2].hasPrefix("00:00:00:01.000,61,"))
    }

    @Test func eyeAnglesFromEyeLookMatchTheApp() throws {
        let take = try takeRows()
        let ours = String(decoding: LiveLinkCSV.serialize(takeWeights(take)), as: UTF8.self).split(separator: "\n")
            .map { $0.split(separator: ",").map(String.init) }
        let eyeColumns = 57..<63
        #expect(Array(take[0][eyeColumns]) == ["LeftEyeYaw", "LeftEyePitch", "LeftEyeRoll", "RightEyeYaw", "RightEyePitch", "RightEyeRoll"])
        var largest = 0.0
        for f in 1..<take.count {
            for c in eyeColumns {
                let app = Double(take[f][c])!, mine = Double(ours[f][c])!
                largest = max(largest, abs(app - mine))
                // Not zero: the take's eyes look in and down.
                #expect(abs(mine) > 1e-3)
            }
        }
        #expect(largest < 1e-7, "eye angles differ from the app's by \(largest) rad")
    }

    @Test func readingTheTakeGivesTheProjectsGazeConvention() throws {
        // Without the Timecode column the five rows (taken from across the take) stay five frames.
        let untimed = try takeRows().map { $0.dropFirst().joined(separator: ",") }.joined(separator: "\n")
        let animation = try LiveLinkCSV.parse(Data(untimed.utf8), file: "take.csv", options: .init(fps: 60))
        let eyes = try #require(animation.eyePose)
        for f in 0..<animation.frameCount {
            // Project convention (the teacher's gaze): yaw > 0 looks toward the face's left, which turns the
            // …Left eye out and the …Right eye in; pitch > 0 looks down.
            let leftTurn = animation[f, .eyeLookOutLeft] - animation[f, .eyeLookInLeft]
            let rightTurn = animation[f, .eyeLookInRight] - animation[f, .eyeLookOutRight]
            #expect(eyes[f].leftYaw * leftTurn > 0 && eyes[f].rightYaw * rightTurn > 0)
            #expect(eyes[f].leftPitch > 0 && eyes[f].rightPitch > 0 && animation[f, .eyeLookDownLeft] > 0)
        }
        // Writing the read take gives its eye columns back (roll is recomputed from yaw and pitch).
        let take = try takeRows()
        let again = String(decoding: LiveLinkCSV.serialize(animation), as: UTF8.self).split(separator: "\n")
            .map { $0.split(separator: ",").map(String.init) }
        #expect(animation.frameCount == take.count - 1)
        for f in 1..<take.count {
            for c in 2..<63 { #expect(abs(Double(take[f][c])! - Double(again[f][c])!) < 1e-7, "row \(f) column \(take[0][c])") }
        }
    }
}
