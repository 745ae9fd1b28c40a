import Foundation

/// Decodes any container or codec ffmpeg reads (mp3, m4a/aac, flac, ogg/opus, the audio track of
/// mp4/mov, …) by running `ffmpeg` and reading 32-bit float mono samples from its stdout.
///
/// ffmpeg averages the channels (`-ac 1`) and resamples (`-ar`) with its default swresample filter.
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

    /// Decodes the first audio stream of `path` to mono at `sampleRate`.
    public func decode(path: String, sampleRate: Int = WhisperLogMel.sampleRate) throws(AudioError) -> AudioClip {
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw .unreadable(path: path, problem: "no such file or no permission to read it")
        }
        guard let executable, isAvailable else { throw .ffmpegMissing(path: path) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = [
            "-nostdin", "-hide_banner", "-loglevel", "error", "-i", path,
            "-vn", "-map", "0:a:0", "-ac", "1", "-ar", String(sampleRate), "-f", "f32le", "-c:a", "pcm_f32le", "-",
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
        let count = bytes.count / MemoryLayout<Float>.size
        guard count > 0 else { throw .empty(path: path) }
        var samples = [Float](repeating: 0, count: count)
        samples.withUnsafeMutableBytes { destination in
            bytes.withUnsafeBytes { source in
                destination.copyMemory(from: UnsafeRawBufferPointer(rebasing: source[0..<count * 4]))
            }
        }
        #if _endian(big)
        for i in samples.indices { samples[i] = Float(bitPattern: UInt32(littleEndian: samples[i].bitPattern)) }
        #endif
        if let bad = samples.firstIndex(where: { !$0.isFinite }) {
            throw .nonFiniteSample(path: path, frame: bad, sampleRate: sampleRate)
        }
        return AudioClip(samples: samples, sampleRate: sampleRate, sourceChannels: 0, sourceSampleRate: 0)
    }
}

/// Holds the bytes a background reader collected.
private final class DataBox: @unchecked Sendable {
    var data = Data()
}
