import Foundation
import M2FEngine
import M2FFace

/// A voice as the planner sees it: its id and what a description may say about the speaker.
public struct VoiceProfile: Codable, Sendable, Equatable {
    public var id: String
    /// `female`, `male` or `unknown`: used for descriptions ("a cheerful woman…").
    public var gender: String
    /// BCP 47 language tag.
    public var language: String
    /// The split the voice is held out for (`val`, `test`) or `train`; nil lets the planner choose.
    public var split: DatasetSplit?

    public init(id: String, gender: String = "unknown", language: String = "en", split: DatasetSplit? = nil) {
        self.id = id
        self.gender = gender
        self.language = language
        self.split = split
    }
}

/// Audio augmentation of one clip, applied after synthesis (see `AudioAugmenter`).
public struct Augmentation: Codable, Sendable, Equatable {
    /// Tempo factor (WSOLA time stretch, pitch kept); 1 = none. Phone times scale by 1/tempo.
    public var tempo: Double = 1
    /// Pitch factor (duration kept; 1.06 ≈ +1 semitone); 1 = none.
    public var pitch: Double = 1
    /// Gain in dB (0 = none).
    public var gainDB: Double = 0
    /// White noise at this signal-to-noise ratio in dB; nil = none.
    public var noiseSNR: Double?
    /// Room reverberation with this decay time (RT60, seconds); nil = none.
    public var reverbSeconds: Double?
    /// Telephone band (300–3400 Hz) when true.
    public var bandLimited = false
    /// Pink room tone at this RMS level in dBFS, under speech and silence alike (the floor real
    /// recordings have between words); nil = none. Idle clips use it (`DatasetPlan.idle`).
    public var roomToneDB: Double?

    public init() {}

    public static let none = Augmentation()

    /// Style tags naming the augmentation (`tempo-0.9`, `pitch-shift`, `noise`, `reverb`, `band-limited`, `gain`, `room-tone`).
    public var tags: [String] {
        var tags: [String] = []
        if tempo != 1 { tags.append("tempo-\(tempo)") }
        if pitch != 1 { tags.append("pitch-shift") }
        if gainDB != 0 { tags.append("gain") }
        if noiseSNR != nil { tags.append("noise") }
        if reverbSeconds != nil { tags.append("reverb") }
        if bandLimited { tags.append("band-limited") }
        if roomToneDB != nil { tags.append("room-tone") }
        return tags
    }
}

/// Everything needed to make one synthetic clip, decided up front from the build seed.
public struct ClipSpec: Codable, Sendable, Equatable {
    public var id: String
    public var index: Int
    public var shardIndex: Int
    public var split: DatasetSplit
    public var voiceIndex: Int
    /// Sentences spoken in order (empty: a listening clip with no speech).
    public var sentenceIndices: [Int]
    public var emotion: Emotion
    public var intensity: Double
    public var prosody: Prosody
    public var augmentation: Augmentation
    /// Silence before the first sentence, between sentences and after the last (seconds).
    public var leadingSilence: Double
    public var gapSilence: Double
    public var trailingSilence: Double
    /// A clip that is mostly listening (long silences around little or no speech).
    public var listening: Bool
    /// Seeds the teacher and the noise of this clip.
    public var seed: UInt64
}

/// The deterministic plan of a synthetic build: which clips, in which shards, in which split.
public struct DatasetPlan: Sendable {
    /// Bump when the rules below, or what `ClipMaker` makes of a spec, change: a resumed build refuses a
    /// dataset made by other rules. v4: `AudioAugmenter` uses the speech module's effects (convolution
    /// reverb, FFT telephone band, noise against the speech's power); a split without sentences of its
    /// own is not drawn.
    public static let plannerVersion = 4

    public let clips: [ClipSpec]
    public let shardCount: Int
    /// Voice indices held out for validation and for test (never in training).
    public let validationVoices: [Int]
    public let testVoices: [Int]
    /// The split of each sentence.
    public let sentenceSplits: [DatasetSplit]
    /// The planner's estimate of the total speech seconds.
    public let estimatedSeconds: Double

