import Foundation
import M2FSystem
import Testing
@testable import M2FTracker

/// Inputs made on the spot with ffmpeg's test sources.
struct MadeMedia {
    let folder: URL

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("m2f-tracker-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    func remove() { try? FileManager.default.removeItem(at: folder) }

    /// Runs ffmpeg with `arguments` writing `name` in the folder; its path.
    @discardableResult
    func make(_ name: String, _ arguments: [String]) throws -> String {
        let path = folder.appendingPathComponent(name).path
        let ffmpeg = try #require(Executable.ffmpeg)
        let result = try Subprocess.run(ffmpeg, ["-nostdin", "-loglevel", "error", "-y"] + arguments + [path])
        try #require(result.status == 0, "ffmpeg: \(result.errors)")
        return path
    }
}

@Suite("Frames in: videos and images through ffmpeg")
struct VideoFramesTests {
    func readAll(_ path: String) throws -> (VideoInfo, [RGBImage]) {
        let frames = try VideoFrames(path: path)
        var images: [RGBImage] = []
        while let image = try frames.next() { images.append(image) }
        return (frames.info, images)
    }

    @Test("a video streams as rgb24 frames of its size and rate, one at a time")
    func video() throws {
        let media = try MadeMedia()
        defer { media.remove() }
        let path = try media.make("clip.mp4", ["-f", "lavfi", "-i", "testsrc=size=320x240:rate=25:duration=0.4", "-pix_fmt", "yuv420p"])
        let (info, images) = try readAll(path)
        #expect(info.width == 320 && info.height == 240 && abs(info.fps - 25) < 1e-9)
        #expect(images.count == 10)
        #expect(images.allSatisfy { $0.width == 320 && $0.height == 240 && $0.pixels.count == 320 * 240 * 3 })
        // testsrc is colourful: the channels differ somewhere.
        let first = images[0].pixels
        var colourful = false
        for i in stride(from: 0, to: first.count, by: 3) where first[i] != first[i + 1] { colourful = true }
        #expect(colourful)
    }

    @Test("a 1-frame video gives one frame")
    func oneFrame() throws {
        let media = try MadeMedia()
        defer { media.remove() }
        let path = try media.make("one.mp4", ["-f", "lavfi", "-i", "testsrc=size=64x48:rate=30", "-frames:v", "1", "-pix_fmt", "yuv420p"])
        #expect(try readAll(path).1.count == 1)
    }

    @Test("a grayscale PNG comes out as RGB with equal channels")
    func grayscale() throws {
        let media = try MadeMedia()
        defer { media.remove() }
        let path = try media.make("gray.png", ["-f", "lavfi", "-i", "testsrc=size=50x40", "-frames:v", "1", "-pix_fmt", "gray"])
        let (info, images) = try readAll(path)
        #expect(info.width == 50 && info.height == 40 && images.count == 1)
        let p = images[0].pixels
        var grey = true
        for i in stride(from: 0, to: p.count, by: 3) where p[i] != p[i + 1] || p[i] != p[i + 2] { grey = false }
        #expect(grey)
        #expect(Set(p).count > 10)
    }

    @Test("a 4K video and a huge image are decoded, the image scaled down to 4096 px on its long side")
    func largeInputs() throws {
        let media = try MadeMedia()
        defer { media.remove() }
        let video = try media.make("uhd.mp4", ["-f", "lavfi", "-i", "color=c=gray:size=3840x2160:rate=30", "-frames:v", "2", "-pix_fmt", "yuv420p"])
        let (videoInfo, videoFrames) = try readAll(video)
        #expect(videoInfo.width == 3840 && videoInfo.height == 2160 && videoFrames.count == 2)
        let image = try media.make("huge.png", ["-f", "lavfi", "-i", "color=c=white:size=6000x3000", "-frames:v", "1"])
        let (imageInfo, imageFrames) = try readAll(image)
        #expect(imageInfo.sourceWidth == 6000 && imageInfo.width == 4096 && imageInfo.height == 2048)
        #expect(imageFrames.count == 1 && imageFrames[0].pixels.count == 4096 * 2048 * 3)
    }

    @Test("corrupt, empty, audio-only, missing and folder inputs are errors naming the file")
    func badInputs() throws {
        let media = try MadeMedia()
        defer { media.remove() }
        let good = try media.make("good.mp4", ["-f", "lavfi", "-i", "testsrc=size=160x120:rate=25:duration=1", "-pix_fmt", "yuv420p"])
        var bytes = try Data(contentsOf: URL(fileURLWithPath: good))
        // Garbage in place of the file's middle and end: ffmpeg cannot parse the container.
        let corrupt = media.folder.appendingPathComponent("corrupt.mp4")
        bytes.replaceSubrange(32..<bytes.count, with: Data((0..<(bytes.count - 32)).map { UInt8(truncatingIfNeeded: $0 &* 7919) }))
        try bytes.write(to: corrupt)
        let empty = media.folder.appendingPathComponent("empty.mp4")
        try Data().write(to: empty)
        let audio = try media.make("tone.wav", ["-f", "lavfi", "-i", "sine=duration=0.2"])
        for (path, name) in [(corrupt.path, "corrupt.mp4"), (empty.path, "empty.mp4"), (audio, "tone.wav"),
                             (media.folder.appendingPathComponent("missing.mp4").path, "missing.mp4"), (media.folder.path, media.folder.lastPathComponent)] {
            do {
                _ = try readAll(path)
                Issue.record("\(name) was read")
            } catch let error as TrackerError {
                #expect(error.localizedDescription.contains(name), "\(error.localizedDescription)")
            }
        }
    }
}
