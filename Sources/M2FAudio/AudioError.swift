import Foundation
import M2FSystem

/// Everything that can go wrong reading audio: each case names the file, the problem and the fix.
public enum AudioError: LocalizedError, Equatable {
    /// The file could not be opened or read.
    case unreadable(path: String, problem: String)
    /// The file holds no bytes, or no audio frames.
    case empty(path: String)
    /// The RIFF/WAVE header or a chunk header stops before its declared end.
    case truncatedHeader(path: String, problem: String)
    /// The file starts like no WAV file (and no other decoder was asked to try it).
    case notWAV(path: String)
    /// A WAV structure is inconsistent (missing `fmt ` or `data`, bad block alignment, …).
    case malformedWAV(path: String, problem: String)
    /// A WAV encoding this reader does not decode (µ-law, ADPCM, 12-bit PCM, …).
    case unsupportedWAVEncoding(path: String, formatTag: Int, bitsPerSample: Int)
    /// The header declares no channels.
    case zeroChannels(path: String)
    /// The header declares a sample rate outside `AudioLimits.sampleRates`.
    case absurdSampleRate(path: String, sampleRate: Int)
    /// A floating-point sample is NaN or infinite.
    case nonFiniteSample(path: String, frame: Int, sampleRate: Int)
    /// A floating-point sample lies far outside [−1, 1] (beyond `AudioLimits.maximumAmplitude`).
    case absurdAmplitude(path: String, frame: Int, sampleRate: Int, value: Double)
    /// ffmpeg is needed for this container or codec and is not installed.
    case ffmpegMissing(path: String)
    /// ffmpeg ran and failed.
    case ffmpegFailed(path: String, status: Int32, stderr: String)

    public var errorDescription: String? {
        switch self {
        case let .unreadable(path, problem):
            return "\(path): cannot read the file (\(problem)). Check the path and its permissions."
        case let .empty(path):
            return "\(path): the file holds no audio. Record or export it again."
        case let .truncatedHeader(path, problem):
            return "\(path): truncated WAV header (\(problem)). The file was cut short; export it again."
        case let .notWAV(path):
            return "\(path): not a RIFF/WAVE file. Convert it to WAV, or install ffmpeg to read other formats."
        case let .malformedWAV(path, problem):
            return "\(path): malformed WAV file (\(problem)). Re-export it as plain PCM WAV."
        case let .unsupportedWAVEncoding(path, formatTag, bits):
            return "\(path): WAV encoding \(String(format: "0x%04X", formatTag)) at \(bits) bits is not decoded natively; "
                + "install ffmpeg (`apt-get install ffmpeg`) or convert it to 16-bit PCM."
        case let .zeroChannels(path):
            return "\(path): the WAV header declares 0 channels. The file is damaged; export it again."
        case let .absurdSampleRate(path, rate):
            return "\(path): sample rate \(rate) Hz is outside \(AudioLimits.sampleRates.lowerBound)…"
                + "\(AudioLimits.sampleRates.upperBound) Hz. The header is damaged; export the file again."
        case let .nonFiniteSample(path, frame, rate):
            let seconds = String(format: "%.3f", Double(frame) / Double(max(rate, 1)))
            return "\(path): sample \(frame) (at \(seconds) s) is NaN or infinite. Clean or re-export the audio."
        case let .absurdAmplitude(path, frame, rate, value):
            let seconds = String(format: "%.3f", Double(frame) / Double(max(rate, 1)))
            return "\(path): sample \(frame) (at \(seconds) s) is \(value), beyond ±\(Int(AudioLimits.maximumAmplitude)) "
                + "(full scale is ±1): the samples are not audio levels. Normalise or re-export the audio."
        case let .ffmpegMissing(path):
            return "\(path): reading this format needs ffmpeg, which is not installed. Install it with "
                + "`apt-get install ffmpeg` (Linux) or `brew install ffmpeg` (macOS), or convert the file to WAV."
        case let .ffmpegFailed(path, status, stderr):
            let detail = stderr.trimmingCharacters(in: .whitespacesAndNewlines)
            return "\(path): ffmpeg exited with status \(status)"
                + (detail.isEmpty ? "" : ": \(detail.suffix(600))")
                + ". Check that the file is a complete audio or video file with an audio track."
        }
    }
}

/// Bounds on what a header may declare before it is treated as damaged.
public enum AudioLimits {
    /// Sample rates accepted from a file header, in Hz.
    public static let sampleRates: ClosedRange<Int> = 1_000...768_000
    /// The largest |sample| of a floating-point file (60 dB above full scale). Float WAVs may exceed ±1,
    /// but 1e30 is no audio level, and 1e300 would become infinite in Float32 and fail far downstream.
    public static let maximumAmplitude: Double = 1_000
}

extension AudioError {
    /// Refuses a path that is not a regular file: a FIFO, `/dev/zero` or `/dev/urandom` named `.mp3`
    /// would block or be read forever with growing memory.
    static func checkRegular(_ path: String) throws(AudioError) {
        do { try InputFile.checkRegular(path) } catch {
            if case .cannotRead(_, "no such file") = error { throw .unreadable(path: path, problem: "no such file or no permission to read it") }
            throw .unreadable(path: path, problem: error.problem)
        }
    }
}
