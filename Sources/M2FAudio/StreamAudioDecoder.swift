/// Audio that arrives as bytes on a pipe (stdin, a socket): raw 16-bit little-endian PCM, or a WAV
/// stream whose header comes first and whose data size may be unknown (ffmpeg writes 0 or 0xFFFFFFFF
/// when it cannot seek back). Bytes go in in any pieces; mono Float samples come out, channels averaged.
public struct StreamAudioDecoder: Sendable {
    /// What the bytes are.
    public enum Container: Sendable, Equatable {
        /// Headerless signed 16-bit little-endian PCM at `sampleRate` Hz with `channels` channels.
        case raw(sampleRate: Int, channels: Int)
        /// A RIFF/WAVE stream.
        case wav
        /// A WAV stream when the bytes start with "RIFF", raw 16 kHz mono otherwise.
        case detect
    }

    enum Encoding: Sendable, Equatable { case pcm(bytes: Int), float32 }

    /// Names the source in errors ("stdin").
    public let source: String
    private var container: Container
    /// Samples per second of what `push` returns; nil until a WAV header has been read.
    public private(set) var sampleRate: Int?
    private var channels = 1
    private var encoding = Encoding.pcm(bytes: 2)
    private var pending: [UInt8] = []
    private var inData = false
    /// Data bytes still expected when the header declares a usable size.
    private var dataLeft: Int?
    private var framesDecoded = 0

    public init(source: String, container: Container = .detect) {
        self.source = source
        self.container = container
        if case let .raw(rate, channels) = container { startRaw(rate: rate, channels: channels) }
    }

    private mutating func startRaw(rate: Int, channels: Int) {
        sampleRate = rate
        self.channels = channels
        inData = true
    }

    /// The samples these bytes complete.
    public mutating func push(_ bytes: [UInt8]) throws(AudioError) -> [Float] {
        pending += bytes
        if container == .detect {
            guard pending.count >= 4 else { return [] }
            if Array(pending.prefix(4)) == Array("RIFF".utf8) { container = .wav } else {
                container = .raw(sampleRate: 16_000, channels: 1)
                startRaw(rate: 16_000, channels: 1)
            }
        }
        if !inData { try readHeader() }
        guard inData else { return [] }
        return try decodeFrames()
    }

    /// Ends the stream: an incomplete WAV header or no audio at all is an error; a partial last frame is dropped.
    public func finish() throws(AudioError) {
        if !inData {
            if pending.isEmpty && container != .wav { throw .empty(path: source) }
            throw .truncatedHeader(path: source, problem: "the stream ended after \(pending.count) bytes, before the WAV data chunk")
        }
        if framesDecoded == 0 { throw .empty(path: source) }
    }

    private static func little(_ b: ArraySlice<UInt8>) -> Int {
        b.reversed().reduce(0) { $0 << 8 | Int($1) }
    }

    /// Reads RIFF, WAVE and chunks up to "data" once they are all in `pending`.
    private mutating func readHeader() throws(AudioError) {
        guard pending.count >= 12 else { return }
        guard Array(pending[8..<12]) == Array("WAVE".utf8) else { throw .notWAV(path: source) }
        var offset = 12
        var haveFormat = false
        while pending.count >= offset + 8 {
            let id = String(decoding: pending[offset..<(offset + 4)], as: UTF8.self)
            let size = Self.little(pending[(offset + 4)..<(offset + 8)])
            if id == "data" {
                guard haveFormat else { throw .malformedWAV(path: source, problem: "the data chunk comes before the fmt chunk") }
                dataLeft = size == 0 || size == 0xFFFF_FFFF ? nil : size
                pending.removeFirst(offset + 8)
                inData = true
                return
            }
            let end = offset + 8 + size + size % 2
            guard size <= 1 << 20 else { throw .malformedWAV(path: source, problem: "chunk \"\(id)\" before the data claims \(size) bytes") }
            guard pending.count >= end else { return }
            if id == "fmt " {
                guard size >= 16 else { throw .malformedWAV(path: source, problem: "the fmt chunk is \(size) bytes, fewer than 16") }
                let body = pending[(offset + 8)..<(offset + 8 + size)]
                var tag = Self.little(body.prefix(2))
                channels = Self.little(body.dropFirst(2).prefix(2))
                let rate = Self.little(body.dropFirst(4).prefix(4))
                let bits = Self.little(body.dropFirst(14).prefix(2))
                if tag == 0xFFFE && size >= 26 { tag = Self.little(body.dropFirst(24).prefix(2)) }
                guard channels > 0 else { throw .zeroChannels(path: source) }
                guard AudioLimits.sampleRates.contains(rate) else { throw .absurdSampleRate(path: source, sampleRate: rate) }
                switch (tag, bits) {
                case (1, 16), (1, 24), (1, 32): encoding = .pcm(bytes: bits / 8)
                case (3, 32): encoding = .float32
                default: throw .unsupportedWAVEncoding(path: source, formatTag: tag, bitsPerSample: bits)
                }
                sampleRate = rate
                haveFormat = true
            }
            offset = end
        }
    }

    private var bytesPerSample: Int {
        switch encoding {
        case let .pcm(bytes): return bytes
        case .float32: return 4
        }
    }

    private mutating func decodeFrames() throws(AudioError) -> [Float] {
        var usable = pending.count
        if let dataLeft { usable = min(usable, dataLeft) }
        let frameBytes = channels * bytesPerSample
        let frames = usable / frameBytes
        guard frames > 0 else {
            if dataLeft == 0 { pending.removeAll() }
            return []
        }
        var out = [Float](repeating: 0, count: frames)
        let width = bytesPerSample
        let scale = 1 / Float(channels)
        for frame in 0..<frames {
            var sum: Float = 0
            for channel in 0..<channels {
                let at = (frame * channels + channel) * width
                switch encoding {
                case .float32:
                    let bits = UInt32(pending[at]) | UInt32(pending[at + 1]) << 8 | UInt32(pending[at + 2]) << 16 | UInt32(pending[at + 3]) << 24
                    let value = Float(bitPattern: bits)
                    guard value.isFinite else { throw .nonFiniteSample(path: source, frame: framesDecoded + frame, sampleRate: sampleRate ?? 1) }
                    sum += value
                case let .pcm(bytes):
                    var raw: Int32 = 0
                    for b in 0..<bytes { raw |= Int32(pending[at + b]) << (8 * (4 - bytes + b)) }  // sign from the top byte
                    sum += Float(raw) / 2_147_483_648
                }
            }
            out[frame] = sum * scale
        }
        let consumed = frames * frameBytes
        pending.removeFirst(consumed)
        if dataLeft != nil {
            dataLeft! -= consumed
            if dataLeft == 0 { pending.removeAll() }
        }
        framesDecoded += frames
        return out
    }
}
