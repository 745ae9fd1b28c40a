import Foundation
import M2FDataset
import M2FFace
import Testing

@Suite struct ImportLiveLinkTests {
    /// A 60 fps take starting at 10:00:01:00 with its columns in a shuffled order.
    func takeCSV(seconds: Double = 3) -> (FaceAnimation, String) {
        var animation = ScriptedAnimation.make(seconds: seconds, fps: 60)
        animation.eyePose = [EyePose](repeating: EyePose(), count: animation.frameCount)
        animation.metadata = ["timecodeStart": "10:00:01:00.000"]
        let rows = String(decoding: LiveLinkCSV.serialize(animation), as: UTF8.self).split(separator: "\n")
            .map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let width = rows[0].count
        let order = (0..<width).map { ($0 * 17 + 5) % width }  // 17 is prime to 63: a permutation
        #expect(Set(order).count == width)
        let shuffled = rows.map { row in order.map { row[$0] }.joined(separator: ",") }
        return (animation, shuffled.joined(separator: "\n") + "\n")
    }

    /// 16 kHz audio of `seconds` with a click at `click` seconds.
    func audio(seconds: Double, click: Double) -> [Float] {
        var samples = (0..<Int(seconds * 16_000)).map { Float(0.01 * sin(Double($0) * 0.02)) }
        let at = Int(click * 16_000)
        for i in at..<(at + 16) { samples[i] = 0.9 }
        return samples
    }

