import Foundation

/// Reads RIFF/WAVE files: PCM 8/16/24/32-bit integer and 32/64-bit float, plain or
/// WAVE_FORMAT_EXTENSIBLE, any channel count (averaged to mono) and any sample rate.
///
/// Integers are scaled to [-1, 1) by their container width (8-bit is unsigned with offset 128).
/// A `data` chunk that declares more bytes than the file holds (a recording cut short, or a streamed
/// header with size 0 or 0xFFFFFFFF) is read up to the last whole frame.
public enum WAVReader {
    /// The sample encodings this reader decodes.
    public enum Encoding: Equatable, Sendable {
        case unsigned8, signed16, signed24, signed32, float32, float64
    }

    /// The `fmt ` chunk, as far as decoding needs it.
    public struct Format: Equatable, Sendable {
        public var encoding: Encoding
        public var channels: Int
        public var sampleRate: Int
        /// Bytes per frame (all channels).
        public var blockAlign: Int
    }

    /// True when `data` starts with a RIFF/WAVE signature.
    public static func looksLikeWAV(_ data: Data) -> Bool {
        guard data.count >= 12 else { return false }
        return data.prefix(4) == Data("RIFF".utf8) && data.dropFirst(8).prefix(4) == Data("WAVE".utf8)
    }

