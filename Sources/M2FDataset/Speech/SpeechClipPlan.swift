import Foundation
import M2FEngine

/// What one synthetic clip says and how: sentence, voice, emotion, prosody and augmentation, all drawn
/// from (build seed, clip index) so a resumed build redraws exactly the same clip.
///
/// Drawing rules (documented for the dataset card):
/// - the voice is uniform over the catalog;
/// - a training voice may speak any sentence; a val voice speaks only val sentences and a test voice
///   only test sentences, so held-out clips have both an unseen voice and an unseen sentence;
/// - the clip's split is `CorpusSplit.combined(voice split, sentence split)`;
/// - the emotion is the sentence's hint 80 % of the time when it has one; otherwise neutral 30 % and the
///   other seven emotions uniformly; intensity uniform in 0.3…1 (0 for neutral);
/// - prosody is `EmotionProsody.prosody(for:intensity:seed:)`; augmentation `AugmentationChain.random`.
public struct SpeechClipPlan: Codable, Sendable, Equatable {
    public var index: Int
    public var sentence: CorpusSentence
    public var voice: VoiceEntry
    public var emotion: Emotion
    public var intensity: Double
    public var prosody: Prosody
    public var augmentation: AugmentationChain
    /// Seeds everything random in this clip (the teacher may use it too).
    public var seed: UInt64
    public var split: CorpusSplit

    /// The plan of clip `index` of a build with `seed`.
    public static func draw(
        index: Int, seed: UInt64, corpus: SentenceCorpus, catalog: VoiceCatalog = .standard,
        augmentation policy: AugmentationChain.Policy = .standard
    ) -> SpeechClipPlan {
        precondition(!corpus.sentences.isEmpty && !catalog.entries.isEmpty, "an empty corpus or catalog")
        let clipSeed = mix(seed, UInt64(index))
        var random = RandomGenerator(seed: clipSeed)
        let voice = catalog.entries[random.nextInt(below: catalog.entries.count)]
        var pool = corpus.sentences
        if voice.split != .train {
            let held = corpus.sentences(in: voice.split)
            if !held.isEmpty { pool = held }
        }
        let sentence = pool[random.nextInt(below: pool.count)]
        let emotion: Emotion
        if let hint = sentence.emotionHint, random.nextUniform() < 0.8 {
            emotion = hint
        } else if random.nextUniform() < 0.3 {
            emotion = .neutral
        } else {
            let others = Emotion.allCases.filter { $0 != .neutral }
            emotion = others[random.nextInt(below: others.count)]
        }
        let intensity = emotion == .neutral ? 0 : 0.3 + 0.7 * Double(random.nextUniform())
        return SpeechClipPlan(
            index: index, sentence: sentence, voice: voice, emotion: emotion, intensity: intensity,
            prosody: EmotionProsody.prosody(for: emotion, intensity: intensity, seed: clipSeed),
            augmentation: AugmentationChain.random(seed: clipSeed, policy: policy),
            seed: clipSeed, split: CorpusSplit.combined(voice.split, sentence.split))
    }

    /// Synthesises the sentence with the voice and prosody, then applies the augmentation.
    public func speak() throws -> SpokenUtterance {
        let utterance = try voice.voice.synthesizer.synthesize(sentence.text, prosody: prosody)
        return augmentation.apply(to: utterance)
    }

    /// splitmix64 of the two values: a well-spread per-clip seed.
    static func mix(_ a: UInt64, _ b: UInt64) -> UInt64 {
        var z = a &+ 0x9E37_79B9_7F4A_7C15 &* (b &+ 1)
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
