import Foundation
import M2FSystem

/// What ffprobe says about the first video stream of a file.
public struct VideoInfo: Sendable, Equatable {
    /// Size of the decoded frames (after the container's rotation and any scaling down).
    public var width: Int, height: Int
    /// Size of the pictures in the file, display orientation.
    public var sourceWidth: Int, sourceHeight: Int
    /// Frames per second (average); 0 for a still image.
    public var fps: Double
    /// Frame count when the container states it.
    public var frameCount: Int?
}

/// Decodes a video or an image through ffmpeg into 8-bit RGB frames, one frame in memory at a time:
/// `ffmpeg … -f rawvideo -pix_fmt rgb24 pipe:1`, read frame by frame. Grayscale, paletted, 16-bit and
/// alpha pictures all come out as RGB; frames larger than `FrameLimits.decodeSide` are scaled down.
public final class VideoFrames {
    public let path: String
    public let info: VideoInfo
    private let child: Subprocess
    private let frameBytes: Int
    private var finished = false
    /// Frames read so far.
    public private(set) var framesRead = 0
    /// The last frame's pixels, shared with the image handed out (copied on write only if still held).
    private var buffer: [UInt8] = []

    /// Probes `path` and starts decoding it.
    public init(path: String, ffmpeg: String? = Executable.ffmpeg, ffprobe: String? = Executable.ffprobe) throws(TrackerError) {
        self.path = path
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else { throw .unreadable(path: path, problem: "no such file") }
        guard !isFolder.boolValue else { throw .unreadable(path: path, problem: "is a folder") }
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
              attributes[.type] as? FileAttributeType == .typeRegular else { throw .unreadable(path: path, problem: "not a regular file") }
        guard FileManager.default.isReadableFile(atPath: path) else { throw .unreadable(path: path, problem: "permission denied") }
        guard let ffmpeg, let ffprobe else { throw .ffmpegMissing(path: path) }
        info = try Self.probe(path: path, ffprobe: ffprobe)
        frameBytes = info.width * info.height * 3
        var arguments = ["-nostdin", "-hide_banner", "-loglevel", "error", "-i", path, "-map", "0:v:0", "-an", "-sn", "-fps_mode", "passthrough"]
        if info.width != info.sourceWidth || info.height != info.sourceHeight {
            arguments += ["-vf", "scale=\(info.width):\(info.height):flags=area"]
        }
        arguments += ["-f", "rawvideo", "-pix_fmt", "rgb24", "pipe:1"]
        do { child = try Subprocess(ffmpeg, arguments) } catch { throw .ffmpegMissing(path: path) }
        #if os(Linux)
        // A 1 MiB pipe (the default is 64 KiB): ffmpeg writes ahead into the next frame while this one is
        // tracked, so reading a frame waits less. Best effort: a refusal leaves the default.
        if let descriptor = child.output?.fileDescriptor { _ = fcntl(descriptor, 1031 /* F_SETPIPE_SZ */, 1 << 20) }
        #endif
    }

    deinit { child.terminate() }

    /// The next frame, nil after the last; throws when ffmpeg fails (a corrupt file): frames read
    /// before the failure stay valid.
    public func next() throws(TrackerError) -> RGBImage? {
        guard !finished, let output = child.output else { return nil }
        // Read straight into the frame buffer: when the caller has let go of the previous frame the buffer
        // is reused as it is (no allocation, no page faults, no copy of 2.7 MB per 720p frame).
        if buffer.count != frameBytes { buffer = [UInt8](repeating: 0, count: frameBytes) }
        let descriptor = output.fileDescriptor, wanted = frameBytes
        let filled = buffer.withUnsafeMutableBytes { raw in
            var filled = 0
            while filled < wanted {
                let count = read(descriptor, raw.baseAddress! + filled, wanted - filled)
                if count > 0 { filled += count } else if count < 0 && errno == EINTR { continue } else { break }
            }
            return filled
        }
        if filled == frameBytes {
            framesRead += 1
            return RGBImage(width: info.width, height: info.height, pixels: buffer)
        }
        finished = true
        let status = child.wait()
        let problem = child.errorText.split(separator: "\n").suffix(2).joined(separator: "; ")
        if status != 0 {
            throw .undecodable(path: path, problem: framesRead > 0 ? "ffmpeg stopped after \(framesRead) frames: \(problem)" : problem.isEmpty ? "ffmpeg exit status \(status)" : problem)
        }
        if framesRead == 0 { throw .noFrames(path: path) }
        return nil
    }

    /// Stops decoding (the rest of the file is skipped).
    public func close() {
        finished = true
        child.terminate()
    }

    /// Reads the first video stream's size, rotation and rate with ffprobe.
    static func probe(path: String, ffprobe: String) throws(TrackerError) -> VideoInfo {
        let result: (status: Int32, output: Data, errors: String)
        do {
            result = try Subprocess.run(ffprobe, ["-v", "error", "-select_streams", "v:0", "-show_entries",
                                                  "stream=width,height,avg_frame_rate,r_frame_rate,nb_frames:stream_side_data=rotation:stream_tags=rotate",
                                                  "-of", "json", path])
        } catch { throw .ffmpegMissing(path: path) }
        let problem = result.errors.split(separator: "\n").last.map(String.init) ?? "ffprobe exit status \(result.status)"
        guard result.status == 0 else { throw .undecodable(path: path, problem: problem) }
        guard let root = try? JSONSerialization.jsonObject(with: result.output) as? [String: Any],
              let streams = root["streams"] as? [[String: Any]] else { throw .undecodable(path: path, problem: "ffprobe gave no stream list") }
        guard let stream = streams.first else { throw .noFrames(path: path) }
        guard var width = stream["width"] as? Int, var height = stream["height"] as? Int, width > 0, height > 0 else {
            throw .undecodable(path: path, problem: "the video stream has no picture size")
        }
        var rotation = 0.0
        if let sideData = stream["side_data_list"] as? [[String: Any]] {
            for entry in sideData { if let r = entry["rotation"] as? Double { rotation = r } else if let r = entry["rotation"] as? Int { rotation = Double(r) } }
        }
        if let tags = stream["tags"] as? [String: Any], let r = (tags["rotate"] as? String).flatMap(Double.init) { rotation = r }
        if Int(abs(rotation).rounded()) % 180 == 90 { swap(&width, &height) }
        guard max(width, height) <= FrameLimits.maximumSourceSide, width * height <= FrameLimits.maximumSourcePixels else {
            throw .tooLarge(path: path, width: width, height: height)
        }
        func rate(_ key: String) -> Double? {
            guard let text = stream[key] as? String else { return nil }
            let parts = text.split(separator: "/").compactMap { Double($0) }
            guard parts.count == 2, parts[1] > 0, parts[0] > 0 else { return nil }
            return parts[0] / parts[1]
        }
        let fps = rate("avg_frame_rate") ?? rate("r_frame_rate") ?? 0
        let frameCount = (stream["nb_frames"] as? String).flatMap(Int.init)
        var decodedWidth = width, decodedHeight = height
        let longSide = max(width, height)
        if longSide > FrameLimits.decodeSide {
            let scale = Double(FrameLimits.decodeSide) / Double(longSide)
            decodedWidth = max(2, Int((Double(width) * scale / 2).rounded()) * 2)
            decodedHeight = max(2, Int((Double(height) * scale / 2).rounded()) * 2)
        }
        return VideoInfo(width: decodedWidth, height: decodedHeight, sourceWidth: width, sourceHeight: height, fps: fps, frameCount: frameCount)
    }
}
