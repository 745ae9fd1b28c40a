import Foundation
import M2FDataset
import M2FEngine
import M2FFace
import M2FSystem
import M2FTestSupport
import Testing
@testable import M2FTracker

/// `import-video` end to end on the closed loop: a known animation rendered on the default head with a
/// voice-like tone whose loudness follows the jaw (`m2f render --audio`), imported back; plus the
/// scikit-image astronaut photo as a still "video" and broken inputs.
@Suite("import-video: closed loop on the default head", .serialized)
struct VideoImportTests {
    /// jawOpen of the truth at time t: syllables at 2–3.4 Hz of varying height (not periodic, so that a
    /// shifted copy does not match itself), silent 0–0.8 s and 2.4–3.2 s.
    static func jaw(_ t: Double) -> Float {
        let silent = t < 0.8 || (t >= 2.4 && t < 3.2)
        let phase = 2 * Double.pi * (2.7 * (t - 0.8) + 0.35 * sin(2.1 * t))
        return silent ? 0 : Float(0.7 * max(0, sin(phase)) * (0.65 + 0.35 * sin(1.7 * t)))
    }

    /// Writes the truth animation (25 fps, 4.8 s) and its audio; renders `talk.mp4` (audio delayed by
    /// `delay` seconds when given).
    static func render(in media: MadeMedia, name: String = "talk.mp4", delay: Double = 0) throws -> FaceAnimation {
        let fps = 25.0, frames = 120
        var truth = FaceAnimation(fps: fps, frameCount: frames)
        for f in 0..<frames { truth[f, ARKitBlendshape(index: ARKit.index(of: "jawOpen")!)] = jaw(Double(f) / fps) }
        try AnimationExport().write(truth, to: media.folder.appendingPathComponent("truth.json").path)
        let rate = 16_000
        let samples = (0..<(frames * rate / Int(fps))).map { i -> Float in
            let t = Double(i) / Double(rate) - delay
            let level = t < 0 ? 0 : Double(jaw(t))
            return Float(level * 0.4 * (sin(2 * .pi * 140 * t) + 0.5 * sin(2 * .pi * 280 * t + 1)))
        }
        try WAVWriter.write(samples, sampleRate: rate, to: media.folder.appendingPathComponent("voice.wav"))
        let result = try M2FExecutable.shell("\"$M2F\" render truth.json -o \(name) --audio voice.wav --size 256", in: media.folder)
        try #require(result.status == 0, "\(result.output)")
        return truth
    }

    static func importer() -> VideoImporter {
        var importer = VideoImporter()
        importer.gates.minimumClipSeconds = 1
        return importer
    }

    @Test("a rendered talking head: clips at 30 fps, in sync, jawOpen calibrated back to the truth's scale; rerun skips it")
    func closedLoop() throws {
        let media = try MadeMedia()
        defer { media.remove() }
        let truth = try Self.render(in: media)
        let tracker = try FaceTracker(directory: try InstalledTracker.directory(), mode: .video)
        let dataset = media.folder.appendingPathComponent("data")
        let reports = try Self.importer().importVideos([media.folder.appendingPathComponent("talk.mp4")], into: dataset,
                                                       labels: ["talk": TakeLabels(performer: "head", split: .val)], tracker: tracker)
        let report = try #require(reports.first)
        print("closed loop import: \(report.clips), sync \(String(describing: report.sync)), effect \(String(describing: report.calibrationEffect))")
        #expect(report.error == nil && report.faceShare == 1 && report.rejected.isEmpty, "\(report)")
        let sync = try #require(report.sync)
        #expect(abs(sync.bestLag) <= 1 && sync.bestCorrelation > 0.5)
        let reader = try DatasetReader(directory: dataset)
        #expect(reader.info.fps == 30 && reader.records.count == report.clips.count)
        let record = try #require(reader.records.first)
        #expect(record.source == .video && record.voice == "head" && record.split == .val && record.calibration?.scope == "speaker:head")
        #expect(record.origin?.file == "talk.mp4" && abs(record.duration - 4.8) < 0.05 && record.sampleCount == record.frameCount * 16_000 / 30)
        let arrays = try reader.arrays(of: record)
        let shard = try reader.shard(named: record.shard)
        #expect(try shard.tensor(named: "\(record.id).tracked_weights").shape == [record.frameCount, 52])
        #expect(try shard.tensor(named: "\(record.id).lip_gap").shape == [record.frameCount])
        // Calibrated jawOpen against the truth at the same times: follows it, and at its scale (the raw
        // tracker reads the default head's jaw at ~0.75×).
        let jaw = ARKit.index(of: "jawOpen")!
        let weights = arrays.weights.toArray()
        let ours = (0..<record.frameCount).map { weights[$0 * 52 + jaw] }
        let expected = (0..<record.frameCount).map { Self.jaw(Double($0) / 30) }
        let (r, slope) = Self.fit(ours, expected)
        print("closed loop jawOpen: r \(r), slope \(slope)")
        #expect(r > 0.9 && slope > 0.8 && slope < 1.25)
        _ = truth
        // A rerun finds the shard and part: nothing is redone.
        let again = try Self.importer().importVideos([media.folder.appendingPathComponent("talk.mp4")], into: dataset, labels: [:], tracker: tracker)
        let reread = try DatasetReader(directory: dataset)
        #expect(again.first?.alreadyImported == true && reread.records.count == report.clips.count)
    }

