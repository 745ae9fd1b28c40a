import Foundation
import M2FDataset
import M2FEngine
import M2FFace
import Testing

@Suite struct StoreFormatTests {
    /// A dataset of two clips written through the store, from the scripted animation and a tone.
    func writeDataset(dtype: SafeTensorsDType) throws -> (URL, [ClipRecord], [ClipArrays]) {
        let directory = BuildTestSources.temporaryDirectory("format")
        let layout = DatasetLayout(root: directory)
        try layout.createDirectories()
        try DatasetInfo(dtype: dtype, createdBy: "test").write(directory: directory)
        var writer = ShardWriter(name: DatasetLayout.shardName(0))
        var records: [ClipRecord] = []
        var arrays: [ClipArrays] = []
        for (i, seconds) in [2.0, 1.5].enumerated() {
            var animation = ScriptedAnimation.make(seconds: seconds, fps: 30)
            animation.eyePose = (0..<animation.frameCount).map { EyePose(leftYaw: Float($0) * 0.01, leftPitch: -0.02, rightYaw: 0.03, rightPitch: 0.04) }
            let samples = (0..<Int(seconds * 16_000)).map { Float(0.5 * sin(Double($0) * 0.05 + Double(i))) }
            let record = ClipRecord(
                id: "clip-\(i)", source: .synthetic, voice: "flite-slt", language: "en", duration: seconds, fps: 30,
                frameCount: animation.frameCount, sampleCount: samples.count, emotion: i == 0 ? .happy : .sad, intensity: 0.5,
                styleTags: ["fast"], description: "a cheerful woman speaking quickly", transcript: "bob made a map",
                phonemes: [TimedPhone(phone: "pau", start: 0, end: 0.2), TimedPhone(phone: "b", start: 0.2, end: 0.27)],
                split: i == 0 ? .train : .val, shard: "", seed: 42)
            let clipArrays = ClipArrays(samples: samples, animation: animation)
            writer.add(record, arrays: clipArrays)
            records.append(record)
            arrays.append(clipArrays)
        }
        try writer.write(to: layout, dtype: dtype)
        try Manifest.rebuild(layout)
        return (directory, writer.records, arrays)
    }

    @Test func roundTripF32IsExact() throws {
        let (directory, records, arrays) = try writeDataset(dtype: .float32)
        defer { try? FileManager.default.removeItem(at: directory) }
        let dataset = try DatasetReader(directory: directory)
        #expect(dataset.records == records)
        #expect(dataset.records[0].shard == "shard-00000")
        #expect(dataset.clips(in: .val).map(\.id) == ["clip-1"])
        for (record, expected) in zip(records, arrays) {
            let back = try dataset.arrays(of: record)
            #expect(back.audio.toArray() == expected.audio.toArray())
            #expect(back.weights.toArray() == expected.weights.toArray())
            #expect(back.headPose.toArray() == expected.headPose.toArray())
            #expect(back.eyePose.toArray() == expected.eyePose.toArray())
            #expect(back.weights.shape == [record.frameCount, 52])
        }
        // The manifest line holds phonemes as [phone, start, end] triples.
        let text = try String(contentsOf: DatasetLayout(root: directory).manifestFile, encoding: .utf8)
        #expect(text.contains("\"phonemes\":[[\"pau\",0,0.2],[\"b\",0.2,0.27]]"))
        #expect(text.split(separator: "\n").count == 2)
    }

