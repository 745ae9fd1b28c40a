import Foundation
import M2FEngine
import M2FFace

/// Idle clips (`m2f dataset build --synthetic --idle`): nobody speaks, the teacher's face listens (blinks,
/// gaze shifts, slow head drift, back-channel nods), and the audio is silence or the room tone real
/// recordings have between words. The synthetic set's listening clips are digital silence, so a model
/// trained on them alone froze in room tone (0 blinks per minute; 10–24 in silence).
extension DatasetPlan {
    /// Bump when the idle rules below change (part of the build settings, so a resumed build refuses a
    /// dataset made by other rules).
    public static let idlePlannerVersion = 1

    /// Plans idle clips of 5–15 s until their total reaches `hours`. A fifth are digital silence; the rest
    /// carry pink room tone at −75 … −35 dBFS. Three in five are neutral, the others an emotion at
    /// 0.3–0.7, so a style still shows on an idle face. Voices only pick the description's person.
    public static func idle(hours: Double, seed: UInt64, voices: [VoiceProfile], clipsPerShard: Int) -> DatasetPlan {
        precondition(!voices.isEmpty && clipsPerShard > 0 && hours > 0)
        var random = RandomGenerator(seed: seed ^ 0x4944_4C45_504C_414E)
        func uniform(_ lower: Double, _ upper: Double) -> Double { lower + (upper - lower) * Double(random.nextUniform()) }
        func chance(_ p: Double) -> Bool { Double(random.nextUniform()) < p }
        var clips: [ClipSpec] = []
        var seconds = 0.0
        while seconds < hours * 3600 {
            let index = clips.count
            let roll = Double(random.nextUniform())
            let split: DatasetSplit = roll < 0.9 ? .train : roll < 0.95 ? .val : .test
            let emotion: Emotion = chance(0.6) ? .neutral : Emotion.allCases[1 + random.nextInt(below: Emotion.allCases.count - 1)]
            let intensity = emotion == .neutral ? 0 : (uniform(0.3, 0.7) * 100).rounded() / 100
            let clipSeed = mix(seed, UInt64(index) | 0x1D1E_0000_0000)
            var augmentation = Augmentation()
            if chance(0.8) { augmentation.roomToneDB = (uniform(-75, -35) * 10).rounded() / 10 }
            let leading = round3(uniform(4, 12)), trailing = round3(uniform(1, 3))
            clips.append(ClipSpec(
                id: String(format: "idle-%06d", index), index: index, shardIndex: index / clipsPerShard, split: split,
                voiceIndex: random.nextInt(below: voices.count), sentenceIndices: [], emotion: emotion, intensity: intensity,
                prosody: EmotionProsody.prosody(for: emotion, intensity: intensity, seed: clipSeed), augmentation: augmentation,
                leadingSilence: leading, gapSilence: 0, trailingSilence: trailing, listening: true, seed: clipSeed))
            seconds += leading + trailing
        }
        return DatasetPlan(clips: clips, shardCount: (clips.count + clipsPerShard - 1) / clipsPerShard, validationVoices: [], testVoices: [],
                           sentenceSplits: [], estimatedSeconds: seconds)
    }
}
