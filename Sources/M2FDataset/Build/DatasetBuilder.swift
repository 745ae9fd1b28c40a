import Foundation
import M2FEngine
import M2FSystem

/// Settings of `m2f dataset build --synthetic`.
public struct SyntheticBuildConfiguration: Sendable {
    public var hours: Double
    public var seed: UInt64
    /// Clips per shard (the unit of work and of resumption).
    public var clipsPerShard: Int
    /// Worker threads.
    public var jobs: Int
    /// Shard element type.
    public var dtype: SafeTensorsDType
    /// Idle clips only (`DatasetPlan.idle`: no speech, silence or room tone) instead of speech clips.
    public var idle = false

    public init(hours: Double, seed: UInt64, clipsPerShard: Int = 24, jobs: Int = ProcessInfo.processInfo.activeProcessorCount,
                dtype: SafeTensorsDType = .float32) {
        self.hours = hours
        self.seed = seed
        self.clipsPerShard = clipsPerShard
        self.jobs = max(1, jobs)
        self.dtype = dtype
    }
}

/// Where a build stands, reported after every clip.
public struct BuildProgress: Sendable {
    public var shardsTotal: Int
    /// Shards finished before this run started (skipped).
    public var shardsSkipped: Int
    /// Shards finished in this run.
    public var shardsDone: Int
    public var clipsTotal: Int
    /// Clips finished (written or failed) in this run, including those of shards not yet written.
    public var clipsDone: Int
    public var clipsFailed: Int
    /// Seconds of audio made in this run.
    public var audioSeconds: Double
    public var elapsed: Double
}

/// One clip that could not be made.
public struct ClipFailure: Codable, Sendable, Equatable {
    public var id: String
    public var problem: String
}

/// What a build did.
public struct BuildSummary: Sendable {
    public var directory: URL
    public var plannedClips: Int
    public var shards: Int
    public var shardsSkipped: Int
    public var shardsBuilt: Int
    /// Clips in the manifest now.
    public var clipsInManifest: Int
    /// Every failure recorded in the dataset (this run and earlier ones).
    public var failures: [ClipFailure]
    /// Hours of audio in the manifest.
    public var hours: Double
    /// Audio seconds made in this run and the wall time it took.
    public var audioSeconds: Double
    public var wallSeconds: Double
    /// False when the build stopped early (cancelled); resume by running it again.
    public var complete: Bool

    /// Wall time per second of audio made (below 1: faster than real time).
    public var realTimeFactor: Double { audioSeconds > 0 ? wallSeconds / audioSeconds : 0 }
}

/// Builds a synthetic dataset: plans clips from the seed, makes them on `jobs` threads one shard at a
/// time, writes each shard atomically followed by its manifest part, and rebuilds `manifest.jsonl`
/// atomically after every shard. Running it again on the same directory skips finished shards, so a
/// killed build resumes with nothing lost or duplicated.
public final class DatasetBuilder: @unchecked Sendable {
    public let layout: DatasetLayout
    public let sources: SyntheticSources
    public let configuration: SyntheticBuildConfiguration
    public let plan: DatasetPlan
    let maker: ClipMaker

    public init(directory: URL, sources: SyntheticSources, configuration: SyntheticBuildConfiguration) {
        layout = DatasetLayout(root: directory)
        self.sources = sources
        self.configuration = configuration
        plan = configuration.idle
            ? DatasetPlan.idle(hours: configuration.hours, seed: configuration.seed, voices: sources.profiles, clipsPerShard: configuration.clipsPerShard)
            : DatasetPlan.make(hours: configuration.hours, seed: configuration.seed, voices: sources.profiles,
                               sentences: sources.sentences, sentenceSplits: sources.sentenceSplits,
                               clipsPerShard: configuration.clipsPerShard)
        maker = ClipMaker(sources: sources)
    }

    var settings: BuildSettings {
        var settings = BuildSettings(seed: configuration.seed, hours: configuration.hours,
                                     plannerVersion: configuration.idle ? DatasetPlan.idlePlannerVersion : DatasetPlan.plannerVersion,
                                     clipsPerShard: configuration.clipsPerShard, plannedClips: plan.clips.count, plannedShards: plan.shardCount,
                                     voices: sources.profiles.map(\.id), sentenceCount: sources.sentences.count,
                                     corpusFingerprint: sources.corpusFingerprint, teacherVersion: sources.teacherVersion)
        settings.kind = configuration.idle ? "idle" : nil
        return settings
    }

