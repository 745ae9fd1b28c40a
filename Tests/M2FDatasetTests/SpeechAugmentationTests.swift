import Foundation
import M2FDataset
import M2FTestSupport
import XCTest

final class SpeechAugmentationTests: XCTestCase {
    let rate = 16_000

    func sine(_ frequency: Double, seconds: Double, amplitude: Double = 0.5) -> [Float] {
        (0..<Int(seconds * Double(rate))).map { Float(amplitude * sin(2 * Double.pi * frequency * Double($0) / 16_000)) }
    }

    /// The strongest frequency of `samples` (Hz) by a direct DFT scan at 1 Hz steps within `range`.
    func dominantFrequency(_ samples: [Float], in range: ClosedRange<Int>) -> Double {
        let middle = Array(samples[samples.count / 4..<samples.count * 3 / 4])
        var best = 0.0, bestPower = -1.0
        for f in range {
            var re = 0.0, im = 0.0
            for (n, x) in middle.enumerated() {
                let angle = 2 * Double.pi * Double(f) * Double(n) / Double(rate)
                re += Double(x) * cos(angle); im += Double(x) * sin(angle)
            }
            if re * re + im * im > bestPower { bestPower = re * re + im * im; best = Double(f) }
        }
        return best
    }

    func testFFTConvolutionMatchesNumpy() throws {
        let fixture = try Fixture("convolve", group: "speech")
        let result = SpeechAugmentation.convolve(try fixture.input("a").toArray(), try fixture.input("b").toArray())
        let expected = try fixture.output.toArray()
        XCTAssertEqual(result.count, expected.count)
        let worst = zip(result, expected).map { abs($0 - $1) }.max()!
        XCTAssertLessThan(worst, 1e-5)
    }

    func testBandLimitMatchesNumpyAndRemovesHighBand() throws {
        let fixture = try Fixture("bandlimit", group: "speech")
        let input = try fixture.input("audio").toArray()
        let result = SpeechAugmentation.bandLimit(input, sampleRate: rate)
        let expected = try fixture.output.toArray()
        XCTAssertLessThan(zip(result, expected).map { abs($0 - $1) }.max()!, 1e-5)
        // A 5 kHz tone is > 40 dB down (its abrupt ends leak a little); a 1 kHz tone passes unchanged.
        let high = SpeechAugmentation.bandLimit(sine(5000, seconds: 0.5), sampleRate: rate)
        XCTAssertLessThan(SpeechAugmentation.power(high) / SpeechAugmentation.power(sine(5000, seconds: 0.5)), 1e-4)
        let mid = SpeechAugmentation.bandLimit(sine(1000, seconds: 0.5), sampleRate: rate)
        XCTAssertEqual(SpeechAugmentation.power(mid) / SpeechAugmentation.power(sine(1000, seconds: 0.5)), 1, accuracy: 0.01)
    }

    func testNoiseHitsTheRequestedSNR() {
        let clean = sine(440, seconds: 1)
        for (snr, color) in [(10.0, SpeechAugmentation.NoiseColor.white), (25, .pink), (0, .white)] {
            let noisy = SpeechAugmentation.addNoise(clean, snr: snr, color: color, seed: 7)
            let noise = zip(noisy, clean).map { $0 - $1 }
            let measured = 10 * log10(SpeechAugmentation.power(clean) / SpeechAugmentation.power(noise))
            XCTAssertEqual(measured, snr, accuracy: 0.01, "\(color)")
        }
        XCTAssertEqual(SpeechAugmentation.addNoise(clean, snr: 10, seed: 1), SpeechAugmentation.addNoise(clean, snr: 10, seed: 1))
        XCTAssertNotEqual(SpeechAugmentation.addNoise(clean, snr: 10, seed: 1), SpeechAugmentation.addNoise(clean, snr: 10, seed: 2))
    }

