import Foundation
import M2FEngine

/// A list of augmentations for one clip, drawn from a seed and applied in a fixed order:
/// tempo → pitch → reverberation → band-limit → noise → loudness. Absent steps are skipped.
public struct AugmentationChain: Codable, Sendable, Hashable {
    /// Tempo factor (phones are rescaled with the audio).
    public var tempo: Double?
    /// Pitch factor.
    public var pitch: Double?
    /// Reverberation time (s) and wet share.
    public var reverbRT60: Double?
    public var reverbWet: Double = 0.4
    /// Telephone band 300…3400 Hz.
    public var telephone: Bool = false
    /// Noise SNR (dB) and colour.
    public var noiseSNR: Double?
    public var noiseColor: SpeechAugmentation.NoiseColor = .white
    /// Gain (dB).
    public var gainDecibels: Double?
    /// Seeds the noise and the impulse response.
    public var seed: UInt64 = 0

    public init() {}

    /// How often each step is drawn and over which ranges (uniform).
    public struct Policy: Codable, Sendable, Equatable {
        public var tempoProbability = 0.3, tempoRange = 0.85...1.15
        public var pitchProbability = 0.3, pitchRange = 0.9...1.12
        public var reverbProbability = 0.25, rt60Range = 0.15...0.6
        public var telephoneProbability = 0.1
        public var noiseProbability = 0.35, snrRange = 10.0...35.0
        public var gainProbability = 0.5, gainRange = -8.0...4.0

        public init() {}
        /// The policy of M2F-D's synthetic clips.
        public static let standard = Policy()
        /// Nothing is ever drawn.
        public static let none: Policy = {
            var policy = Policy()
            policy.tempoProbability = 0; policy.pitchProbability = 0; policy.reverbProbability = 0
            policy.telephoneProbability = 0; policy.noiseProbability = 0; policy.gainProbability = 0
            return policy
        }()
    }

    /// The chain drawn for one clip from `seed` under `policy` (same seed, same chain).
    public static func random(seed: UInt64, policy: Policy = .standard) -> AugmentationChain {
        var random = RandomGenerator(seed: seed ^ 0x4155_474D_454E_54)  // "AUGMENT"
        func chance(_ p: Double) -> Bool { Double(random.nextUniform()) < p }
        func uniform(_ range: ClosedRange<Double>) -> Double {
            range.lowerBound + (range.upperBound - range.lowerBound) * Double(random.nextUniform())
        }
        var chain = AugmentationChain()
        chain.seed = seed
        if chance(policy.tempoProbability) { chain.tempo = uniform(policy.tempoRange) }
        if chance(policy.pitchProbability) { chain.pitch = uniform(policy.pitchRange) }
        if chance(policy.reverbProbability) { chain.reverbRT60 = uniform(policy.rt60Range) }
        chain.telephone = chance(policy.telephoneProbability)
        if chance(policy.noiseProbability) {
            chain.noiseSNR = uniform(policy.snrRange)
            chain.noiseColor = chance(0.5) ? .pink : .white
        }
        if chance(policy.gainProbability) { chain.gainDecibels = uniform(policy.gainRange) }
        return chain
    }

    /// True when no step is set.
    public var isEmpty: Bool {
        tempo == nil && pitch == nil && reverbRT60 == nil && !telephone && noiseSNR == nil && gainDecibels == nil
    }

    /// The utterance with every step applied; phones follow the tempo change.
    public func apply(to utterance: SpokenUtterance) -> SpokenUtterance {
        var result = utterance
        let rate = utterance.sampleRate
        if let tempo { result = SpeechAugmentation.changeTempo(result, factor: tempo) }
        if let pitch { result.samples = SpeechAugmentation.pitchShift(result.samples, sampleRate: rate, factor: pitch) }
        if let reverbRT60 {
            result.samples = SpeechAugmentation.reverberate(result.samples, sampleRate: rate, rt60: reverbRT60,
                                                            wet: reverbWet, seed: seed &+ 1)
        }
        if telephone { result.samples = SpeechAugmentation.bandLimit(result.samples, sampleRate: rate) }
        if let noiseSNR {
            result.samples = SpeechAugmentation.addNoise(result.samples, snr: noiseSNR, color: noiseColor, seed: seed &+ 2)
        }
        if let gainDecibels { result.samples = SpeechAugmentation.changeLoudness(result.samples, decibels: gainDecibels) }
        return result
    }

    /// Short tags for a manifest's style tags (`tempo1.10`, `reverb0.35`, `telephone`, `snr18`, `gain-3`).
    public var tags: [String] {
        var tags: [String] = []
        if let tempo { tags.append(String(format: "tempo%.2f", tempo)) }
        if let pitch { tags.append(String(format: "pitch%.2f", pitch)) }
        if let reverbRT60 { tags.append(String(format: "reverb%.2f", reverbRT60)) }
        if telephone { tags.append("telephone") }
        if let noiseSNR { tags.append(String(format: "snr%.0f", noiseSNR) + (noiseColor == .pink ? "pink" : "")) }
        if let gainDecibels { tags.append(String(format: "gain%.0f", gainDecibels)) }
        return tags
    }
}
