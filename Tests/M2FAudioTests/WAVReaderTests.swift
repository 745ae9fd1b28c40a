import Foundation
import M2FEngine
import M2FTestSupport
import Testing
import M2FAudio

/// Every WAV encoding the reader claims, and every damaged header it must reject with a clear error.
struct WAVReaderTests {
    static let ramp: [[Double]] = (0..<64).map { [Double($0 - 32) / 40] }

    @Test(arguments: [
        (WAVBytes.Sample.u8, 1.0 / 128), (.s16, 1.0 / 32768), (.s24, 1.0 / 8_388_608),
        (.s32, 1e-7), (.f32, 1e-7), (.f64, 1e-7),
    ])
    func decodesEveryEncoding(sample: WAVBytes.Sample, tolerance: Double) throws {
        for extensible in [false, true] {
            let data = WAVBytes.make(Self.ramp, sampleRate: 22_050, sample: sample, extensible: extensible)
            let clip = try WAVReader.decode(data, path: "ramp.wav")
            #expect(clip.sampleRate == 22_050)
            #expect(clip.samples.count == Self.ramp.count)
            let worst = zip(clip.samples, Self.ramp).map { abs(Double($0) - $1[0]) }.max()!
            #expect(worst <= tolerance, "\(sample) extensible=\(extensible): max error \(worst)")
        }
    }

