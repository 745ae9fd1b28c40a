import Foundation

/// Decodes any container or codec ffmpeg reads (mp3, m4a/aac, flac, ogg/opus, the audio track of
/// mp4/mov, …) by running `ffmpeg` and reading a 32-bit float WAV stream from its stdout.
///
/// ffmpeg only decodes: the stream keeps its channels and sample rate, and `WAVReader` averages the
/// channels, so every format gets the same downmix (ffmpeg's `-ac 1` matrix scales stereo by
/// 1/(1 + √½), not ½) and `AudioLoader` the same tested resampler.
public struct FFmpegDecoder: Sendable {
    /// The ffmpeg executable; nil when none was found.
    public let executable: String?

    /// Uses `executable`, else `$M2F_FFMPEG`, else the first `ffmpeg` on `$PATH`.
    public init(executable: String? = nil) {
        self.executable = executable ?? Self.locate()
    }

    /// True when an ffmpeg executable was found.
    public var isAvailable: Bool { executable.map { FileManager.default.isExecutableFile(atPath: $0) } ?? false }

    /// `$M2F_FFMPEG` if set, else the first executable `ffmpeg` on `$PATH`.
    public static func locate() -> String? {
        let environment = ProcessInfo.processInfo.environment
        if let override = environment["M2F_FFMPEG"], !override.isEmpty { return override }
        let directories = (environment["PATH"] ?? "/usr/bin:/usr/local/bin:/opt/homebrew/bin").split(separator: ":")
        for directory in directories {
            let candidate = "\(directory)/ffmpeg"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// Decodes the first audio stream of `path` to mono at its own sample rate.
    public func decode(path: String) throws(AudioError) -> AudioClip {
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw .unreadable(path: path, problem: "no such file or no permission to read it")
        }
        guard let executable, isAvailable else { throw .ffmpegMissing(path: path) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = [
            "-nostdin", "-hide_banner", "-loglevel", "error", "-i", path,
            "-vn", "-map", "0:a:0", "-c:a", "pcm_f32le", "-f", "wav", "-",
        ]
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw .ffmpegMissing(path: path)
        }
        // Drain stderr on another thread so a chatty ffmpeg cannot block on a full pipe.
        let stderrBox = DataBox()
        let drained = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            stderrBox.data = errors.fileHandleForReading.readDataToEndOfFile()
            drained.signal()
        }
        let bytes = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        drained.wait()
        let message = String(decoding: stderrBox.data, as: UTF8.self)
        guard process.terminationStatus == 0 else {
            throw .ffmpegFailed(path: path, status: process.terminationStatus, stderr: message)
        }
        guard !bytes.isEmpty else { throw .empty(path: path) }
        return try WAVReader.decode(bytes, path: path)
    }
}

/// Holds the bytes a background reader collected.
private final class DataBox: @unchecked Sendable {
    var data = Data()
}
