import Foundation
import M2FSystem

/// Decodes any container or codec ffmpeg reads (mp3, m4a/aac, flac, ogg/opus, the audio track of
/// mp4/mov, …) by running `ffmpeg` and reading a 32-bit float WAV stream from its stdout.
///
/// ffmpeg only decodes: the stream keeps its channels and sample rate, and `WAVReader` averages the
/// channels, so every format gets the same downmix (ffmpeg's `-ac 1` matrix scales stereo by
/// 1/(1 + √½), not ½) and `AudioLoader` the same tested resampler.
public struct FFmpegDecoder: Sendable {
    /// The ffmpeg executable; nil when none was found.
    public let executable: String?

    /// Uses `executable`, else `Executable.ffmpeg` (`$M2F_FFMPEG`, else the first `ffmpeg` on `$PATH`).
    public init(executable: String? = nil) {
        self.executable = executable ?? Executable.ffmpeg
    }

    /// True when an ffmpeg executable was found.
    public var isAvailable: Bool { executable.map { FileManager.default.isExecutableFile(atPath: $0) } ?? false }

    /// Decodes the first audio stream of `path` to mono at its own sample rate.
    public func decode(path: String) throws(AudioError) -> AudioClip {
        try AudioError.checkRegular(path)
        guard let executable, isAvailable else { throw .ffmpegMissing(path: path) }
        let result: (status: Int32, output: Data, errors: String)
        do {
            result = try Subprocess.run(executable, [
                "-nostdin", "-hide_banner", "-loglevel", "error", "-i", path,
                "-vn", "-map", "0:a:0", "-c:a", "pcm_f32le", "-f", "wav", "pipe:1",
            ])
        } catch {
            throw .ffmpegMissing(path: path)
        }
        guard result.status == 0 else {
            throw .ffmpegFailed(path: path, status: result.status, stderr: result.errors)
        }
        guard !result.output.isEmpty else { throw .empty(path: path) }
        return try WAVReader.decode(result.output, path: path)
    }
}
