import Foundation
import M2FSystem

/// Encodes RGB frames to H.264 (+ AAC audio) by piping raw frames into an `ffmpeg` child process
/// (`Executable.ffmpeg`: `$M2F_FFMPEG`, else PATH), which dies with m2f if m2f is killed.
///
/// ffmpeg writes `url` directly: callers that replace a file give a staged temporary path
/// (`AnimationExport` does), so a failed or killed encode never leaves a partial video under the final name.
public final class VideoEncoder {
    let process: Subprocess
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
        guard let ffmpeg = Executable.ffmpeg else { throw .ffmpegMissing }
        if let audio { _ = try readableCheck(audio) }
        self.url = url
        self.width = width
        self.height = height
        signal(SIGPIPE, SIG_IGN)  // a failing ffmpeg must surface as an error, not kill us
        var arguments = ["-nostdin", "-y", "-hide_banner", "-loglevel", "error",
                         "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", "\(width)x\(height)", "-r", String(fps), "-i", "pipe:0"]
        if let audio { arguments += ["-i", audio.path, "-map", "0:v:0", "-map", "1:a:0"] }
        arguments += ["-c:v", "libx264", "-preset", "medium", "-crf", "18", "-pix_fmt", "yuv420p"]
        if audio != nil { arguments += ["-c:a", "aac", "-b:a", "160k"] }
        arguments += ["-movflags", "+faststart", url.path]
        do {
            process = try Subprocess(ffmpeg, arguments, input: .pipe, output: .null, errors: .pipe)
        } catch {
            throw .io(file: ffmpeg, problem: "cannot start ffmpeg: \(error.problem)")
        }
    }

    /// Sends one frame (must match the size given at start).
    public func append(_ image: RGBImage) throws(FaceError) {
        precondition(image.width == width && image.height == height, "frame size differs from the video size")
        do {
            try process.input?.write(contentsOf: image.pixels)
        } catch {
            let status = process.wait()
            throw .ffmpegFailed(status: status, log: process.errorText)
        }
        frameCount += 1
    }

    /// Closes the stream and waits for ffmpeg; throws with its log when it fails.
    @discardableResult
    public func finish() throws(FaceError) -> URL {
        let status = process.wait()
        guard status == 0 else { throw .ffmpegFailed(status: status, log: process.errorText) }
        return url
    }
}

/// Throws unless `url` is a regular file we can open (a FIFO or device would hang ffmpeg's read).
func readableCheck(_ url: URL) throws(FaceError) -> URL {
    do { try InputFile.checkRegular(url.path) } catch {
        if case .cannotRead(_, let problem) = error, problem == "no such file" { throw .io(file: url.path, problem: "audio file not found") }
        throw FaceError(error)
    }
    return url
}
