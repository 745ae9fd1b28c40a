import Foundation
import M2FEngine
import M2FFace

/// The emotion overlay of a clip: a FACS-based ARKit pattern scaled by intensity, an envelope that
/// ramps in and out, and slow variation (upper and lower face drift independently).
///
/// weight_k(t) = pattern_k · intensity · envelope(t) · (1 + A·noise_region(k)(t)), with
/// envelope(t) = edge + (1 − edge)·min(ramp up from 0 over `onsetSeconds`, ramp down over the last
/// `offsetSeconds`). Neutral (or intensity 0) adds nothing.
struct EmotionOverlay: Sendable {
    /// (canonical ARKit index, weight at intensity 1, upper face?) triples.
    let pattern: [(Int, Float, Bool)]
    /// Jaw articulator added at intensity 1.
    let jawOffset: Double
    let intensity: Double
    let settings: EmotionSettings
    let duration: Double
    private let upperNoise: SmoothNoise
    private let lowerNoise: SmoothNoise

    init(performance: TeacherPerformance, duration: Double, settings: EmotionSettings) {
        var generator = TeacherStream.emotion.generator(seed: performance.seed)
        let label = performance.emotion.rawValue
        let intensity = performance.intensity.isFinite ? min(1, max(0, performance.intensity)) : 0
        self.intensity = performance.emotion == .neutral ? 0 : intensity
        self.settings = settings
        self.duration = duration
        upperNoise = SmoothNoise(band: settings.variationFrequency, generator: &generator)
        lowerNoise = SmoothNoise(band: settings.variationFrequency, generator: &generator)
        let mirror = settings.mirrorOneSidedRandomly && generator.nextUniform() < 0.5
        var pairs: [(Int, Float, Bool)] = []
        for (name, weight) in (settings.patterns[label] ?? [:]).sorted(by: { $0.key < $1.key }) {
            guard var shape = ARKitBlendshape(rawValue: name) else { continue }
            let partnerPresent = settings.patterns[label]?[shape.mirrored.rawValue] != nil
            if mirror && !partnerPresent { shape = shape.mirrored }
            pairs.append((shape.index, Float(weight), Self.isUpperFace(shape.index)))
        }
        pattern = pairs
        jawOffset = settings.jawOffsets[label] ?? 0
    }

    var isActive: Bool { intensity > 0 && (!pattern.isEmpty || jawOffset != 0) }

    /// The level (intensity × envelope) at time t, without variation.
    func level(at t: Double) -> Double {
        guard isActive else { return 0 }
        let rampUp = smoothRamp(0, settings.onsetSeconds, t)
        let rampDown = 1 - smoothRamp(duration - settings.offsetSeconds, duration, t)
        let edge = settings.edgeLevel
        return intensity * (edge + (1 - edge) * min(rampUp, rampDown))
    }

    /// Adds the overlay at time t to `weights` (52) and returns the jaw articulator offset.
    func apply(at t: Double, to weights: inout [Float]) -> Double {
        let level = self.level(at: t)
        guard level > 0 else { return 0 }
        let amplitude = settings.variationAmplitude
        let upper = Float(level * (1 + amplitude * upperNoise(t)))
        let lower = Float(level * (1 + amplitude * lowerNoise(t)))
        for (index, weight, isUpper) in pattern {
            weights[index] += weight * (isUpper ? upper : lower)
        }
        return jawOffset * Double(lower)
    }

    /// Brows, eyes, cheeks and nose (upper face) vary together; mouth and jaw separately.
    static func isUpperFace(_ index: Int) -> Bool {
        let name = ARKit.names[index]
        return name.hasPrefix("brow") || name.hasPrefix("eye") || name.hasPrefix("cheek") || name.hasPrefix("nose")
    }
}
