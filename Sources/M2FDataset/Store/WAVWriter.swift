import Foundation
import M2FEngine
import M2FSystem

/// Writes mono 32-bit float WAV files (for previews, so ffmpeg can mux a clip's audio).
public enum WAVWriter {
    /// RIFF/WAVE bytes: format tag 3 (IEEE float), one channel.
    public static func encode(_ samples: [Float], sampleRate: Int) -> Data {
        var data = Data(capacity: 44 + samples.count * 4)
        func put32(_ value: UInt32) { withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) } }
        func put16(_ value: UInt16) { withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) } }
        data.append(Data("RIFF".utf8)); put32(UInt32(36 + samples.count * 4)); data.append(Data("WAVE".utf8))
        data.append(Data("fmt ".utf8)); put32(16); put16(3); put16(1)
        put32(UInt32(sampleRate)); put32(UInt32(sampleRate * 4)); put16(4); put16(32)
        data.append(Data("data".utf8)); put32(UInt32(samples.count * 4))
        samples.withUnsafeBytes { data.append(contentsOf: $0) }
        return data
    }

    /// Writes atomically.
    public static func write(_ samples: [Float], sampleRate: Int, to url: URL) throws(DatasetError) {
        do { try AtomicFile.write(encode(samples, sampleRate: sampleRate), to: url.path) } catch {
            throw .io(file: url.path, problem: "cannot write WAV: \(error.localizedDescription)")
        }
    }
}
