import Foundation
import M2FEngine
import M2FFace

/// How each emotion changes the way a sentence is spoken, scaled by intensity, with seeded jitter.
///
/// At intensity 1 (from studies of vocal emotion: arousal raises rate, pitch and loudness):
/// | emotion   | rate | pitch | volume |
/// |-----------|------|-------|--------|
/// | neutral   | 1.00 | 1.00  | 1.00   |
/// | happy     | 1.10 | 1.15  | 1.10   |
/// | sad       | 0.80 | 0.88  | 0.70   |
/// | angry     | 1.12 | 1.05  | 1.40   |
/// | surprised | 1.05 | 1.25  | 1.15   |
/// | fearful   | 1.20 | 1.18  | 0.90   |
/// | disgusted | 0.88 | 0.93  | 1.00   |
/// | contempt  | 0.90 | 0.95  | 0.95   |
/// Intensity i interpolates geometrically: factor^i.
public enum EmotionProsody {
    /// The intensity-1 multipliers of the table above.
    public static func extreme(_ emotion: Emotion) -> Prosody {
        switch emotion {
        case .neutral: return Prosody()
        case .happy: return Prosody(rate: 1.10, pitch: 1.15, volume: 1.10)
        case .sad: return Prosody(rate: 0.80, pitch: 0.88, volume: 0.70)
        case .angry: return Prosody(rate: 1.12, pitch: 1.05, volume: 1.40)
        case .surprised: return Prosody(rate: 1.05, pitch: 1.25, volume: 1.15)
        case .fearful: return Prosody(rate: 1.20, pitch: 1.18, volume: 0.90)
        case .disgusted: return Prosody(rate: 0.88, pitch: 0.93, volume: 1.00)
        case .contempt: return Prosody(rate: 0.90, pitch: 0.95, volume: 0.95)
        }
    }

    /// The prosody for `emotion` at `intensity` (clamped to 0…1), without jitter.
    public static func prosody(for emotion: Emotion, intensity: Double) -> Prosody {
        let i = min(max(intensity, 0), 1)
        let e = extreme(emotion)
        return Prosody(rate: pow(e.rate, i), pitch: pow(e.pitch, i), volume: pow(e.volume, i))
    }

    /// `prosody(for:intensity:)` times a per-clip jitter drawn from `seed`: rate and pitch ±`jitter`,
    /// volume ±2·`jitter` (uniform, multiplicative), so two clips with the same label differ a little.
    public static func prosody(for emotion: Emotion, intensity: Double, seed: UInt64, jitter: Double = 0.05) -> Prosody {
        var random = RandomGenerator(seed: seed ^ 0x5052_4F53_4F44_59)  // "PROSODY"
        var base = prosody(for: emotion, intensity: intensity)
        func draw(_ width: Double) -> Double { 1 + width * (2 * Double(random.nextUniform()) - 1) }
        base.rate *= draw(jitter)
        base.pitch *= draw(jitter)
        base.volume *= draw(2 * jitter)
        return base
    }
}
