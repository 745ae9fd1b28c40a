import Foundation
import M2FDataset
import Testing

/// Counts clips and asks the build to stop after `limit` of them.
final class StopAfter: @unchecked Sendable {
    let limit: Int
    private let lock = NSLock()
    private var count = 0
    init(_ limit: Int) { self.limit = limit }
    func tick() { lock.withLock { count += 1 } }
    var shouldStop: Bool { lock.withLock { count >= limit } }
}

@Suite struct BuildResumeTests {
    let configuration = SyntheticBuildConfiguration(hours: 0.03, seed: 7, clipsPerShard: 4, jobs: 2)

    @Test func planIsDeterministicAndHoldsOutVoicesAndSentences() {
        let sources = BuildTestSources.sources()
        let a = DatasetPlan.make(hours: 0.2, seed: 3, voices: sources.profiles, sentences: sources.sentences, clipsPerShard: 8)
        let b = DatasetPlan.make(hours: 0.2, seed: 3, voices: sources.profiles, sentences: sources.sentences, clipsPerShard: 8)
        let c = DatasetPlan.make(hours: 0.2, seed: 4, voices: sources.profiles, sentences: sources.sentences, clipsPerShard: 8)
        #expect(a.clips == b.clips)
        #expect(a.clips != c.clips)
        #expect(a.validationVoices.count == 1 && a.testVoices.count == 1 && a.validationVoices != a.testVoices)
        for clip in a.clips where clip.split == .train {
            #expect(!a.validationVoices.contains(clip.voiceIndex) && !a.testVoices.contains(clip.voiceIndex))
            #expect(clip.sentenceIndices.allSatisfy { a.sentenceSplits[$0] == .train })
        }
        for clip in a.clips where clip.split != .train {
            #expect(clip.sentenceIndices.allSatisfy { a.sentenceSplits[$0] == clip.split })
            let other = clip.split == .val ? a.testVoices : a.validationVoices
            #expect(!other.contains(clip.voiceIndex))
        }
        // A held-out voice speaks only sentences of its own split; held-out clips are half by held-out voices.
        for clip in a.clips {
            let voiceSplit: DatasetSplit = a.validationVoices.contains(clip.voiceIndex) ? .val : a.testVoices.contains(clip.voiceIndex) ? .test : .train
            if voiceSplit != .train { #expect(clip.split == voiceSplit && clip.sentenceIndices.allSatisfy { a.sentenceSplits[$0] == voiceSplit }) }
            if clip.emotion == .neutral { #expect(clip.intensity == 0) }
        }
        let heldOut = a.clips.filter { $0.split != .train }
        let byHeldOutVoice = heldOut.filter { (a.validationVoices + a.testVoices).contains($0.voiceIndex) }
        #expect(Double(heldOut.count) / Double(a.clips.count) > 0.03 && Double(heldOut.count) / Double(a.clips.count) < 0.2)
        #expect(!byHeldOutVoice.isEmpty && byHeldOutVoice.count < heldOut.count)
        #expect(Set(a.clips.map(\.voiceIndex)).count == sources.profiles.count)
        #expect(a.clips.contains { $0.listening })
        #expect(Set(a.clips.map(\.emotion)).count == 8)
        #expect(a.clips.contains { $0.augmentation.noiseSNR != nil } && a.clips.contains { $0.augmentation == .none })
        #expect(a.estimatedSeconds >= 0.2 * 3600)
    }

    /// A split with no sentences of its own is never drawn, so its held-out voices never speak training
    /// sentences (the planner does not fall back to them).
    @Test func planNeverLetsHeldOutVoicesSpeakTrainingSentences() {
        let sources = BuildTestSources.sources()
        let sentences = BuildTestSources.sentences(30)
        let splits: [DatasetSplit] = sentences.indices.map { $0 % 10 == 3 ? .val : .train }  // no test sentences
        let plan = DatasetPlan.make(hours: 1, seed: 5, voices: sources.profiles, sentences: sentences, sentenceSplits: splits, clipsPerShard: 8)
        #expect(plan.testVoices.count == 1)
        #expect(!plan.clips.contains { $0.split == .test || plan.testVoices.contains($0.voiceIndex) })
        #expect(plan.clips.contains { $0.split == .val && plan.validationVoices.contains($0.voiceIndex) })
        // Too few sentences to hold any out: every clip is a training clip by a training voice.
        let tiny = DatasetPlan.make(hours: 0.02, seed: 5, voices: sources.profiles, sentences: Array(sentences.prefix(2)), clipsPerShard: 8)
        #expect(tiny.clips.allSatisfy { $0.split == .train && !(tiny.validationVoices + tiny.testVoices).contains($0.voiceIndex) })
    }

    @Test func planKeepsTheSplitsOfVoicesAndSentencesItIsGiven() {
        var profiles = BuildTestSources.sources().profiles
        profiles = profiles.enumerated().map { i, p in VoiceProfile(id: p.id, gender: p.gender, split: i == 2 ? .val : i == 4 ? .test : .train) }
        let sentences = BuildTestSources.sentences(40)
        let splits: [DatasetSplit] = sentences.indices.map { $0 % 10 == 3 ? .val : $0 % 10 == 7 ? .test : .train }
        let plan = DatasetPlan.make(hours: 0.1, seed: 9, voices: profiles, sentences: sentences, sentenceSplits: splits, clipsPerShard: 8)
        #expect(plan.validationVoices == [2] && plan.testVoices == [4])
        #expect(plan.sentenceSplits == splits)
        for clip in plan.clips {
            #expect(clip.sentenceIndices.allSatisfy { splits[$0] == clip.split })
            if clip.split == .train { #expect(clip.voiceIndex != 2 && clip.voiceIndex != 4) }
        }
        #expect(plan.clips.contains { $0.split == .val } && plan.clips.contains { $0.split == .test })
    }

    @Test func cancelledBuildResumesWithNothingLostOrDuplicated() throws {
        let sources = BuildTestSources.sources()
        let directory = BuildTestSources.temporaryDirectory("resume")
        defer { try? FileManager.default.removeItem(at: directory) }
        let builder = DatasetBuilder(directory: directory, sources: sources, configuration: configuration)
        let total = builder.plan.clips.count
        #expect(builder.plan.shardCount >= 4)
        let stop = StopAfter(total / 2)
        let first = try builder.run(progress: { _ in stop.tick() }, shouldCancel: { stop.shouldStop })
        #expect(!first.complete)
        #expect(first.shardsBuilt > 0 && first.shardsBuilt < builder.plan.shardCount)
        // The manifest written so far is valid and holds exactly the finished shards.
        let partial = try DatasetReader(directory: directory)
        #expect(partial.records.count == first.clipsInManifest)
        #expect(Set(partial.records.map(\.shard)).count == first.shardsBuilt)

        let second = try DatasetBuilder(directory: directory, sources: sources, configuration: configuration).run()
        #expect(second.complete)
        #expect(second.shardsSkipped == first.shardsBuilt)
        #expect(second.shardsBuilt == builder.plan.shardCount - first.shardsBuilt)
        let resumed = try DatasetReader(directory: directory)
        let ids = resumed.records.map(\.id)
        #expect(Set(ids).count == ids.count)
        #expect(ids == builder.plan.clips.map(\.id))
        for record in resumed.records { _ = try resumed.arrays(of: record) }

        // The same build without interruption gives the same manifest, line for line.
        let straight = BuildTestSources.temporaryDirectory("straight")
        defer { try? FileManager.default.removeItem(at: straight) }
        _ = try DatasetBuilder(directory: straight, sources: sources, configuration: configuration).run()
        let a = try Data(contentsOf: DatasetLayout(root: directory).manifestFile)
        let b = try Data(contentsOf: DatasetLayout(root: straight).manifestFile)
        #expect(a == b)
    }

    @Test func resumingWithOtherSettingsIsRefused() throws {
        let sources = BuildTestSources.sources()
        let directory = BuildTestSources.temporaryDirectory("mismatch")
        defer { try? FileManager.default.removeItem(at: directory) }
        let small = SyntheticBuildConfiguration(hours: 0.005, seed: 1, clipsPerShard: 4, jobs: 1)
        _ = try DatasetBuilder(directory: directory, sources: sources, configuration: small).run()
        let other = SyntheticBuildConfiguration(hours: 0.005, seed: 2, clipsPerShard: 4, jobs: 1)
        #expect(throws: DatasetError.self) { try DatasetBuilder(directory: directory, sources: sources, configuration: other).run() }
    }

    @Test func corruptInputsAreReportedAndSkipped() throws {
        var sentences = BuildTestSources.sentences(40)
        sentences[3] = "bob will explode now"
        sentences[5] = "a nan in the audio"
        sentences[8] = "stretch the phones"
        let sources = BuildTestSources.sources(sentences: sentences, faulty: true)
        let directory = BuildTestSources.temporaryDirectory("corrupt")
        defer { try? FileManager.default.removeItem(at: directory) }
        let configuration = SyntheticBuildConfiguration(hours: 0.06, seed: 5, clipsPerShard: 6, jobs: 2)
        let builder = DatasetBuilder(directory: directory, sources: sources, configuration: configuration)
        let bad = builder.plan.clips.filter { $0.sentenceIndices.contains { [3, 5, 8].contains($0) } }
        #expect(!bad.isEmpty)
        let summary = try builder.run()
        #expect(summary.complete)
        #expect(Set(summary.failures.map(\.id)) == Set(bad.map(\.id)))
        #expect(summary.clipsInManifest == builder.plan.clips.count - bad.count)
        let problems = summary.failures.map(\.problem).joined(separator: "\n")
        if bad.contains(where: { $0.sentenceIndices.contains(3) }) { #expect(problems.contains("the synthesizer crashed")) }
        if bad.contains(where: { $0.sentenceIndices.contains(5) }) { #expect(problems.contains("NaN")) }
        if bad.contains(where: { $0.sentenceIndices.contains(8) }) { #expect(problems.contains("mismatched durations")) }
        let dataset = try DatasetReader(directory: directory)
        #expect(dataset.records.allSatisfy { record in !bad.contains { $0.id == record.id } })
    }
}
