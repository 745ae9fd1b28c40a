import Foundation
import M2FEngine
import M2FTestSupport
import Testing
import M2FAudio

/// Whisper's log-mel against the float64 numpy reference (scripts/fixtures/make_audio_fixtures.py).
struct LogMelTests {
    static let mel = WhisperLogMel()

    @Test(arguments: ["espeak", "flite", "synthetic"])
    func matchesReference(clip: String) throws {
        let fixture = try Fixture("mel_\(clip)", group: "audio")
        let audio = try fixture.input("audio").toArray()
        let expected = try fixture.output
        let actual = Self.mel(audio)
        #expect(actual.shape == expected.shape)
        let error = Closeness.maxAbsoluteError(actual, expected)
        print("log-mel \(clip): \(expected.shape) max abs error \(error)")
        #expect(error <= 1e-4)
    }

    @Test func filterBankMatchesLibrosaFormula() throws {
        let expected = try Fixture("mel_filters", group: "audio").output
        let actual = Tensor(Self.mel.filters, shape: [80, 201])
        #expect(Closeness.maxAbsoluteError(actual, expected) <= 1e-7)
    }

    @Test func frameCountAndPadding() {
        #expect(Self.mel([Float](repeating: 0, count: 159)).shape == [80, 0])
        #expect(Self.mel([Float](repeating: 0.1, count: 480_000)).shape == [80, 3000])
        // Whisper pads with 30 s of zeros before the STFT: same frames as explicit zeros.
        let audio = (0..<8000).map { Float(sin(Double($0) * 0.05)) * 0.3 }
        let padded = Self.mel(audio, padding: 1600).toArray()
        let explicit = Self.mel(audio + [Float](repeating: 0, count: 1600)).toArray()
        #expect(padded == explicit)
    }

    @Test func silenceIsFlatAndShortClipsDoNotCrash() {
        let silence = Self.mel([Float](repeating: 0, count: 1600)).toArray()
        #expect(silence.allSatisfy { $0 == (-10 + 4) / 4 })
        for count in [160, 161, 199, 200, 201, 399, 400, 401] {
            let audio = (0..<count).map { Float($0 % 7) / 7 }
            let out = Self.mel(audio)
            #expect(out.shape == [80, count / 160])
            #expect(out.toArray().allSatisfy { $0.isFinite })
        }
    }

    @Test func reflectIndexing() {
        #expect((-3...8).map { WhisperLogMel.reflect($0, count: 4) } == [3, 2, 1, 0, 1, 2, 3, 2, 1, 0, 1, 2])
        #expect(WhisperLogMel.reflect(5, count: 1) == 0)
    }
}

/// The polyphase resampler against scipy.signal.resample_poly.
struct ResamplerTests {
    @Test(arguments: [8_000, 22_050, 44_100, 48_000])
    func matchesScipy(rate: Int) throws {
        let fixture = try Fixture("resample_\(rate)", group: "audio")
        let input = try fixture.input("audio").toArray()
        let expected = try fixture.output
        let resampler = Resampler(from: rate)
        let output = resampler(input)
        #expect(output.count == expected.count)
        #expect(output.count == resampler.outputCount(for: input.count))
        let error = Closeness.maxAbsoluteError(Tensor(output, shape: [output.count]), expected)
        print("resample \(rate) → 16000: max abs error \(error)")
        #expect(error <= 1e-5)
    }

    @Test func sameRateIsIdentity() {
        let x: [Float] = [0.1, -0.2, 0.3]
        #expect(Resampler(from: 16_000)(x) == x)
    }

    @Test func removesContentAboveTheNewNyquist() {
        // 9.5 kHz at 48 kHz must fall at least 50 dB at 16 kHz (Nyquist 8 kHz); 1 kHz must pass at unit gain.
        let rate = 48_000
        let tone = { (f: Double) in (0..<rate).map { Float(sin(2 * Double.pi * f * Double($0) / Double(rate))) } }
        let rms = { (x: [Float]) in (x[2000..<14000].reduce(0) { $0 + Double($1 * $1) } / 12000).squareRoot() }
        let resampler = Resampler(from: rate)
        #expect(abs(rms(resampler(tone(1000))) - 0.5.squareRoot()) < 1e-3)
        #expect(rms(resampler(tone(9500))) < 0.5.squareRoot() * pow(10, -50.0 / 20))
    }
}
