import Foundation
import M2FAudio
import Testing

/// YIN on signals whose pitch is known by construction.
@Suite("Pitch estimator (YIN)")
struct PitchEstimatorTests {
    /// Three harmonics of `hz` (amplitudes 1, 0.5, 0.25) at 16 kHz.
    static func voice(_ hz: Double, seconds: Double = 0.2) -> [Float] {
        (0..<Int(seconds * 16_000)).map { i in
            let t = Double(i) / 16_000
            return Float(0.3 * (sin(2 * .pi * hz * t) + 0.5 * sin(4 * .pi * hz * t) + 0.25 * sin(6 * .pi * hz * t)))
        }
    }

    @Test("harmonic tones from 80 to 600 Hz: F0 within 0.5 % (not an octave off)", arguments: [80.0, 110, 146.83, 220, 440, 600])
    func harmonicTones(hz: Double) throws {
        let estimate = try #require(PitchEstimator().frequency(Self.voice(hz), start: 100))
        #expect(abs(estimate / hz - 1) < 0.005, "\(hz) Hz → \(estimate) Hz")
    }

    @Test("silence and a window past the end give no pitch")
    func unvoiced() {
        let estimator = PitchEstimator()
        #expect(estimator.frequency([Float](repeating: 0, count: 4_000), start: 0) == nil)
        #expect(estimator.frequency(Self.voice(220), start: 3_000) == nil)  // 3 200 samples, window 534
        #expect(estimator.frequency(Self.voice(220), start: -1) == nil)
    }
}