    @Test func importsShuffledColumnsDropsBadRowsAlignsByTimecode() throws {
        let folder = BuildTestSources.temporaryDirectory("livelink")
        defer { try? FileManager.default.removeItem(at: folder) }
        let (animation, csv) = takeCSV()
        var lines = csv.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        // Line 11 (row 10): a value that is not a number; line 21: a field missing.
        var fields = lines[10].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        fields[7] = "abc"
        lines[10] = fields.joined(separator: ",")
        lines[20] = lines[20].split(separator: ",").dropLast().joined(separator: ",")
        let take = folder.appendingPathComponent("Take_007_iPhone.csv")
        try lines.joined(separator: "\n").write(to: take, atomically: true, encoding: .utf8)
        // The audio starts 0.5 s before the first row: the first row is at 10:00:01:00, the audio at 10:00:00:30 (60 fps).
        try WAVWriter.write(audio(seconds: 4, click: 1.5), sampleRate: 16_000, to: folder.appendingPathComponent("Take_007_iPhone.wav"))
        try Data(#"{"emotion": "happy", "intensity": 0.8, "performer": "anna", "gender": "female", "audioTimecodeStart": "10:00:00:30.000"}"#.utf8)
            .write(to: folder.appendingPathComponent("Take_007_iPhone.json"))
        // A take without audio.
        let lonely = folder.appendingPathComponent("Lonely.csv")
        try csv.write(to: lonely, atomically: true, encoding: .utf8)

        let dataset = folder.appendingPathComponent("ds")
        let reports = try LiveLinkImporter().importTakes([take, lonely], into: dataset, labels: TakeLabels(emotion: .sad, split: .val))
        #expect(reports.count == 2)
        #expect(reports[0].clip == "ll-Take_007_iPhone")
        #expect(reports[0].droppedRows.map(\.line) == [11, 21])
        #expect(reports[0].droppedRows[0].problem.contains("not a number"))
        #expect(abs(reports[0].audioOffset - 0.5) < 1e-9)
        #expect(reports[1].clip == nil)
        #expect(reports[1].error?.contains("no audio") == true)

        let reader = try DatasetReader(directory: dataset)
        let record = try reader.record(id: "ll-Take_007_iPhone")
        #expect(record.source == .livelink && record.emotion == .happy && record.intensity == 0.8)
        #expect(record.split == .val)  // not in the sidecar: the flag fills it
        #expect(record.voice == "anna")
        #expect(record.description == "a delighted woman speaking")
        #expect(record.fps == 30)
        let arrays = try reader.arrays(of: record)
        // The click was 1.5 s into the audio, which is 1.0 s after the first row.
        let audio = arrays.audio.toArray()
        let click = audio.firstIndex { $0 > 0.5 }!
        #expect(abs(Double(click) / 16_000 - 1.0) < 0.001)
        // 3 s of animation at 30 fps; the audio (3.5 s after the cut) is trimmed to it.
        #expect(record.frameCount == 90)
        #expect(record.sampleCount == 48_000)
        // Weights match the source animation (read by name despite the shuffle), resampled to 30 fps,
        // away from the two dropped rows (frames 9 and 19 at 60 fps).
        let weights = arrays.weights.toArray()
        for frame in [0, 20, 45, 89] {
            for k in 0..<52 {
                #expect(abs(weights[frame * 52 + k] - animation.weights[(frame * 2) * 52 + k]) < 1e-5)
            }
        }
        #expect(arrays.headPose.toArray()[45 * 6] == animation.headPose[90].yaw)

        // Importing again skips the take.
        let again = try LiveLinkImporter().importTakes([take], into: dataset, labels: TakeLabels())
        #expect(again[0].clip == nil && again[0].error?.contains("already imported") == true)
        #expect(try DatasetReader(directory: dataset).records.count == 1)
    }

    @Test func readsAudioFromMOVThroughFFmpeg() throws {
        let folder = BuildTestSources.temporaryDirectory("livelink-mov")
        defer { try? FileManager.default.removeItem(at: folder) }
        let (_, csv) = takeCSV(seconds: 2)
        try csv.write(to: folder.appendingPathComponent("Take_2.csv"), atomically: true, encoding: .utf8)
        let wav = folder.appendingPathComponent("source.wav")
        try WAVWriter.write(audio(seconds: 2.5, click: 1.25), sampleRate: 16_000, to: wav)
        let mov = folder.appendingPathComponent("Take_2.mov")
        let ffmpeg = Process()
        ffmpeg.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        ffmpeg.arguments = ["ffmpeg", "-nostdin", "-loglevel", "error", "-i", wav.path, "-c:a", "pcm_s16le", "-timecode", "10:00:01:00", mov.path]
        try ffmpeg.run()
        ffmpeg.waitUntilExit()
        #expect(ffmpeg.terminationStatus == 0)
        let dataset = folder.appendingPathComponent("ds")
        let reports = try LiveLinkImporter().importTakes([folder.appendingPathComponent("Take_2.csv")], into: dataset,
                                                         labels: TakeLabels(emotion: .angry, intensity: 0.5, description: "shouting at the radio"))
        #expect(reports[0].error == nil)
        let reader = try DatasetReader(directory: dataset)
        let record = try reader.record(id: "ll-Take_2")
        #expect(record.description == "shouting at the radio" && record.emotion == .angry)
        // The MOV's timecode tag equals the CSV's first timecode: offset 0, click at 1.25 s.
        #expect(reports[0].audioOffset == 0)
        let audio = try reader.arrays(of: record).audio.toArray()
        let click = audio.firstIndex { $0 > 0.5 }!
        #expect(abs(Double(click) / 16_000 - 1.25) < 0.002)
    }

    @Test func badSidecarAndEmptyTakeAreReported() throws {
        let folder = BuildTestSources.temporaryDirectory("livelink-bad")
        defer { try? FileManager.default.removeItem(at: folder) }
        let (_, csv) = takeCSV(seconds: 1)
        try csv.write(to: folder.appendingPathComponent("A.csv"), atomically: true, encoding: .utf8)
        try WAVWriter.write(audio(seconds: 1, click: 0.5), sampleRate: 16_000, to: folder.appendingPathComponent("A.wav"))
        try Data(#"{"emotion": "bored"}"#.utf8).write(to: folder.appendingPathComponent("A.json"))
        let header = String(csv.split(separator: "\n")[0])
        try (header + "\nnot,a,row\n").write(to: folder.appendingPathComponent("B.csv"), atomically: true, encoding: .utf8)
        try WAVWriter.write(audio(seconds: 1, click: 0.5), sampleRate: 16_000, to: folder.appendingPathComponent("B.wav"))
        let reports = try LiveLinkImporter().importTakes([folder.appendingPathComponent("A.csv"), folder.appendingPathComponent("B.csv")],
                                                         into: folder.appendingPathComponent("ds"), labels: TakeLabels())
        #expect(reports.allSatisfy { $0.clip == nil })
        #expect(reports[0].error?.contains("A.json") == true)
        #expect(reports[0].error?.contains("emotion") == true)
        #expect(reports[1].droppedRows.count == 1)
        #expect(reports[1].error?.contains("B.csv") == true)
        #expect(try DatasetReader(directory: folder.appendingPathComponent("ds")).records.isEmpty)
    }
}