    /// Runs (or resumes) the build.
    /// - Parameters:
    ///   - progress: called (serially, from worker threads) after every clip.
    ///   - shouldCancel: polled before every clip; when true, workers stop and unfinished shards are dropped.
    public func run(progress: @escaping @Sendable (BuildProgress) -> Void = { _ in },
                    shouldCancel: @escaping @Sendable () -> Bool = { false }) throws(DatasetError) -> BuildSummary {
        let start = Date()
        try layout.createDirectories()
        try prepareInfo()
        removeTemporaryFiles()

        let finished = Set(Manifest.finishedShards(layout))
        var partsByShard: [String: [ClipRecord]] = [:]
        for name in finished { partsByShard[name] = try Manifest.read(layout.partFile(name)) }
        let pending = (0..<plan.shardCount).filter { !finished.contains(DatasetLayout.shardName($0)) }
        let state = BuildState(partsByShard: partsByShard,
                               progress: BuildProgress(shardsTotal: plan.shardCount, shardsSkipped: plan.shardCount - pending.count,
                                                       shardsDone: 0, clipsTotal: plan.clips.count, clipsDone: 0, clipsFailed: 0,
                                                       audioSeconds: 0, elapsed: 0))
        // Rewrite the manifest first: a kill between a part and the manifest leaves it stale.
        try state.writeManifest(layout)

        let next = AtomicCounter()
        let workers = min(configuration.jobs, max(1, pending.count))
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            while !state.hasError {
                let position = next.increment()
                guard position < pending.count else { return }
                let shardIndex = pending[position]
                if shouldCancel() { state.cancelled(); return }
                do {
                    let completed = try buildShard(shardIndex, state: state, start: start, progress: progress, shouldCancel: shouldCancel)
                    if !completed { state.cancelled(); return }
                } catch {
                    state.fail(error)
                    return
                }
            }
        }
        if let error = state.error { throw error }
        let records = try state.writeManifest(layout)
        let failures = Self.allFailures(layout)
        return BuildSummary(directory: layout.root, plannedClips: plan.clips.count, shards: plan.shardCount,
                            shardsSkipped: plan.shardCount - pending.count, shardsBuilt: state.progress.shardsDone,
                            clipsInManifest: records.count, failures: failures,
                            hours: records.reduce(0) { $0 + $1.duration } / 3600, audioSeconds: state.progress.audioSeconds,
                            wallSeconds: Date().timeIntervalSince(start), complete: !state.wasCancelled)
    }

    /// Makes every clip of one shard and writes it; false when cancelled part-way (nothing written).
    func buildShard(_ index: Int, state: BuildState, start: Date, progress: @Sendable (BuildProgress) -> Void,
                    shouldCancel: () -> Bool) throws(DatasetError) -> Bool {
        let name = DatasetLayout.shardName(index)
        var writer = ShardWriter(name: name)
        var failures: [ClipFailure] = []
        var seconds = 0.0
        for spec in plan.clips(inShard: index) {
            if shouldCancel() { return false }
            do {
                let (record, arrays) = try maker.make(spec)
                writer.add(record, arrays: arrays)
                seconds += record.duration
                progress(state.clipFinished(failed: false, seconds: record.duration, start: start))
            } catch {
                failures.append(ClipFailure(id: spec.id, problem: error.localizedDescription))
                progress(state.clipFinished(failed: true, seconds: 0, start: start))
            }
        }
        // Failures first: they belong to the shard and must survive with it.
        try Self.writeFailures(failures, to: layout.failureFile(name))
        try writer.write(to: layout, dtype: configuration.dtype)
        try state.shardFinished(name, records: writer.records, layout: layout, start: start)
        progress(state.snapshot(start: start))
        return true
    }

    /// Writes `dataset.json`, or checks that an existing one describes the same build.
    func prepareInfo() throws(DatasetError) {
        let wanted = settings
        if FileManager.default.fileExists(atPath: layout.infoFile.path) {
            let info = try DatasetInfo.read(directory: layout.root)
            guard let existing = info.build else {
                throw .buildMismatch(directory: layout.root.path, problem: "the directory holds a dataset that was not made by a synthetic build")
            }
            guard existing == wanted else {
                throw .buildMismatch(directory: layout.root.path, problem: "it was started with seed \(existing.seed), \(existing.hours) h, "
                    + "\(existing.voices.count) voices, \(existing.sentenceCount) sentences, teacher \(existing.teacherVersion), "
                    + "planner v\(existing.plannerVersion), \(existing.kind ?? "speech") clips; now seed \(wanted.seed), \(wanted.hours) h, \(wanted.voices.count) voices, "
                    + "\(wanted.sentenceCount) sentences, teacher \(wanted.teacherVersion), planner v\(wanted.plannerVersion), \(wanted.kind ?? "speech") clips")
            }
            guard info.shardDType == configuration.dtype else {
                throw .buildMismatch(directory: layout.root.path, problem: "its shards are \(info.dtype), the build asks for \(configuration.dtype.rawValue)")
            }
            return
        }
        try DatasetInfo(dtype: configuration.dtype, createdBy: "m2f dataset build --synthetic", build: wanted).write(directory: layout.root)
    }

    /// Removes temporary files a killed writer left behind (`.name.UUID.tmp`).
    func removeTemporaryFiles() {
        for directory in [layout.shardsDirectory, layout.partsDirectory, layout.root] {
            for name in (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
            where name.hasPrefix(".") && name.hasSuffix(".tmp") {
                try? FileManager.default.removeItem(at: directory.appendingPathComponent(name))
            }
        }
    }

    static func writeFailures(_ failures: [ClipFailure], to url: URL) throws(DatasetError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var data = Data()
        for failure in failures {
            data.append(try! encoder.encode(failure))
            data.append(0x0A)
        }
        do { try AtomicFile.write(data, to: url.path) } catch { throw .io(file: url.path, problem: "cannot write: \(error.localizedDescription)") }
    }

    /// Failures recorded for every finished shard.
    public static func allFailures(_ layout: DatasetLayout) -> [ClipFailure] {
        var failures: [ClipFailure] = []
        let decoder = JSONDecoder()
        for name in Manifest.finishedShards(layout) {
            guard let data = FileManager.default.contents(atPath: layout.failureFile(name).path) else { continue }
            for line in data.split(separator: 0x0A) {
                if let failure = try? decoder.decode(ClipFailure.self, from: Data(line)) { failures.append(failure) }
            }
        }
        return failures
    }
}

