import ArgumentParser
import Foundation
import M2FDataset
import M2FEngine

/// `m2f dataset build --synthetic`: synthetic speech × voices × emotions, animated by the teacher.
struct DatasetBuildCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "build",
        abstract: "Build a synthetic dataset (TTS with phone timings + the phonetic teacher); resumable after a kill.",
        discussion: """
            Clips are planned from the seed (sentence × voice × emotion × intensity × augmentation, some mostly \
            listening), made on --jobs threads a shard at a time, and written atomically. Run the same command \
            again to resume: finished shards are skipped. Failed clips are reported and skipped.
            Example: m2f dataset build --synthetic --hours 1 --seed 1 -o data/m2fd-1h
            --idle builds idle clips instead: nobody speaks, the teacher's face listens (blinks, gaze, head drift) over             silence or room tone (m2f dataset build --synthetic --idle --hours 0.25 --seed 3 -o data/m2fd-idle).
            """)

    @Flag(help: "Build from synthetic speech (the only builder so far; Live Link takes use import-livelink).")
    var synthetic = false

    @Option(parsing: .unconditional, help: "Hours of speech to plan (with --idle: hours of idle clips).")
    var hours: Double = 1

    @Flag(help: "Idle clips only: 5–15 s of silence or room tone (−75 … −35 dBFS) with the teacher's listening face, for models that must stay alive when nobody speaks.")
    var idle = false

    @Option(parsing: .unconditional, help: "Seed of the plan and of every clip's random choices.")
    var seed: UInt64 = 1

    @Option(name: .shortAndLong, help: "Dataset directory (created; an existing build there is resumed).")
    var output: String

    @Option(parsing: .unconditional, help: "Worker threads (default: all cores).")
    var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

    @Option(parsing: .unconditional, help: "Clips per shard (the unit of work and of resumption).")
    var clipsPerShard: Int = 24

    @Option(help: "Shard element type: f32 (memory-mapped without copies) or f16 (half the disk).")
    var dtype: String = "f32"

    func validate() throws {
        guard synthetic else { throw ValidationError("give --synthetic (Live Link takes are added with `m2f dataset import-livelink`)") }
        try OptionRange.check(hours, "--hours", 0.001...1000, unit: " h")
        try OptionRange.check(jobs, "--jobs", 1...256)
        guard clipsPerShard >= 1 else { throw ValidationError("--clips-per-shard must be at least 1") }
        guard ["f32", "f16"].contains(dtype.lowercased()) else { throw ValidationError("--dtype must be f32 or f16") }
    }

    func run() throws {
        let sources = try SyntheticSourceFactory.standard()
        var settings = SyntheticBuildConfiguration(hours: hours, seed: seed, clipsPerShard: clipsPerShard, jobs: jobs,
                                                   dtype: dtype.lowercased() == "f16" ? .float16 : .float32)
        settings.idle = idle
        let configuration = settings
        let builder = DatasetBuilder(directory: URL(fileURLWithPath: output), sources: sources, configuration: configuration)
        let plan = builder.plan
        FileHandle.standardError.write(Data(("planned \(plan.clips.count) clips in \(plan.shardCount) shards "
            + "(≈ \(String(format: "%.2f", plan.estimatedSeconds / 3600)) h) from \(sources.sentences.count) sentences × "
            + "\(sources.voices.count) voices; \(jobs) jobs\n").utf8))
        let bar = ProgressBar(label: "build")
        let summary = try builder.run(progress: { p in
            let speed = p.elapsed > 0 ? p.audioSeconds / p.elapsed : 0
            let remaining = Double(p.clipsTotal - p.shardsSkipped * configuration.clipsPerShard)
            let failed = p.clipsFailed > 0 ? "  \(p.clipsFailed) failed" : ""
            bar.update(done: Double(p.clipsDone), total: max(remaining, 1), unit: "clips",
                       detail: "shards \(p.shardsSkipped)+\(p.shardsDone)/\(p.shardsTotal)  audio "
                           + String(format: "%.1f min  %.1f× real time", p.audioSeconds / 60, speed) + failed)
        })
        bar.finish()
        for failure in summary.failures.prefix(20) { FileHandle.standardError.write(Data("failed: \(failure.id): \(failure.problem)\n".utf8)) }
        if summary.failures.count > 20 {
            FileHandle.standardError.write(Data("… \(summary.failures.count - 20) more in \(output)/parts/*.failures.jsonl\n".utf8))
        }
        let speedup = summary.realTimeFactor > 0 ? 1 / summary.realTimeFactor : 0
        print("\(output): \(summary.clipsInManifest) clips, " + String(format: "%.3f h", summary.hours)
            + " in \(summary.shards) shards (\(summary.shardsBuilt) built now, \(summary.shardsSkipped) already done); "
            + "\(summary.failures.count) failed; this run: "
            + String(format: "%.1f min of audio in %.1f s wall, real-time factor %.4f (%.1f× faster than real time)",
                     summary.audioSeconds / 60, summary.wallSeconds, summary.realTimeFactor, speedup)
            + (summary.complete ? "" : " — stopped early, run again to resume"))
    }
}