    @Test func roundTripF16WithinHalfPrecision() throws {
        let (directory, records, arrays) = try writeDataset(dtype: .float16)
        defer { try? FileManager.default.removeItem(at: directory) }
        let dataset = try DatasetReader(directory: directory)
        #expect(dataset.info.shardDType == .float16)
        for (record, expected) in zip(records, arrays) {
            let back = try dataset.arrays(of: record)
            // Half precision: relative error ≤ 2^-11 for normal values.
            for (a, b) in zip(back.audio.toArray(), expected.audio.toArray()) { #expect(abs(a - b) <= abs(b) * 0.0005 + 1e-7) }
            for (a, b) in zip(back.weights.toArray(), expected.weights.toArray()) { #expect(abs(a - b) <= abs(b) * 0.0005 + 1e-7) }
        }
    }

    @Test func exportedAnimationMatchesArrays() throws {
        let (directory, records, arrays) = try writeDataset(dtype: .float32)
        defer { try? FileManager.default.removeItem(at: directory) }
        let dataset = try DatasetReader(directory: directory)
        let animation = try dataset.animation(of: records[0])
        let parsed = try AnimationJSON.parse(AnimationJSON.serialize(animation))
        #expect(parsed.frameCount == records[0].frameCount)
        #expect(parsed.weights == arrays[0].weights.toArray())
        #expect(parsed.metadata["emotion"] == "happy")
        #expect(parsed.metadata["description"] == "a cheerful woman speaking quickly")
    }

    @Test func unknownVersionIsRejected() throws {
        let (directory, _, _) = try writeDataset(dtype: .float32)
        defer { try? FileManager.default.removeItem(at: directory) }
        let info = DatasetLayout(root: directory).infoFile
        let original = try String(contentsOf: info, encoding: .utf8)
        try original.replacingOccurrences(of: "\"formatVersion\" : 1", with: "\"formatVersion\" : 2").write(to: info, atomically: true, encoding: .utf8)
        #expect(throws: DatasetError.self) { try DatasetReader(directory: directory) }
        do {
            _ = try DatasetReader(directory: directory)
        } catch {
            #expect(error == .unsupportedVersion(file: info.path, found: "m2f-dataset version 2", supported: 1))
            #expect(error.localizedDescription.contains("not supported"))
        }
        try original.replacingOccurrences(of: "m2f-dataset", with: "other-format").write(to: info, atomically: true, encoding: .utf8)
        #expect(throws: DatasetError.unsupportedVersion(file: info.path, found: "other-format version 1", supported: 1)) {
            try DatasetReader(directory: directory)
        }
        #expect(throws: DatasetError.notADataset(directory: "/nonexistent-m2f")) { try DatasetReader(directory: URL(fileURLWithPath: "/nonexistent-m2f")) }
    }

    @Test func malformedManifestLineIsNamed() throws {
        let (directory, _, _) = try writeDataset(dtype: .float32)
        defer { try? FileManager.default.removeItem(at: directory) }
        let manifest = DatasetLayout(root: directory).manifestFile
        var lines = try String(contentsOf: manifest, encoding: .utf8).split(separator: "\n").map(String.init)
        lines[1] = lines[1].replacingOccurrences(of: "\"emotion\":\"sad\"", with: "\"emotion\":\"bored\"")
        try lines.joined(separator: "\n").write(to: manifest, atomically: true, encoding: .utf8)
        let result = Result { () throws(DatasetError) -> DatasetReader in try DatasetReader(directory: directory) }
        guard case let .failure(error) = result, case let .malformed(file, line, problem) = error else {
            Issue.record("a manifest with an unknown emotion was not refused as malformed: \(result)")
            return
        }
        #expect(file == manifest.path && line == 2)
        #expect(problem.contains("emotion"))
    }

    @Test func shapeMismatchIsReported() throws {
        let (directory, records, _) = try writeDataset(dtype: .float32)
        defer { try? FileManager.default.removeItem(at: directory) }
        var wrong = records
        wrong[0].frameCount += 1
        try Manifest.write(wrong, to: DatasetLayout(root: directory).manifestFile)
        let dataset = try DatasetReader(directory: directory)
        #expect(throws: DatasetError.self) { try dataset.arrays(of: dataset.records[0]) }
        #expect(try dataset.arrays(of: dataset.records[1]).frameCount == records[1].frameCount)
        #expect(throws: DatasetError.unknownClip(id: "nope", directory: directory.path)) { try dataset.record(id: "nope") }
    }
}