    /// Reads the file at `path` and downmixes it to mono at its own sample rate; with `channel`, only that
    /// channel (0-based; a dialogue's stereo file keeps one speaker per channel).
    public static func read(path: String, channel: Int? = nil) throws(AudioError) -> AudioClip {
        try AudioError.checkRegular(path)
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path), options: .mappedIfSafe)
        } catch {
            throw .unreadable(path: path, problem: error.localizedDescription)
        }
        return try decode(data, path: path, channel: channel)
    }

    /// Decodes WAV bytes (all channels averaged, or only `channel`); `path` only names the source in errors.
    public static func decode(_ data: Data, path: String, channel: Int? = nil) throws(AudioError) -> AudioClip {
        guard !data.isEmpty else { throw .empty(path: path) }
        let result: Result<AudioClip, AudioError> = data.withUnsafeBytes { raw in
            Result { () throws(AudioError) in
                try decode(Bytes(base: raw.bindMemory(to: UInt8.self).baseAddress!, count: raw.count), path: path, channel: channel)
            }
        }
        return try result.get()
    }

    /// A borrowed byte buffer (the file stays mapped, not copied).
    struct Bytes {
        let base: UnsafePointer<UInt8>
        let count: Int
        subscript(_ index: Int) -> UInt8 { base[index] }
    }

    static func decode(_ bytes: Bytes, path: String, channel: Int? = nil) throws(AudioError) -> AudioClip {
        guard bytes.count >= 12 else {
            throw .truncatedHeader(path: path, problem: "\(bytes.count) bytes, a RIFF header needs 12")
        }
        let signature = String(decoding: UnsafeBufferPointer(start: bytes.base, count: 4), as: UTF8.self)
            + String(decoding: UnsafeBufferPointer(start: bytes.base + 8, count: 4), as: UTF8.self)
        guard signature == "RIFFWAVE" else { throw .notWAV(path: path) }

        var format: Format?
        var position = 12
        while position + 8 <= bytes.count {
            let id = String(decoding: UnsafeBufferPointer(start: bytes.base + position, count: 4), as: UTF8.self)
            let size = Int(readUInt32(bytes, position + 4))
            let body = position + 8
            if id == "fmt " {
                guard body + min(size, 16) <= bytes.count, size >= 16 else {
                    throw .truncatedHeader(path: path, problem: "fmt chunk of \(size) bytes, \(bytes.count - body) present")
                }
                format = try parseFormat(bytes, at: body, size: size, path: path)
            } else if id == "data" {
                guard let format else { throw .malformedWAV(path: path, problem: "data chunk before the fmt chunk") }
                let available = bytes.count - body
                let declared = (size == 0 || size == 0xFFFF_FFFF) ? available : size
                let frames = min(declared, available) / format.blockAlign
                guard frames > 0 else { throw .empty(path: path) }
                if let channel, !(0..<format.channels).contains(channel) {
                    throw .malformedWAV(path: path, problem: "has \(format.channels) channel(s), channel \(channel + 1) was asked for")
                }
                let samples = try downmix(bytes.base + body, frames: frames, format: format, path: path, only: channel)
                return AudioClip(samples: samples, sampleRate: format.sampleRate, sourceChannels: format.channels)
            }
            position = body + size + (size & 1)
        }
        if format == nil {
            throw .truncatedHeader(path: path, problem: "no fmt chunk in \(bytes.count) bytes")
        }
        throw .empty(path: path)
    }

    static func parseFormat(_ bytes: Bytes, at body: Int, size: Int, path: String) throws(AudioError) -> Format {
        var tag = Int(readUInt16(bytes, body))
        let channels = Int(readUInt16(bytes, body + 2))
        let sampleRate = Int(readUInt32(bytes, body + 4))
        let blockAlign = Int(readUInt16(bytes, body + 12))
        let bits = Int(readUInt16(bytes, body + 14))
        if tag == 0xFFFE {
            // WAVE_FORMAT_EXTENSIBLE: the real tag is the first two bytes of the SubFormat GUID.
            guard size >= 40, body + 40 <= bytes.count else {
                throw .truncatedHeader(path: path, problem: "WAVE_FORMAT_EXTENSIBLE fmt chunk of \(size) bytes, needs 40")
            }
            tag = Int(readUInt16(bytes, body + 24))
        }
        guard channels > 0 else { throw .zeroChannels(path: path) }
        guard AudioLimits.sampleRates.contains(sampleRate) else {
            throw .absurdSampleRate(path: path, sampleRate: sampleRate)
        }
        guard blockAlign > 0, blockAlign % channels == 0 else {
            throw .malformedWAV(path: path, problem: "block alignment \(blockAlign) for \(channels) channel(s)")
        }
        let container = blockAlign / channels
        guard bits > 0, bits <= container * 8 else {
            throw .malformedWAV(path: path, problem: "\(bits)-bit samples in \(container)-byte slots")
        }
        let encoding: Encoding
        switch (tag, container) {
        case (1, 1): encoding = .unsigned8
        case (1, 2): encoding = .signed16
        case (1, 3): encoding = .signed24
        case (1, 4): encoding = .signed32
        case (3, 4): encoding = .float32
        case (3, 8): encoding = .float64
        default: throw .unsupportedWAVEncoding(path: path, formatTag: tag, bitsPerSample: bits)
        }
        return Format(encoding: encoding, channels: channels, sampleRate: sampleRate, blockAlign: blockAlign)
    }

    /// Averages the channels of `frames` interleaved frames into mono floats (or takes channel `only`).
    static func downmix(
        _ base: UnsafePointer<UInt8>, frames: Int, format: Format, path: String, only: Int? = nil
    ) throws(AudioError) -> [Float] {
        let width = format.blockAlign / format.channels
        let picked = only.map { $0..<($0 + 1) } ?? 0..<format.channels
        let scale = 1 / Double(picked.count)
        var output = [Float](repeating: 0, count: frames)
        var badFrame: Int?, badValue = 0.0
        output.withUnsafeMutableBufferPointer { out in
            let raw = UnsafeRawPointer(base)
            for frame in 0..<frames {
                var sum = 0.0
                let start = frame * format.blockAlign
                for channel in picked {
                    let p = start + channel * width
                    switch format.encoding {
                    case .unsigned8:
                        sum += (Double(base[p]) - 128) / 128
                    case .signed16:
                        sum += Double(Int16(bitPattern: raw.loadUnaligned(fromByteOffset: p, as: UInt16.self).littleEndian)) / 32_768
                    case .signed24:
                        let value = Int32(base[p]) | Int32(base[p + 1]) << 8 | Int32(Int8(bitPattern: base[p + 2])) << 16
                        sum += Double(value) / 8_388_608
                    case .signed32:
                        sum += Double(Int32(bitPattern: raw.loadUnaligned(fromByteOffset: p, as: UInt32.self).littleEndian)) / 2_147_483_648
                    case .float32:
                        sum += Double(Float(bitPattern: raw.loadUnaligned(fromByteOffset: p, as: UInt32.self).littleEndian))
                    case .float64:
                        sum += Double(bitPattern: raw.loadUnaligned(fromByteOffset: p, as: UInt64.self).littleEndian)
                    }
                }
                // Checked in Double, before narrowing: a float64 sample of 1e300 is finite here, infinite as Float.
                let mono = sum * scale
                if !(abs(mono) <= AudioLimits.maximumAmplitude), badFrame == nil { badFrame = frame; badValue = mono }
                out[frame] = Float(mono)
            }
        }
        if let badFrame {
            guard badValue.isFinite else { throw .nonFiniteSample(path: path, frame: badFrame, sampleRate: format.sampleRate) }
            throw .absurdAmplitude(path: path, frame: badFrame, sampleRate: format.sampleRate, value: badValue)
        }
        return output
    }

    static func readUInt16(_ bytes: Bytes, _ at: Int) -> UInt16 {
        UInt16(bytes[at]) | UInt16(bytes[at + 1]) << 8
    }

    static func readUInt32(_ bytes: Bytes, _ at: Int) -> UInt32 {
        UInt32(bytes[at]) | UInt32(bytes[at + 1]) << 8 | UInt32(bytes[at + 2]) << 16 | UInt32(bytes[at + 3]) << 24
    }
}
