import Foundation
import M2FSystem
import M2FTestSupport
import Testing

/// `m2f track` on awkward inputs, made from the committed default-head renders with ffmpeg: each ends
/// in sensible output or a clear error naming the file, never a crash.
@Suite("m2f track: bad and unusual inputs", .serialized)
struct TrackCommandTests {
    static let inputs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/tracker/inputs")

    /// Runs `m2f track` with `arguments`; exit status and output.
    func track(_ arguments: String, in folder: URL) throws -> (status: Int32, output: String) {
        let result = try M2FExecutable.shell("\"$M2F\" track \(arguments) --quiet", in: folder)
        return (result.status, result.output)
    }

    /// The `track.faceFound` string of a written JSON.
    func faceFound(_ path: URL) throws -> String {
        let root = try JSONSerialization.jsonObject(with: try Data(contentsOf: path)) as! [String: Any]
        return (root["metadata"] as! [String: String])["track.faceFound"]!
    }

    @Test("a video without a face: every frame written and marked missing; an image without one is an error")
    func noFace() throws {
        let media = try MadeMedia()
        defer { media.remove() }
        try media.make("noface.mp4", ["-f", "lavfi", "-i", "testsrc=size=320x240:rate=10:duration=1", "-pix_fmt", "yuv420p"])
        let video = try track("noface.mp4 -o out/noface", in: media.folder)
        #expect(video.status == 0, "\(video.output)")
        #expect(try faceFound(media.folder.appendingPathComponent("out/noface.json")) == String(repeating: "0", count: 10))
        let csv = try String(contentsOf: media.folder.appendingPathComponent("out/noface.csv"), encoding: .utf8)
        #expect(csv.split(separator: "\n").count == 11)
        try media.make("noface.png", ["-f", "lavfi", "-i", "testsrc=size=320x240", "-frames:v", "1"])
        let image = try track("noface.png -o out/still", in: media.folder)
        #expect(image.status == 1 && image.output.contains("noface.png: no face found"), "\(image.output)")
    }

    @Test("a face leaving the frame: tracked while visible, then marked missing (held), every frame written")
    func faceLeaves() throws {
        let media = try MadeMedia()
        defer { media.remove() }
        // The 256-px view pans right over a grey strip: the face is gone after about 1.5 s.
        try media.make("leaving.mp4", ["-i", Self.inputs.appendingPathComponent("demo.mp4").path, "-vf",
                                       "pad=768:256:0:0:gray,crop=256:256:'min(t*260,512)':0", "-pix_fmt", "yuv420p"])
        let result = try track("leaving.mp4 -o leaving --format json", in: media.folder)
        #expect(result.status == 0, "\(result.output)")
        let found = try faceFound(media.folder.appendingPathComponent("leaving.json"))
        #expect(found.count == 120)
        #expect(found.prefix(10).allSatisfy { $0 == "1" } && found.suffix(30).allSatisfy { $0 == "0" }, "\(found)")
    }

    @Test("a 1-frame video, a grayscale image, a huge image and a 4K video all track the face")
    func unusualSizes() throws {
        let media = try MadeMedia()
        defer { media.remove() }
        let demo = Self.inputs.appendingPathComponent("demo.mp4").path, jaw = Self.inputs.appendingPathComponent("jaw.png").path
        try media.make("one.mp4", ["-i", demo, "-frames:v", "1", "-pix_fmt", "yuv420p"])
        try media.make("gray.png", ["-i", jaw, "-pix_fmt", "gray"])
        try media.make("huge.png", ["-i", jaw, "-vf", "scale=6000:6000:flags=bicubic"])
        try media.make("uhd.mp4", ["-i", demo, "-frames:v", "3", "-vf", "scale=2160:2160,pad=3840:2160:840:0:gray", "-pix_fmt", "yuv420p"])
        for (name, frames) in [("one.mp4", 1), ("gray.png", 1), ("huge.png", 1), ("uhd.mp4", 3)] {
            let stem = URL(fileURLWithPath: name).deletingPathExtension().lastPathComponent
            let result = try track("\(name) -o out/\(stem) --format json", in: media.folder)
            #expect(result.status == 0, "\(name): \(result.output)")
            #expect(try faceFound(media.folder.appendingPathComponent("out/\(stem).json")) == String(repeating: "1", count: frames), "\(name)")
        }
    }

    @Test("a corrupt video is an error naming the file (no crash); a folder run reports it and tracks the rest")
    func corrupt() throws {
        let media = try MadeMedia()
        defer { media.remove() }
        var bytes = try Data(contentsOf: Self.inputs.appendingPathComponent("demo.mp4"))
        bytes.replaceSubrange(40..<bytes.count, with: Data(repeating: 0x5A, count: bytes.count - 40))
        try FileManager.default.createDirectory(at: media.folder.appendingPathComponent("clips"), withIntermediateDirectories: true)
        try bytes.write(to: media.folder.appendingPathComponent("clips/broken.mp4"))
        try FileManager.default.copyItem(at: Self.inputs.appendingPathComponent("smile.png"), to: media.folder.appendingPathComponent("clips/smile.png"))
        let single = try track("clips/broken.mp4 -o broken", in: media.folder)
        #expect(single.status == 1 && single.output.contains("broken.mp4"), "\(single.output)")
        let folder = try track("clips -o out --format json", in: media.folder)
        #expect(folder.status == 1 && folder.output.contains("broken.mp4"), "\(folder.output)")
        #expect(FileManager.default.fileExists(atPath: media.folder.appendingPathComponent("out/smile.json").path))
    }
}
