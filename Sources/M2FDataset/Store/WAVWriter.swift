import Foundation
import M2FEngine
import M2FSystem

/// Writes 32-bit float WAV files (for previews, so ffmpeg can mux a clip's audio, and the stereo
/// dialogue material of `m2f eval dialogue`).
public enum WAVWriter {
    /// RIFF/WAVE bytes: format tag 3 (IEEE float), one channel.
    public static func encode(_ samples: [Float], sampleRate: Int) -> Data {
        encode(channels: [samples], sampleRate: sampleRate)
    }

    /// RIFF/WAVE bytes, format tag 3 (IEEE float), the channels interleaved (equal lengths).
    public static func encode(channels: [[Float]], sampleRate: Int) -> Data {
        precondition(!channels.isEmpty && channels.allSatisfy { $0.count == channels[0].count }, "channels of equal length")
        let count = channels[0].count, width = channels.count
        var data = Data(capacity: 44 + count * 4 * width)
        func put32(_ value: UInt32) { withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) } }
        func put16(_ value: UInt16) { withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) } }
        data.append(Data("RIFF".utf8)); put32(UInt32(36 + count * 4 * width)); data.append(Data("WAVE".utf8))
        data.append(Data("fmt ".utf8)); put32(16); put16(3); put16(UInt16(width))
        put32(UInt32(sampleRate)); put32(UInt32(sampleRate * 4 * width)); put16(UInt16(4 * width)); put16(32)
        data.append(Data("data".utf8)); put32(UInt32(count * 4 * width))
        let interleaved = width == 1 ? channels[0] : (0..<count * width).map { channels[$0 % width][$0 / width] }
        interleaved.withUnsafeBytes { data.append(contentsOf: $0) }
        return data
    }

    /// Writes atomically.
    public static func write(_ samples: [Float], sampleRate: Int, to url: URL) throws(DatasetError) {
        try write(channels: [samples], sampleRate: sampleRate, to: url)
    }

    /// Writes the channels interleaved, atomically.
    public static func write(channels: [[Float]], sampleRate: Int, to url: URL) throws(DatasetError) {
        do { try AtomicFile.write(encode(channels: channels, sampleRate: sampleRate), to: url.path) } catch {
            throw .io(file: url.path, problem: "cannot write WAV: \(error.localizedDescription)")
        }
    }
}
