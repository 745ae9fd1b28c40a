import Foundation
import M2FFace
import Media2Face
import Testing

/// The exporter: every format round-trips, writes are atomic, unwritable outputs fail before any work.
struct PipelineExportTests {
    static func folder(_ name: String) -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("m2f-pipeline-export-\(getpid())/\(name)")
        try? FileManager.default.removeItem(at: url)
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// A 10-frame animation with a jaw wave and a nod.
    static func animation() -> FaceAnimation {
        var animation = FaceAnimation(fps: 30, frameCount: 10, metadata: ["prompt": "test", "seed": "7"])
        for f in 0..<10 {
            animation[f, .jawOpen] = Float(f) / 10
            animation.headPose[f] = HeadPose(pitch: 0.01 * Float(f))
        }
        return animation
    }

    @Test func formatListParsing() throws {
        #expect(try ExportFormat.list("csv, JSON,glb,csv") == [.csv, .json, .glb])
        #expect(throws: PipelineError.unknownFormat("fbx")) { try ExportFormat.list("csv,fbx") }
        #expect(throws: PipelineError.self) { try ExportFormat.list(",") }
    }

    @Test func prefixesDropAFormatExtension() {
        #expect(AnimationExporter.path(prefix: "out/hello", format: .csv) == "out/hello.csv")
        #expect(AnimationExporter.path(prefix: "out/hello.json", format: .glb) == "out/hello.glb")
        #expect(AnimationExporter.path(prefix: "out/take.v2", format: .json) == "out/take.v2.json")
    }

    @Test func writesCSVJSONAndGLBThatReadBack() throws {
        let folder = Self.folder("formats")
        let audio = folder.appendingPathComponent("speech.wav").path
        let animation = Self.animation()
        let prefix = folder.appendingPathComponent("nested/out/hello").path
        let written = try AnimationExporter().write(animation, formats: [.csv, .json, .glb], prefix: prefix, audioPath: audio)
        #expect(written.map(\.format) == [.csv, .json, .glb])
        for file in written {
            #expect(FileManager.default.fileExists(atPath: file.path))
            let back = try AnimationFile.read(URL(fileURLWithPath: file.path))
            #expect(back.frameCount == 10, "\(file.format)")
            #expect(abs(back[9, .jawOpen] - 0.9) < 1e-3, "\(file.format)")
            #expect(abs(back.headPose[9].pitch - 0.09) < 1e-3, "\(file.format)")
        }
        let json = try AnimationFile.read(URL(fileURLWithPath: prefix + ".json"))
        #expect(json.metadata["prompt"] == "test" && json.metadata["seed"] == "7")
        // No temporary files left behind.
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("nested/out").path)
        #expect(leftovers.sorted() == ["hello.csv", "hello.glb", "hello.json"])
    }

    @Test func writesAnMP4WithAudio() throws {
        guard VideoEncoderAvailability.ffmpeg else { return }
        let folder = Self.folder("video")
        let audio = folder.appendingPathComponent("tone.wav")
        try WAVFile.tone(seconds: 0.4).write(to: audio)
        let prefix = folder.appendingPathComponent("clip").path
        var reported = 0
        let written = try AnimationExporter(videoSize: 64, supersample: 1)
            .write(Self.animation(), formats: [.mp4], prefix: prefix, audioPath: audio.path) { _, done, _ in reported = done }
        #expect(reported == 10)
        let size = try FileManager.default.attributesOfItem(atPath: written[0].path)[.size] as? Int ?? 0
        #expect(size > 1000)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() == ["clip.mp4", "tone.wav"])
    }

    @Test func unwritableOutputFailsClearly() throws {
        let folder = Self.folder("unwritable")
        let blocker = folder.appendingPathComponent("file.txt")
        try Data("x".utf8).write(to: blocker)
        // A path under a regular file can never be created, whoever runs the test (root included).
        let prefix = blocker.appendingPathComponent("out/hello").path
        #expect {
            try AnimationExporter().write(Self.animation(), formats: [.json], prefix: prefix, audioPath: nil)
        } throws: { error in
            guard case let .outputNotWritable(path, _) = error as? PipelineError else { return false }
            return path.hasPrefix(blocker.path) && error.localizedDescription.contains("Choose a folder you can write to")
        }
        #expect(throws: PipelineError.self) { try AnimationExporter.prepareOutput(prefix: blocker.path + "/") }
        // A folder given where a prefix is expected.
        #expect(throws: PipelineError.self) { try AnimationExporter.prepareOutput(prefix: folder.path + "/") }
    }
}