    @Test func averagesAnyChannelCount() throws {
        let stereo: [[Double]] = (0..<100).map { [Double($0) / 200, -0.25] }
        let clip = try WAVReader.decode(WAVBytes.make(stereo, sampleRate: 48_000, sample: .s16), path: "stereo.wav")
        #expect(clip.sourceChannels == 2)
        for (value, frame) in zip(clip.samples, stereo) { #expect(abs(Double(value) - (frame[0] + frame[1]) / 2) < 1e-4) }

        let six: [[Double]] = (0..<50).map { i in (0..<6).map { Double(i + $0) / 100 } }
        let surround = try WAVReader.decode(WAVBytes.make(six, sampleRate: 44_100, sample: .f32, extensible: true), path: "5.1.wav")
        #expect(surround.sourceChannels == 6)
        for (value, frame) in zip(surround.samples, six) { #expect(abs(Double(value) - frame.reduce(0, +) / 6) < 1e-6) }
    }

    @Test func readsTheCommittedSpeechClip() throws {
        let path = Fixture.directory.appendingPathComponent("audio/espeak_22050.wav").path
        let clip = try WAVReader.read(path: path)
        let expected = try Fixture("resample_22050", group: "audio").input("audio")
        #expect(clip.sampleRate == 22_050)
        #expect(Closeness.maxAbsoluteError(Tensor(clip.samples, shape: [clip.samples.count]), expected) == 0)
    }

    @Test func streamedOrCutDataChunksReadWholeFrames() throws {
        let frames = WAVBytes.sine(frequency: 100, sampleRate: 8_000, seconds: 0.01)
        let streamed = WAVBytes.make(frames, sampleRate: 8_000, sample: .s16, dataSizeOverride: 0xFFFF_FFFF)
        #expect(try WAVReader.decode(streamed, path: "pipe.wav").samples.count == frames.count)
        let cut = WAVBytes.make(frames, sampleRate: 8_000, sample: .s16).dropLast(3)
        #expect(try WAVReader.decode(Data(cut), path: "cut.wav").samples.count == frames.count - 2)
    }

    // MARK: bad input: each names the file and the problem

    static func failure(_ data: Data, _ name: String = "bad.wav") -> AudioError? {
        do {
            _ = try WAVReader.decode(data, path: name)
            return nil
        } catch {
            #expect(error.errorDescription?.contains(name) == true)
            return error
        }
    }

    static var good: Data { WAVBytes.make(ramp, sampleRate: 16_000, sample: .s16) }

    @Test func emptyFile() {
        #expect(Self.failure(Data()) == .empty(path: "bad.wav"))
        let noFrames = WAVBytes.make([], sampleRate: 16_000, sample: .s16)
        #expect(Self.failure(noFrames) == .empty(path: "bad.wav"))
    }

    @Test func truncatedHeaders() {
        for length in [4, 11] {
            guard case .truncatedHeader = Self.failure(Self.good.prefix(length)) else {
                Issue.record("\(length) bytes: expected a truncated-header error"); continue
            }
        }
        // RIFF + WAVE + LIST chunk + 'fmt ' id and size but only 6 bytes of its body.
        for length in [12, 24, 40] {
            guard case .truncatedHeader = Self.failure(Self.good.prefix(length)) else {
                Issue.record("\(length) bytes: expected a truncated-header error"); continue
            }
        }
        let extensible = WAVBytes.make(Self.ramp, sampleRate: 16_000, sample: .s16, extensible: true)
        guard case .truncatedHeader = Self.failure(extensible.prefix(20 + 8 + 30)) else {
            Issue.record("cut extensible fmt: expected a truncated-header error"); return
        }
    }

    @Test func zeroChannels() {
        let data = WAVBytes.make(Self.ramp, sampleRate: 16_000, sample: .s16, channelsOverride: 0)
        #expect(Self.failure(data) == .zeroChannels(path: "bad.wav"))
    }

    @Test(arguments: [0, 999, 4_000_000_000])
    func absurdSampleRates(rate: Int) {
        let data = WAVBytes.make(Self.ramp, sampleRate: rate, sample: .s16)
        #expect(Self.failure(data) == .absurdSampleRate(path: "bad.wav", sampleRate: rate))
    }

    @Test func nanAndInfinitySamples() {
        for poison in [Double.nan, .infinity] {
            var frames = Self.ramp
            frames[10] = [poison]
            for sample in [WAVBytes.Sample.f32, .f64] {
                let error = Self.failure(WAVBytes.make(frames, sampleRate: 16_000, sample: sample))
                #expect(error == .nonFiniteSample(path: "bad.wav", frame: 10, sampleRate: 16_000))
            }
        }
    }

    /// Issue 19: a float64 sample of 1e300 is finite as Double and infinite as Float; it used to be
    /// accepted and fail far downstream without naming the file.
    @Test func samplesFarBeyondFullScale() {
        for (poison, sample) in [(1e300, WAVBytes.Sample.f64), (-1e30, .f64), (1e30, .f32), (2e3, .f32)] {
            var frames = Self.ramp
            frames[7] = [poison]
            let error = Self.failure(WAVBytes.make(frames, sampleRate: 16_000, sample: sample))
            #expect(error == .absurdAmplitude(path: "bad.wav", frame: 7, sampleRate: 16_000, value: sample == .f32 ? Double(Float(poison)) : poison))
            #expect(error?.localizedDescription.hasPrefix("bad.wav: sample 7 (at 0.000 s)") == true)
        }
        // Loud but plausible float audio (+20 dB over full scale) is still read.
        var loud = Self.ramp
        loud[3] = [10]
        #expect((try? WAVReader.decode(WAVBytes.make(loud, sampleRate: 16_000, sample: .f32), path: "loud.wav"))?.samples[3] == 10)
    }

    @Test func notAWAVFile() {
        #expect(Self.failure(Data("ID3 this is an mp3, honestly".utf8)) == .notWAV(path: "bad.wav"))
    }

    @Test func unsupportedEncoding() {
        var data = Self.good
        // µ-law: format tag 7 (the fmt body starts after RIFF(12) + LIST(12) + 'fmt '(8)).
        data[32] = 7
        #expect(Self.failure(data) == .unsupportedWAVEncoding(path: "bad.wav", formatTag: 7, bitsPerSample: 16))
    }

    @Test func inconsistentBlockAlignment() {
        var data = WAVBytes.make([[0.1, 0.2], [0.3, 0.4]], sampleRate: 16_000, sample: .s16)
        data[32 + 12] = 3  // block align 3 for 2 channels
        guard case .malformedWAV = Self.failure(data) else { Issue.record("expected malformedWAV"); return }
    }

    @Test func missingFile() {
        guard case .unreadable = Result(catching: { () throws(AudioError) in try WAVReader.read(path: "/nonexistent/x.wav") }).failureValue else {
            Issue.record("expected unreadable"); return
        }
    }
}

extension Result {
    var failureValue: Failure? { if case .failure(let e) = self { return e } else { return nil } }
}
