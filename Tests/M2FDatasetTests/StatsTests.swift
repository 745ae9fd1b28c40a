import Foundation
import M2FDataset
import M2FFace
import Testing

@Suite struct StatsTests {
    /// One 30 s clip at 30 fps: b (lips together) at 1.0–1.1 s, p with the jaw open at 2.0–2.1 s,
    /// aa segments with jawOpen 0.6 and iy segments with 0.1, three blinks.
    func makeDataset() throws -> URL {
        let directory = BuildTestSources.temporaryDirectory("stats")
        let layout = DatasetLayout(root: directory)
        try layout.createDirectories()
        try DatasetInfo(createdBy: "test").write(directory: directory)
        let fps = 30.0, frames = 900
        var animation = FaceAnimation(fps: fps, frameCount: frames, withEyes: true)
        var phones: [TimedPhone] = [TimedPhone(phone: "pau", start: 0, end: 1), TimedPhone(phone: "b", start: 1, end: 1.1),
                                    TimedPhone(phone: "pau", start: 1.1, end: 2), TimedPhone(phone: "p", start: 2, end: 2.1)]
        for f in 57...66 { animation[f, .jawOpen] = 0.5 }  // 1.9–2.2 s: open through the p
        for i in 0..<10 {
            let start = 3.0 + Double(i) * 2, vowel = i % 2 == 0 ? "aa" : "iy"
            phones.append(TimedPhone(phone: vowel, start: start, end: start + 0.4))
            for f in Int(start * fps)..<Int((start + 0.4) * fps) { animation[f, .jawOpen] = vowel == "aa" ? 0.6 : 0.1 }
        }
        for blinkStart in [100, 400, 700] {
            for f in blinkStart..<(blinkStart + 4) { animation[f, .eyeBlinkLeft] = 1; animation[f, .eyeBlinkRight] = 0.9 }
        }
        var writer = ShardWriter(name: "shard-00000")
        let record = ClipRecord(id: "c0", source: .synthetic, voice: "flite-kal", language: "en", duration: 30, fps: fps,
                                frameCount: frames, sampleCount: 30 * 16_000, emotion: .angry, intensity: 0.9, styleTags: [],
                                description: "a furious man speaking", transcript: "bob", phonemes: phones, split: .train, shard: "")
        writer.add(record, arrays: ClipArrays(samples: [Float](repeating: 0, count: 30 * 16_000), animation: animation))
        try writer.write(to: layout, dtype: .float32)
        try Manifest.rebuild(layout)
        return directory
    }

    @Test func teacherChecksCountClosureBlinksAndOpenness() throws {
        let directory = try makeDataset()
        defer { try? FileManager.default.removeItem(at: directory) }
        let dataset = try DatasetReader(directory: directory)
        let stats = try DatasetStatistics.compute(dataset)
        #expect(stats.clips == 1 && abs(stats.hours - 30.0 / 3600) < 1e-12)
        #expect(stats.hoursByEmotion["angry"] == stats.hours && stats.hoursByVoice["flite-kal"] == stats.hours)
        #expect(stats.teacher.bilabialSegments == 2)
        #expect(stats.teacher.bilabialClosed == 1)
        #expect(stats.teacher.lipClosureRate == 0.5)
        #expect(stats.teacher.blinks == 3)
        #expect(abs(stats.teacher.blinksPerMinute - 6) < 1e-9)
        #expect(stats.teacher.vowelSegments == 10)
        #expect(stats.teacher.opennessJawCorrelation > 0.999)
        #expect(stats.teacher.opennessGapCorrelation > 0.99)
        #expect(stats.teacher.meanGapByOpenness[3] > stats.teacher.meanGapByOpenness[0] + 2)
        #expect(stats.teacher.outOfRange == 0)
        let jaw = try #require(stats.blendshapes["jawOpen"])
        #expect(jaw.min == 0 && jaw.max == Double(Float(0.6)))
        #expect(abs(jaw.mean - (10 * 0.5 + 5 * 12 * 0.6 + 5 * 12 * 0.1) / 900) < 1e-6)
        #expect(stats.phoneCounts == ["b": 1, "p": 1, "aa": 5, "iy": 5])
        #expect(stats.missingPhones.count == 35)
        // JSON carries the derived rates.
        let json = try JSONSerialization.jsonObject(with: stats.json()) as! [String: Any]
        let teacher = json["teacher"] as! [String: Any]
        #expect(teacher["lipClosureRate"] as? Double == 0.5)
        #expect(teacher["blinksPerMinute"] as? Double == 6)
    }

    @Test func plotsAreWrittenAsPNG() throws {
        let directory = try makeDataset()
        defer { try? FileManager.default.removeItem(at: directory) }
        let dataset = try DatasetReader(directory: directory)
        let stats = try DatasetStatistics.compute(dataset)
        let files = try stats.writePlots(to: dataset.layout.plotsDirectory)
        #expect(files.map(\.lastPathComponent) == ["hours_by_emotion.png", "hours_by_voice.png", "hours_by_split.png",
                                                  "phoneme_coverage.png", "blendshape_ranges.png"])
        for file in files {
            let data = try Data(contentsOf: file)
            #expect(data.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
        }
    }

    @Test func barLengthsFollowValues() {
        let image = BarChart.render(title: "t", labels: ["a", "b"], values: [2, 1], barWidth: 100)
        // Count bar-coloured pixels on each row's middle line.
        func barPixels(row: Int) -> Int {
            let y = 22 + 8 + row * 11 + 4
            return (0..<image.width).filter { image[$0, y] == SIMD3<UInt8>(70, 120, 190) }.count
        }
        #expect(barPixels(row: 0) == 100)
        #expect(barPixels(row: 1) == 50)
    }

    @Test func corruptValuesAreCounted() {
        var checker = TeacherChecker()
        var animation = FaceAnimation(fps: 30, frameCount: 10)
        for f in 0..<10 { animation[f, .jawOpen] = 0.5 }
        animation.weights[3] = 1.5
        animation.weights[60] = .nan
        animation.weights[61] = -0.1
        checker.add(animation, phones: [TimedPhone(phone: "m", start: 0.1, end: 0.2)])
        #expect(checker.result.outOfRange == 3)
        #expect(checker.result.bilabialSegments == 1 && checker.result.bilabialClosed == 0)
    }
}
