import Foundation
import M2FDataset
import M2FEngine
import M2FFace
import Testing

/// Idle clips (`m2f dataset build --synthetic --idle`): the plan, the room tone's level, and a build with
/// the real teacher whose faces blink and keep the mouth at rest.
@Suite struct IdleBuildTests {
    @Test func idlePlanIsListeningOverSilenceOrRoomTone() {
        let sources = BuildTestSources.sources()
        let a = DatasetPlan.idle(hours: 0.3, seed: 3, voices: sources.profiles, clipsPerShard: 8)
        #expect(a.clips == DatasetPlan.idle(hours: 0.3, seed: 3, voices: sources.profiles, clipsPerShard: 8).clips)
        #expect(a.clips != DatasetPlan.idle(hours: 0.3, seed: 4, voices: sources.profiles, clipsPerShard: 8).clips)
        #expect(a.clips.allSatisfy { $0.listening && $0.sentenceIndices.isEmpty && $0.id.hasPrefix("idle-") })
        let lengths = a.clips.map { $0.leadingSilence + $0.trailingSilence }
        #expect(lengths.allSatisfy { (5...15).contains($0) } && a.estimatedSeconds >= 0.3 * 3600)
        let tones = a.clips.compactMap(\.augmentation.roomToneDB)
        #expect(tones.allSatisfy { (-75 ... -35).contains($0) })
        let silentShare = Double(a.clips.count - tones.count) / Double(a.clips.count)
        #expect(silentShare > 0.08 && silentShare < 0.35, "about a fifth are digital silence, got \(silentShare)")
        let neutralShare = Double(a.clips.filter { $0.emotion == .neutral }.count) / Double(a.clips.count)
        #expect(neutralShare > 0.45 && neutralShare < 0.75)
        #expect(a.clips.allSatisfy { $0.emotion == .neutral ? $0.intensity == 0 : (0.3...0.7).contains($0.intensity) })
        #expect(Set(a.clips.map(\.split)) == [.train, .val, .test])
    }

    @Test func roomToneIsAtItsLevelUnderSilenceAndSpeech() {
        var augmentation = Augmentation()
        augmentation.roomToneDB = -50
        let silence = [Float](repeating: 0, count: 32_000)
        let toned = AudioAugmenter.apply(augmentation, samples: silence, phones: [], sampleRate: 16_000, seed: 9).samples
        let level = 10 * log10(SpeechAugmentation.power(toned))
        #expect(Swift.abs(level - -50) < 0.1, "room tone at \(level) dBFS")
        #expect(augmentation.tags == ["room-tone"])
        #expect(AudioAugmenter.apply(.none, samples: silence, phones: [], sampleRate: 16_000, seed: 9).samples == silence)
        // Under a tone the level adds as power: P(tone + room) = P(tone) + P(room).
        let tone = (0..<32_000).map { Float(0.1 * sin(2 * Double.pi * 200 * Double($0) / 16_000)) }
        let mixed = AudioAugmenter.apply(augmentation, samples: tone, phones: [], sampleRate: 16_000, seed: 9).samples
        let expected = SpeechAugmentation.power(tone) + 1e-5
        #expect(Swift.abs(SpeechAugmentation.power(mixed) / expected - 1) < 0.01)
    }

    @Test func idleBuildWithTheRealTeacherBlinksWithTheMouthAtRest() throws {
        let test = BuildTestSources.sources()
        let teacher = TeacherAnimator()
        let sources = SyntheticSources(voices: test.voices, profiles: test.profiles, sentences: test.sentences, teacher: teacher,
                                       teacherVersion: "phonetic-v\(teacher.configuration.version)")
        let directory = BuildTestSources.temporaryDirectory("idle")
        defer { try? FileManager.default.removeItem(at: directory) }
        var configuration = SyntheticBuildConfiguration(hours: 0.02, seed: 5, clipsPerShard: 4, jobs: 2)
        configuration.idle = true
        let summary = try DatasetBuilder(directory: directory, sources: sources, configuration: configuration).run()
        #expect(summary.complete && summary.failures.isEmpty && summary.clipsInManifest >= 5)
        let reader = try DatasetReader(directory: directory)
        #expect(reader.info.build?.kind == "idle")
        var blinks = 0, seconds = 0.0
        for record in reader.records {
            #expect(record.styleTags.contains("listening") && record.transcript.isEmpty)
            let arrays = try reader.arrays(of: record)
            let animation = try reader.animation(of: record)
            let power = SpeechAugmentation.power(arrays.audio.toArray())
            if record.styleTags.contains("room-tone") { #expect(power > 1e-8 && power < 1e-3) } else { #expect(power == 0) }
            let blink = (0..<animation.frameCount).map { animation[$0, .eyeBlinkLeft] }
            blinks += zip(blink, blink.dropFirst()).filter { $0 <= 0.5 && $1 > 0.5 }.count
            seconds += record.duration
            #expect((0..<animation.frameCount).allSatisfy { animation[$0, .jawOpen] < 0.15 }, "\(record.id): the mouth rests")
        }
        let perMinute = Double(blinks) / seconds * 60
        #expect(perMinute > 6 && perMinute < 40, "teacher blinks \(perMinute) per minute while idle")
        // A speech build refuses the idle dataset's directory (different plan rules).
        #expect(throws: DatasetError.self) {
            _ = try DatasetBuilder(directory: directory, sources: sources,
                                   configuration: SyntheticBuildConfiguration(hours: 0.02, seed: 5, clipsPerShard: 4, jobs: 2)).run()
        }
    }
}