    /// The clips of one shard.
    public func clips(inShard index: Int) -> ArraySlice<ClipSpec> {
        let lower = clips.firstIndex { $0.shardIndex == index } ?? clips.count
        var upper = lower
        while upper < clips.count, clips[upper].shardIndex == index { upper += 1 }
        return clips[lower..<upper]
    }

    /// Plans clips until the estimated duration reaches `hours`.
    /// - Parameters:
    ///   - voices: voices whose profile names a split keep it; when none does and there are 6 or
    ///     more, the planner holds out one voice for validation and one for test (seeded).
    ///   - sentences: the corpus.
    ///   - sentenceSplits: the split of each sentence (the corpus's own); nil holds out a seeded 5 %
    ///     for validation and 5 % for test.
    public static func make(hours: Double, seed: UInt64, voices: [VoiceProfile], sentences: [String],
                            sentenceSplits givenSplits: [DatasetSplit]? = nil, clipsPerShard: Int) -> DatasetPlan {
        precondition(!voices.isEmpty && !sentences.isEmpty && clipsPerShard > 0 && hours > 0)
        var random = RandomGenerator(seed: seed ^ 0x4D32_4644_5F50_4C41)
        func uniform(_ lower: Double, _ upper: Double) -> Double { lower + (upper - lower) * Double(random.nextUniform()) }
        func chance(_ p: Double) -> Bool { Double(random.nextUniform()) < p }

        // Held-out voices.
        var voiceOrder = Array(voices.indices)
        shuffle(&voiceOrder, &random)
        var validationVoices = voices.count >= 6 ? [voiceOrder[0]] : []
        var testVoices = voices.count >= 6 ? [voiceOrder[1]] : []
        if voices.contains(where: { $0.split != nil }) {
            validationVoices = voices.indices.filter { voices[$0].split == .val }
            testVoices = voices.indices.filter { voices[$0].split == .test }
        }
        let trainVoices = voices.indices.filter { !validationVoices.contains($0) && !testVoices.contains($0) }
        // Held-out sentences: 5 % each (at least one when there are 3 or more).
        var sentenceOrder = Array(sentences.indices)
        shuffle(&sentenceOrder, &random)
        let heldOut = sentences.count >= 3 ? max(1, sentences.count / 20) : 0
        var sentenceSplits = [DatasetSplit](repeating: .train, count: sentences.count)
        for i in sentenceOrder.prefix(heldOut) { sentenceSplits[i] = .val }
        for i in sentenceOrder.dropFirst(heldOut).prefix(heldOut) { sentenceSplits[i] = .test }
        if let givenSplits {
            precondition(givenSplits.count == sentences.count, "one split per sentence")
            sentenceSplits = givenSplits
        }
        var pools: [DatasetSplit: [Int]] = [:]
        for split in DatasetSplit.allCases {
            var pool = sentences.indices.filter { sentenceSplits[$0] == split }
            shuffle(&pool, &random)
            pools[split] = pool
        }
        precondition(!pools[.train]!.isEmpty, "no training sentences")
        precondition(!trainVoices.isEmpty, "no training voices")
        var cursor: [DatasetSplit: Int] = [:]
        func nextSentence(_ split: DatasetSplit) -> Int {
            let pool = pools[split]!
            let position = cursor[split, default: 0]
            cursor[split] = position + 1
            return pool[position % pool.count]
        }

        let target = hours * 3600
        var clips: [ClipSpec] = []
        var estimated = 0.0
        while estimated < target {
            let index = clips.count
            let roll = Double(random.nextUniform())
            var split: DatasetSplit = roll < 0.9 ? .train : roll < 0.95 ? .val : .test
            // A split with no sentences of its own is not drawn: its held-out voices would have to speak
            // training sentences. So a held-out voice only ever speaks sentences of its own split.
            if pools[split]!.isEmpty { split = .train }
            // Held-out clips: half by a held-out voice (unseen speaker), half by a training voice
            // (unseen sentences only).
            let heldOutVoices = split == .val ? validationVoices : split == .test ? testVoices : []
            let voicePool = !heldOutVoices.isEmpty && chance(0.5) ? heldOutVoices : trainVoices
            let voice = voicePool[random.nextInt(below: voicePool.count)]
            let emotion: Emotion = chance(0.25) ? .neutral : Emotion.allCases[1 + random.nextInt(below: Emotion.allCases.count - 1)]
            let intensity = emotion == .neutral ? 0 : (uniform(0.3, 1) * 100).rounded() / 100
            let clipSeed = mix(seed, UInt64(index))
            let prosody = EmotionProsody.prosody(for: emotion, intensity: intensity, seed: clipSeed)
            var augmentation = Augmentation()
            if chance(0.5) {
                if chance(0.2) { augmentation.tempo = chance(0.5) ? 0.9 : 1.1 }
                if chance(0.2) { augmentation.pitch = (uniform(0.9, 1.12) * 100).rounded() / 100 }
                if chance(0.4) { augmentation.gainDB = (uniform(-10, 4) * 10).rounded() / 10 }
                if chance(0.3) { augmentation.noiseSNR = (uniform(15, 35)).rounded() }
                if chance(0.2) { augmentation.reverbSeconds = (uniform(0.2, 0.6) * 100).rounded() / 100 }
                if chance(0.15) { augmentation.bandLimited = true }
            }
            let listening = chance(0.08)
            var sentenceIndices: [Int] = []
            if listening {
                if chance(0.5) { sentenceIndices = [nextSentence(split)] }
            } else {
                sentenceIndices = [nextSentence(split)]
                if chance(0.3) { sentenceIndices.append(nextSentence(split)) }
            }
            let leading = listening ? uniform(2, 5) : uniform(0.15, 0.5)
            let gap = uniform(0.25, 0.6)
            let trailing = listening ? uniform(1, 3) : uniform(0.2, 0.8)
            let spec = ClipSpec(
                id: String(format: "syn-%06d", index), index: index, shardIndex: index / clipsPerShard, split: split,
                voiceIndex: voice, sentenceIndices: sentenceIndices, emotion: emotion, intensity: intensity, prosody: prosody,
                augmentation: augmentation, leadingSilence: round3(leading), gapSilence: round3(gap), trailingSilence: round3(trailing),
                listening: listening, seed: clipSeed)
            clips.append(spec)
            estimated += estimateSeconds(spec, sentences: sentences)
        }
        return DatasetPlan(clips: clips, shardCount: (clips.count + clipsPerShard - 1) / clipsPerShard,
                           validationVoices: validationVoices, testVoices: testVoices, sentenceSplits: sentenceSplits,
                           estimatedSeconds: estimated)
    }

