import Foundation
import M2FAudio

/// Builds WAV files byte by byte for the reader tests, and a temporary folder to put them in.
enum WAVBytes {
    enum Sample { case u8, s16, s24, s32, f32, f64 }

    /// A RIFF/WAVE file holding `frames` (each an array of per-channel values in [-1, 1]).
    static func make(
        _ frames: [[Double]], sampleRate: Int, sample: Sample, extensible: Bool = false,
        channelsOverride: Int? = nil, dataSizeOverride: UInt32? = nil
    ) -> Data {
        let channels = frames.first?.count ?? 1
        let width: Int
        let tag: UInt16
        switch sample {
        case .u8: width = 1; tag = 1
        case .s16: width = 2; tag = 1
        case .s24: width = 3; tag = 1
        case .s32: width = 4; tag = 1
        case .f32: width = 4; tag = 3
        case .f64: width = 8; tag = 3
        }
        var body = Data()
        for frame in frames {
            for value in frame {
                switch sample {
                case .u8: body.append(UInt8(clamping: Int((value * 128).rounded()) + 128))
                case .s16: append(&body, UInt16(bitPattern: Int16(clamping: Int((value * 32768).rounded()))))
                case .s24:
                    let v = Int32(clamping: Int((value * 8_388_608).rounded()))
                    let clamped = min(max(v, -8_388_608), 8_388_607)
                    let bits = UInt32(bitPattern: clamped)
                    body.append(contentsOf: [UInt8(bits & 0xFF), UInt8(bits >> 8 & 0xFF), UInt8(bits >> 16 & 0xFF)])
                case .s32: append(&body, UInt32(bitPattern: Int32(clamping: Int((value * 2_147_483_648).rounded()))))
                case .f32: append(&body, Float(value).bitPattern)
                case .f64: append(&body, value.bitPattern)
                }
            }
        }
        var fmt = Data()
        append(&fmt, extensible ? UInt16(0xFFFE) : tag)
        append(&fmt, UInt16(channelsOverride ?? channels))
        append(&fmt, UInt32(sampleRate))
        append(&fmt, UInt32(truncatingIfNeeded: sampleRate * channels * width))
        append(&fmt, UInt16(channels * width))
        append(&fmt, UInt16(width * 8))
        if extensible {
            append(&fmt, UInt16(22))
            append(&fmt, UInt16(width * 8))
            append(&fmt, UInt32(channels == 2 ? 3 : 0))
            append(&fmt, tag)  // SubFormat GUID: tag, then the fixed KSDATAFORMAT suffix
            fmt.append(contentsOf: [0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71])
        }
        var file = Data("RIFF".utf8)
        append(&file, UInt32(4 + 8 + fmt.count + 8 + body.count + 8 + 4))
        file.append(Data("WAVE".utf8))
        // An unknown chunk first: readers must skip it.
        file.append(Data("LIST".utf8)); append(&file, UInt32(4)); file.append(Data("INFO".utf8))
        file.append(Data("fmt ".utf8)); append(&file, UInt32(fmt.count)); file.append(fmt)
        file.append(Data("data".utf8)); append(&file, dataSizeOverride ?? UInt32(body.count)); file.append(body)
        return file
    }

    static func append<T: FixedWidthInteger>(_ data: inout Data, _ value: T) {
        withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) }
    }

    /// A sine of `frequency` Hz, `seconds` long, as mono frames.
    static func sine(frequency: Double, sampleRate: Int, seconds: Double, amplitude: Double = 0.5) -> [[Double]] {
        (0..<Int(seconds * Double(sampleRate))).map { [amplitude * sin(2 * Double.pi * frequency * Double($0) / Double(sampleRate))] }
    }
}

/// A fresh temporary folder, removed when the value goes away.
final class TemporaryFolder {
    let url: URL

    init() {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("m2f-audio-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    /// Writes `data` to `name` and returns its path.
    func write(_ data: Data, to name: String) -> String {
        let path = url.appendingPathComponent(name).path
        FileManager.default.createFile(atPath: path, contents: data)
        return path
    }

    func path(_ name: String) -> String { url.appendingPathComponent(name).path }
}
