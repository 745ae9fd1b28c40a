import Foundation

/// Encodes RGB frames to H.264 (+ AAC audio) by piping raw frames into an `ffmpeg` subprocess.
public final class VideoEncoder {
    let process = Process()
    let input = Pipe()
    let logURL: URL
    public let url: URL
    public let width: Int
    public let height: Int
    public private(set) var frameCount = 0

    /// Starts ffmpeg writing `url`; `audio` (any format ffmpeg reads) is muxed from time 0.
    public init(url: URL, width: Int, height: Int, fps: Double, audio: URL? = nil) throws(FaceError) {
        guard RenderOptions.sizes.contains(width), RenderOptions.sizes.contains(height), FaceAnimation.frameRates.contains(fps) else {
            throw .invalidArgument("\(url.path): a \(width)×\(height) video at \(fps) fps is out of range "
                                   + "(sides \(RenderOptions.sizes.lowerBound) … \(RenderOptions.sizes.upperBound) pixels, 1 … 1000 fps)")
        }
        guard let ffmpeg = VideoEncoder.findExecutable("ffmpeg") else { throw .ffmpegMissing }
        if let audio, !FileManager.default.fileExists(atPath: audio.path) {
            throw .io(file: audio.path, problem: "audio file not found")
        }
        self.url = url
        self.width = width
        self.height = height
        signal(SIGPIPE, SIG_IGN)  // a failing ffmpeg must surface as an error, not kill us
        var arguments = ["-y", "-hide_banner", "-loglevel", "error",
                         "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", "\(width)x\(height)", "-r", String(fps), "-i", "-"]
        if let audio { arguments += ["-i", audio.path, "-map", "0:v:0", "-map", "1:a:0"] }
        arguments += ["-c:v", "libx264", "-preset", "medium", "-crf", "18", "-pix_fmt", "yuv420p"]
        if audio != nil { arguments += ["-c:a", "aac", "-b:a", "160k"] }
        arguments += ["-movflags", "+faststart", url.path]
        process.executableURL = ffmpeg
        process.arguments = arguments
        process.standardInput = input
        process.standardOutput = FileHandle.nullDevice
        logURL = FileManager.default.temporaryDirectory.appendingPathComponent("m2f-ffmpeg-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).log")
        FileManager.default.createFile(atPath: logURL.path, contents: nil)
        do {
            process.standardError = try FileHandle(forWritingTo: logURL)
            try process.run()
        } catch {
            throw .io(file: ffmpeg.path, problem: "cannot start ffmpeg: \(error.localizedDescription)")
        }
    }

    /// Sends one frame (must match the size given at start).
    public func append(_ image: RGBImage) throws(FaceError) {
        precondition(image.width == width && image.height == height, "frame size differs from the video size")
        do {
            try input.fileHandleForWriting.write(contentsOf: image.pixels)
        } catch {
            _ = try? finish()
            throw .ffmpegFailed(status: process.isRunning ? -1 : process.terminationStatus, log: log())
        }
        frameCount += 1
    }

    /// Closes the stream and waits for ffmpeg; throws with its log when it fails.
    @discardableResult
    public func finish() throws(FaceError) -> URL {
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
        defer { try? FileManager.default.removeItem(at: logURL) }
        guard process.terminationStatus == 0 else { throw .ffmpegFailed(status: process.terminationStatus, log: log()) }
        return url
    }

    func log() -> String { (try? String(contentsOf: logURL, encoding: .utf8)) ?? "" }

    /// The first executable called `name` on PATH.
    public static func findExecutable(_ name: String) -> URL? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = URL(fileURLWithPath: String(directory)).appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        return nil
    }
}