    /// Rough length of a clip: about 20 characters per second at rate 1 (measured over the standard
    /// voices: a 1 h plan at 14 characters per second gave 0.77 h, at 18 0.91 h).
    static func estimateSeconds(_ spec: ClipSpec, sentences: [String]) -> Double {
        let characters = spec.sentenceIndices.reduce(0) { $0 + sentences[$1].count }
        let speech = Double(characters) / (20 * spec.prosody.rate) + 0.3 * Double(spec.sentenceIndices.count)
        let silence = spec.leadingSilence + spec.trailingSilence + spec.gapSilence * Double(max(0, spec.sentenceIndices.count - 1))
        return (speech + silence) / spec.augmentation.tempo
    }

    static func round3(_ value: Double) -> Double { (value * 1000).rounded() / 1000 }

    /// Fisher–Yates with the build's generator.
    static func shuffle(_ items: inout [Int], _ random: inout RandomGenerator) {
        guard items.count > 1 else { return }
        for i in stride(from: items.count - 1, to: 0, by: -1) { items.swapAt(i, random.nextInt(below: i + 1)) }
    }

    /// SplitMix64 of the build seed and a clip index: independent per-clip seeds.
    static func mix(_ seed: UInt64, _ index: UInt64) -> UInt64 {
        var z = seed &+ (index &+ 1) &* 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