/// Shared state of a build's workers, behind one lock.
final class BuildState: @unchecked Sendable {
    private let lock = NSLock()
    private var partsByShard: [String: [ClipRecord]]
    private(set) var progress: BuildProgress
    private(set) var error: DatasetError?
    private(set) var wasCancelled = false

    init(partsByShard: [String: [ClipRecord]], progress: BuildProgress) {
        self.partsByShard = partsByShard
        self.progress = progress
    }

    var hasError: Bool { lock.withLock { error != nil || wasCancelled } }

    func fail(_ error: Error) {
        lock.withLock { if self.error == nil { self.error = error as? DatasetError ?? .io(file: "", problem: "\(error)") } }
    }

    func cancelled() { lock.withLock { wasCancelled = true } }

    func clipFinished(failed: Bool, seconds: Double, start: Date) -> BuildProgress {
        lock.withLock {
            progress.clipsDone += 1
            if failed { progress.clipsFailed += 1 }
            progress.audioSeconds += seconds
            progress.elapsed = Date().timeIntervalSince(start)
            return progress
        }
    }

    func snapshot(start: Date) -> BuildProgress {
        lock.withLock {
            progress.elapsed = Date().timeIntervalSince(start)
            return progress
        }
    }

    /// Records a written shard and rewrites the manifest (serially, so writes never interleave).
    func shardFinished(_ name: String, records: [ClipRecord], layout: DatasetLayout, start: Date) throws(DatasetError) {
        lock.lock()
        defer { lock.unlock() }
        partsByShard[name] = records
        progress.shardsDone += 1
        _ = try writeManifestLocked(layout)
    }

    @discardableResult
    func writeManifest(_ layout: DatasetLayout) throws(DatasetError) -> [ClipRecord] {
        lock.lock()
        defer { lock.unlock() }
        return try writeManifestLocked(layout)
    }

    /// Encoded manifest lines per shard, so that rewriting the manifest after each shard costs a
    /// concatenation rather than re-encoding every record.
    private var encoded: [String: Data] = [:]

    private func writeManifestLocked(_ layout: DatasetLayout) throws(DatasetError) -> [ClipRecord] {
        var records: [ClipRecord] = []
        var seen = Set<String>()
        var data = Data()
        for name in partsByShard.keys.sorted() {
            for record in partsByShard[name]! {
                guard seen.insert(record.id).inserted else {
                    throw .malformed(file: layout.partFile(name).path, line: 0, problem: "clip id \(record.id) appears in two parts")
                }
                records.append(record)
            }
            if encoded[name] == nil { encoded[name] = Manifest.serialize(partsByShard[name]!) }
            data.append(encoded[name]!)
        }
        do { try AtomicFile.write(data, to: layout.manifestFile.path) } catch {
            throw .io(file: layout.manifestFile.path, problem: "cannot write: \(error.localizedDescription)")
        }
        return records
    }
}

/// A lock-protected counter handing out work items.
final class AtomicCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = -1

    /// The next value (0, 1, 2, …).
    func increment() -> Int { lock.withLock { value += 1; return value } }
}
