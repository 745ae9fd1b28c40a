import Foundation
import M2FEngine

/// Seeded, smooth, band-limited noise in [−1, 1]: a sum of three sinusoids with random frequencies in
/// a band and random phases, normalised by the sum of their amplitudes. Cheap, deterministic and
/// free of the steps that value noise has; used for head drift, emotion variation and idle jaw.
struct SmoothNoise: Sendable {
    private var frequencies: [Double] = []
    private var phases: [Double] = []
    private var amplitudes: [Double] = []

    init(band: ClosedRange<Double>, generator: inout RandomGenerator, components: Int = 3) {
        for _ in 0..<components {
            let u = Double(generator.nextUniform())
            // Log-uniform in the band, so the low end is not starved.
            let low = max(band.lowerBound, 1e-4), high = max(band.upperBound, low)
            frequencies.append(low * Foundation.exp(u * Foundation.log(high / low)))
            phases.append(2 * Double.pi * Double(generator.nextUniform()))
            amplitudes.append(0.5 + Double(generator.nextUniform()))
        }
        let total = amplitudes.reduce(0, +)
        amplitudes = amplitudes.map { $0 / total }
    }

    /// The value at time t (s), in [−1, 1].
    func callAsFunction(_ t: Double) -> Double {
        var sum = 0.0
        for i in frequencies.indices { sum += amplitudes[i] * Foundation.sin(2 * Double.pi * frequencies[i] * t + phases[i]) }
        return sum
    }
}

/// Independent random streams per behaviour (blinks, gaze, head…) from one clip seed, so that a
/// change in how many numbers one behaviour draws never shifts another's.
enum TeacherStream: UInt64 {
    case blinks = 1, gaze, head, emotion, idle, asymmetry

    func generator(seed: UInt64) -> RandomGenerator {
        RandomGenerator(seed: seed &* 0x9E37_79B9_7F4A_7C15 &+ rawValue &* 0xD1B5_4A32_D192_ED03)
    }
}

/// Smooth 0 → 1 between `edge0` and `edge1` (Hermite), for ramps.
@inline(__always) func smoothRamp(_ edge0: Double, _ edge1: Double, _ x: Double) -> Double {
    if edge1 <= edge0 { return x < edge0 ? 0 : 1 }
    let t = min(max((x - edge0) / (edge1 - edge0), 0), 1)
    return t * t * (3 - 2 * t)
}