    /// The builder's noise: the SNR is set against the speech, not diluted by the silences around it.
    func testAugmenterNoiseSNRIsMeasuredAgainstTheSpeech() {
        let silence = [Float](repeating: 0, count: 16_000)
        let clip = silence + sine(440, seconds: 1) + silence
        var augmentation = Augmentation()
        augmentation.noiseSNR = 20
        let noisy = AudioAugmenter.apply(augmentation, samples: clip, phones: [], sampleRate: rate, seed: 4).samples
        XCTAssertEqual(noisy.count, clip.count)
        let noise = zip(noisy, clip).map { $0 - $1 }
        let speechPower = SpeechAugmentation.power(sine(440, seconds: 1))
        // Exactly the requested SNR against the samples above 1e-3; the tone's own power differs from that
        // only by its near-zero samples (80 exact zeros a second at 440 Hz: ~0.02 dB).
        XCTAssertEqual(10 * log10(SpeechAugmentation.activePower(clip) / SpeechAugmentation.power(noise)), 20, accuracy: 0.01)
        XCTAssertEqual(10 * log10(speechPower / SpeechAugmentation.power(noise)), 20, accuracy: 0.05)
        // Over the whole clip (two thirds silence) the SNR is ~4.8 dB lower: the definitions differ.
        XCTAssertEqual(10 * log10(SpeechAugmentation.power(clip) / SpeechAugmentation.power(noise)), 20 - 10 * log10(3), accuracy: 0.05)
    }

    /// The builder's telephone band removes the energy above 4 kHz and keeps the speech band.
    func testAugmenterBandLimitRemovesEnergyAboveFourKilohertz() {
        let low = sine(1000, seconds: 0.5, amplitude: 0.3), high = sine(5000, seconds: 0.5, amplitude: 0.3)
        var augmentation = Augmentation()
        augmentation.bandLimited = true
        let out = AudioAugmenter.apply(augmentation, samples: zip(low, high).map { $0 + $1 }, phones: [], sampleRate: rate, seed: 1).samples
        let residual = zip(out, low).map { $0 - $1 }
        XCTAssertLessThan(SpeechAugmentation.power(residual) / SpeechAugmentation.power(high), 1e-3)
    }

    func testImpulseResponseDecaysSixtyDecibelsInRT60() {
        for rt60 in [0.2, 0.5] {
            let response = SpeechAugmentation.impulseResponse(rt60: rt60, sampleRate: rate, seed: 3)
            // Schroeder backward integration of the reverberant tail; slope between −5 and −25 dB, ×3.
            let tail = response.dropFirst(Int(0.005 * Double(rate))).map { Double($0) * Double($0) }
            var energy = [Double](repeating: 0, count: tail.count)
            var sum = 0.0
            for i in stride(from: tail.count - 1, through: 0, by: -1) { sum += tail[i]; energy[i] = sum }
            let decibels = energy.map { 10 * log10($0 / energy[0]) }
            let t5 = decibels.firstIndex { $0 <= -5 }!, t25 = decibels.firstIndex { $0 <= -25 }!
            let measured = 3 * Double(t25 - t5) / Double(rate)
            XCTAssertEqual(measured, rt60, accuracy: 0.1 * rt60, "rt60 \(rt60)")
        }
    }

    func testReverberationKeepsLengthAndLoudnessAndSmears() {
        var click = [Float](repeating: 0, count: 8000)
        click[1000] = 0.9
        let wet = SpeechAugmentation.reverberate(click, sampleRate: rate, rt60: 0.3, wet: 0.6, seed: 5)
        XCTAssertEqual(wet.count, click.count)
        XCTAssertEqual(SpeechAugmentation.power(wet) / SpeechAugmentation.power(click), 1, accuracy: 0.01)
        // Energy after the click, 50–150 ms later, where the dry click has none.
        XCTAssertGreaterThan(SpeechAugmentation.power(Array(wet[1800..<3400])), 1e-7)
        XCTAssertLessThan(wet[..<1000].map { abs($0) }.max()!, 1e-6, "nothing before the click (causal)")
    }

