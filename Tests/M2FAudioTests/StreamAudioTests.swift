import Foundation
import M2FAudio
import Testing

/// Audio that arrives in pieces: the streaming resampler equals the whole-recording one, and the
/// stream decoder equals the file reader whatever the byte pieces.
struct StreamAudioTests {
    /// Splits `count` items into pieces of pseudo-random sizes in 1 … `largest`.
    static func pieces(_ count: Int, largest: Int, seed: UInt64) -> [Range<Int>] {
        var state = seed
        var out: [Range<Int>] = []
        var start = 0
        while start < count {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let size = 1 + Int(state >> 33) % largest
            out.append(start..<min(count, start + size))
            start += size
        }
        return out
    }

    static func signal(_ count: Int, rate: Int) -> [Float] {
        (0..<count).map { i in
            let t = Double(i) / Double(rate)
            return Float(0.4 * sin(2 * .pi * 310 * t) + 0.2 * sin(2 * .pi * 2_900 * t + 0.3) + 0.05 * sin(Double(i) * 0.91))
        }
    }

    @Test(arguments: [44_100, 48_000, 8_000, 22_050])
    func streamingResamplerMatchesWholeRecording(rate: Int) {
        let input = Self.signal(rate * 3 / 2 + 17, rate: rate)
        let reference = Resampler(from: rate)(input)
        for (largest, seed) in [(1, 1 as UInt64), (37, 2), (4_000, 3), (input.count, 4)] {
            var streaming = StreamingResampler(from: rate)
            var output: [Float] = []
            for piece in Self.pieces(input.count, largest: largest, seed: seed) { output += streaming.push(Array(input[piece])) }
            output += streaming.finish()
            #expect(output == reference, "rate \(rate), pieces ≤ \(largest): \(output.count) vs \(reference.count) samples")
        }
    }

    @Test func wavStreamInPiecesMatchesTheFileReader() throws {
        let frames = (0..<5_000).map { i in [sin(Double(i) * 0.05) * 0.7, cos(Double(i) * 0.031) * 0.4] }
        for sample in [WAVBytes.Sample.s16, .s24, .s32, .f32] {
            let data = WAVBytes.make(frames, sampleRate: 22_050, sample: sample)
            let reference = try WAVReader.decode(data, path: "ref.wav")
            let bytes = [UInt8](data)
            for largest in [1, 7, 1_000, bytes.count] {
                var decoder = StreamAudioDecoder(source: "stdin")
                var samples: [Float] = []
                for piece in Self.pieces(bytes.count, largest: largest, seed: UInt64(largest)) { samples += try decoder.push(Array(bytes[piece])) }
                try decoder.finish()
                #expect(decoder.sampleRate == 22_050)
                #expect(samples.count == reference.samples.count)
                let worst = zip(samples, reference.samples).map { abs($0 - $1) }.max() ?? 0
                #expect(worst < 1e-6, "\(sample), pieces ≤ \(largest): worst difference \(worst)")
            }
        }
    }

    @Test func unknownDataSizeReadsToTheEnd() throws {
        // ffmpeg writing to a pipe cannot seek back: the data size stays 0xFFFFFFFF.
        let frames = (0..<800).map { [Double($0 % 50) / 100] }
        let data = WAVBytes.make(frames, sampleRate: 16_000, sample: .s16, dataSizeOverride: 0xFFFF_FFFF)
        var decoder = StreamAudioDecoder(source: "stdin")
        let samples = try decoder.push([UInt8](data))
        try decoder.finish()
        #expect(samples.count == 800)
        #expect(abs(samples[49] - 0.49) < 1e-4)
    }

    @Test func rawSixteenBitIsDetectedWithoutHeader() throws {
        let values: [Int16] = [0, 16_384, -16_384, 32_767, -32_768]
        let bytes = values.flatMap { v -> [UInt8] in let u = UInt16(bitPattern: v); return [UInt8(u & 0xFF), UInt8(u >> 8)] }
        var decoder = StreamAudioDecoder(source: "stdin")
        var samples = try decoder.push(Array(bytes.prefix(3)))
        samples += try decoder.push(Array(bytes.dropFirst(3)))
        try decoder.finish()
        #expect(decoder.sampleRate == 16_000)
        #expect(samples == values.map { Float($0) / 32_768 })
    }

    @Test func badStreamsAreNamedErrors() throws {
        var empty = StreamAudioDecoder(source: "stdin")
        #expect(throws: AudioError.empty(path: "stdin")) { try empty.finish() }

        let wav = [UInt8](WAVBytes.make([[0.1], [0.2]], sampleRate: 16_000, sample: .s16))
        var cut = StreamAudioDecoder(source: "stdin")
        _ = try cut.push(Array(wav.prefix(30)))
        #expect(throws: AudioError.self) { try cut.finish() }

        var eightBit = StreamAudioDecoder(source: "stdin")
        #expect(throws: AudioError.unsupportedWAVEncoding(path: "stdin", formatTag: 1, bitsPerSample: 8)) {
            _ = try eightBit.push([UInt8](WAVBytes.make([[0.1]], sampleRate: 16_000, sample: .u8)))
        }
        var float = StreamAudioDecoder(source: "stdin")
        var nan = [UInt8](WAVBytes.make([[0.1], [0.2]], sampleRate: 16_000, sample: .f32))
        nan.replaceSubrange((nan.count - 4)..<nan.count, with: [0x00, 0x00, 0xC0, 0x7F])
        #expect(throws: AudioError.nonFiniteSample(path: "stdin", frame: 1, sampleRate: 16_000)) { _ = try float.push(nan) }
    }
}