    @Test("the audio 300 ms late, a still photo with speech, no audio track, a corrupt file: each rejected or an error with its reason")
    func rejections() throws {
        let media = try MadeMedia()
        defer { media.remove() }
        _ = try Self.render(in: media, name: "late.mp4", delay: 0.3)
        // The scikit-image astronaut (the tracker fixtures' wide face crop) as a 4.8 s still with the same voice.
        let pixels = try Fixture("landmarks_astronaut_wide", group: "tracker").input("pixels").toArray().map { UInt8(max(0, min(255, $0))) }
        try Data(pixels).write(to: media.folder.appendingPathComponent("astronaut.rgb"))
        try media.make("still.mp4", ["-stream_loop", "-1", "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", "256x256", "-r", "25", "-i", "astronaut.rgb".withFolder(media),
                                     "-i", "voice.wav".withFolder(media), "-t", "4.8", "-pix_fmt", "yuv420p", "-shortest"])
        try media.make("silent.mp4", ["-i", "late.mp4".withFolder(media), "-an", "-c:v", "copy"])
        var bytes = try Data(contentsOf: media.folder.appendingPathComponent("late.mp4"))
        bytes.replaceSubrange(40..<bytes.count, with: Data(repeating: 0x5A, count: bytes.count - 40))
        try bytes.write(to: media.folder.appendingPathComponent("broken.mp4"))
        let tracker = try FaceTracker(directory: try InstalledTracker.directory(), mode: .video)
        let names = ["late.mp4", "still.mp4", "silent.mp4", "broken.mp4"]
        let reports = try Self.importer().importVideos(names.map { media.folder.appendingPathComponent($0) },
                                                       into: media.folder.appendingPathComponent("data"), labels: [:], tracker: tracker)
        for report in reports { print("\(report.file): \(report.error ?? report.rejected.map(\.reason).joined(separator: "; ")) sync \(String(describing: report.sync))") }
        #expect(reports.allSatisfy { $0.clips.isEmpty })
        #expect(reports[0].rejected.first?.reason.contains("out of sync: the audio follows the lips by") == true, "\(reports[0])")
        #expect(reports[1].faceShare == 1 && reports[1].rejected.first?.reason.contains("the lips do not follow the audio") == true, "\(reports[1])")
        #expect(reports[2].error?.contains("silent.mp4") == true && reports[2].error?.contains("no usable audio track") == true)
        #expect(reports[3].error?.contains("broken.mp4") == true)
        // Every video has its report file; the dataset is valid and empty.
        for name in names {
            let stem = URL(fileURLWithPath: name).deletingPathExtension().lastPathComponent
            #expect(FileManager.default.fileExists(atPath: media.folder.appendingPathComponent("data/reports/video-\(stem).json").path))
        }
        let reader = try DatasetReader(directory: media.folder.appendingPathComponent("data"))
        #expect(reader.records.isEmpty)
    }

    /// Pearson r and least-squares slope of `y` on `x`.
    static func fit(_ y: [Float], _ x: [Float]) -> (r: Double, slope: Double) {
        let n = Double(x.count)
        let mx = x.reduce(0.0) { $0 + Double($1) } / n, my = y.reduce(0.0) { $0 + Double($1) } / n
        var sxy = 0.0, sxx = 0.0, syy = 0.0
        for (a, b) in zip(x, y) {
            sxy += (Double(a) - mx) * (Double(b) - my); sxx += (Double(a) - mx) * (Double(a) - mx); syy += (Double(b) - my) * (Double(b) - my)
        }
        return (sxy / (sxx * syy).squareRoot(), sxy / sxx)
    }
}

private extension String {
    func withFolder(_ media: MadeMedia) -> String { media.folder.appendingPathComponent(self).path }
}