    func testTempoChangesLengthAndPhonesButNotPitch() {
        let samples = sine(220, seconds: 1)
        let phones = [TimedPhone(phone: "aa", start: 0, end: 0.4), TimedPhone(phone: "m", start: 0.4, end: 1)]
        let utterance = SpokenUtterance(samples: samples, sampleRate: rate, phones: phones, transcript: "am", voiceID: "test")
        for factor in [1.25, 0.8] {
            let changed = SpeechAugmentation.changeTempo(utterance, factor: factor)
            XCTAssertEqual(Double(changed.samples.count), Double(samples.count) / factor, accuracy: 1)
            XCTAssertEqual(changed.phones[0].end, 0.4 / factor, accuracy: 1e-9)
            XCTAssertEqual(changed.phones[1].end, changed.duration, accuracy: 1e-9)
            XCTAssertEqual(dominantFrequency(changed.samples, in: 200...240), 220, accuracy: 2)
            // WSOLA keeps the tone's level (no comb-filter dips).
            XCTAssertEqual(SpeechAugmentation.power(Array(changed.samples[2000..<(changed.samples.count - 2000)]))
                           / SpeechAugmentation.power(samples), 1, accuracy: 0.1)
        }
    }

    func testPitchShiftMovesFrequencyAndKeepsLength() {
        let samples = sine(200, seconds: 1)
        for factor in [1.25, 0.8] {
            let shifted = SpeechAugmentation.pitchShift(samples, sampleRate: rate, factor: factor)
            XCTAssertEqual(shifted.count, samples.count)
            XCTAssertEqual(dominantFrequency(shifted, in: 140...280), 200 * factor, accuracy: 3)
        }
    }

    func testLoudnessAndPeakLimit() {
        let samples = sine(300, seconds: 0.5, amplitude: 0.2)
        let louder = SpeechAugmentation.changeLoudness(samples, decibels: 6)
        XCTAssertEqual(10 * log10(SpeechAugmentation.power(louder) / SpeechAugmentation.power(samples)), 6, accuracy: 0.01)
        // Far too loud: the peak limit scales the whole clip down to 0.99 rather than clipping it.
        let limited = SpeechAugmentation.limitPeak(SpeechAugmentation.changeLoudness(samples, decibels: 30), to: 0.99)
        XCTAssertEqual(limited.map { abs($0) }.max()!, 0.99, accuracy: 1e-6)
        let peak = samples.map { abs($0) }.max()!
        for i in stride(from: 0, to: samples.count, by: 97) { XCTAssertEqual(limited[i], samples[i] / peak * 0.99, accuracy: 1e-5) }
        XCTAssertEqual(SpeechAugmentation.limitPeak(samples, to: 0.99), samples)
    }

    /// A real utterance through every step of the builder's augmenter keeps sound timings.
    func testAugmenterAppliesEveryStepAndKeepsTimings() throws {
        let utterance = try FliteVoice.slt.synthesize("Maybe the weather will be better tomorrow.", prosody: .neutral)
        var augmentation = Augmentation()
        augmentation.tempo = 1.2; augmentation.pitch = 0.9; augmentation.reverbSeconds = 0.3; augmentation.bandLimited = true
        augmentation.noiseSNR = 20; augmentation.gainDB = 12
        let (samples, phones) = AudioAugmenter.apply(augmentation, samples: utterance.samples, phones: utterance.phones,
                                                      sampleRate: utterance.sampleRate, seed: 9)
        let augmented = SpokenUtterance(samples: samples, sampleRate: utterance.sampleRate, phones: phones,
                                        transcript: utterance.transcript, voiceID: utterance.voiceID)
        XCTAssertEqual(SpeechChecks.problems(augmented), [])
        XCTAssertEqual(augmented.duration, utterance.duration / 1.2, accuracy: 0.01)
        XCTAssertEqual(phones.map(\.phone), utterance.phones.map(\.phone))
        XCTAssertLessThanOrEqual(samples.map { abs($0) }.max()!, 0.99)
        XCTAssertEqual(samples, AudioAugmenter.apply(augmentation, samples: utterance.samples, phones: utterance.phones,
                                                     sampleRate: utterance.sampleRate, seed: 9).samples)
        XCTAssertEqual(augmentation.tags, ["tempo-1.2", "pitch-shift", "gain", "noise", "reverb", "band-limited"])
        XCTAssertEqual(Augmentation.none.tags, [])
    }
}
