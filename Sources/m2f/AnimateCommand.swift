import ArgumentParser
import Foundation
import M2FAudio
import M2FBenchmarks
import M2FDataset
import M2FEncoders
import M2FFace
import M2FSystem
import Media2Face

/// `m2f animate`: speech → ARKit animation (+ head pose) in Live Link CSV, JSON, GLB and MP4.
struct AnimateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "animate",
        abstract: "Animate speech: audio in, 52 ARKit blendshapes + head pose out (CSV, JSON, GLB, MP4).",
        discussion: """
            OUT is a path prefix: `-o out/hello` writes out/hello.csv, out/hello.json, … for the formats asked. \
            Given a folder (or --list FILE), every audio file in it is animated into the folder given with -o.

            Examples:
              m2f animate speech.wav -o out/speech
              m2f animate talk.m4a --text "cheerful, animated" --format csv,glb,mp4 -o out/talk
              m2f animate talk.mp3 --emotion sad --intensity 0.6 --seed 3 -o out/sad
              m2f animate talk.wav --keyframes keys.json --style-timeline styles.json -o out/edited
              m2f animate recordings/ -o out/          # batch over a folder
              m2f animate --list files.txt -o out/     # batch over a list (one path per line)
              m2f animate --dialogue a.wav b.wav -o out/talk   # two faces: out/talk-a.*, out/talk-b.*
              m2f animate --dialogue talk.wav -o out/talk      # stereo WAV, a speaker per channel

            Formats of --keyframes and --style-timeline, and how to import each output into Unity, \
            Unreal, Blender or a web page: docs/USAGE.md.
            """)

    @Argument(help: "An audio or video file (wav natively; mp3, m4a, flac, ogg, mp4… via ffmpeg), a folder of them, or - for stdin (WAV, or raw s16le 16 kHz mono with --raw).")
    var input: String?

    @Option(parsing: .upToNextOption, help: "A dialogue: two files (a speaker each) or one stereo WAV (a speaker per channel); writes OUT-a.* and OUT-b.*, each face speaking on its own voice and listening to the other.")
    var dialogue: [String] = []

    @Option(parsing: .unconditional, help: "With --dialogue: how much a listening face nods on the speaker's pauses, shows back-channel smiles and brow raises and holds its gaze on the speaker, 0 … 2 (0: only the model's idle motion; 1: the amounts measured on real faces).")
    var listeningMotion: Float?

    @Flag(help: "With - : stdin is raw signed 16-bit little-endian mono at 16 kHz, not WAV.")
    var raw = false

    @Option(name: .shortAndLong, help: "Output prefix (out/hello → out/hello.csv …); a folder in batch mode.")
    var output: String

    @Option(help: "A text file listing audio files, one per line (relative to the list; # starts a comment).")
    var list: String?

    @Option(help: "Batch: only slice K of N of the inputs (K from 0: $JOB_COMPLETION_INDEX/N, $SLURM_ARRAY_TASK_ID/N); docs/USAGE.md.")
    var shard: String?

    @Option(help: "Batch: the JSON-lines report to append to (default OUT/m2f-report.jsonl; OUT/m2f-report-K-of-N.jsonl for a shard).")
    var report: String?

    @Flag(help: "Batch: animate inputs whose outputs are all there too (by default they are skipped, so a rerun resumes).")
    var redo = false

    @Option(help: "Style as free text, e.g. \"calm, friendly, slight smile\".")
    var text: String?

    @Option(help: "Style as an emotion: \(Emotion.allCases.map(\.rawValue).joined(separator: ", ")).")
    var emotion: String?

    @Option(parsing: .unconditional, help: "Emotion intensity in [0, 1] (with --emotion).")
    var intensity: Float = 1

    @Option(help: "Style from the expression of a face in a photo (PNG, JPEG, …; read by the face tracker, needs `m2f models fetch`).")
    var image: String?

    @Option(help: "Keyframes to hit (JSON; docs/USAGE.md).")
    var keyframes: String?

    @Option(help: "Styles per time range (JSON; docs/USAGE.md).")
    var styleTimeline: String?

    @Option(parsing: .unconditional, help: "Random seed: the same seed and input give the same animation.")
    var seed: UInt64 = 0

    @Option(parsing: .unconditional, help: "DDIM denoising steps, 1 … 500. 10 (the default) scored best on lip error and FDD in the project's eval; more steps are slower and add upper-face motion (docs/ARCHITECTURE.md, Choosing steps).")
    var steps: Int = SamplingOptions.defaultSteps

    @Option(parsing: .unconditional, help: "Audio guidance scale sA (0 … 20; the paper's value is 2.5).")
    var audioGuidance: Float = SamplingOptions.defaultAudioGuidance

    @Option(parsing: .unconditional, help: "Style guidance scale sP (0 … 20; the paper's value is 1.5).")
    var styleGuidance: Float = SamplingOptions.defaultStyleGuidance

    @Option(parsing: .unconditional, help: "Refuse audio longer than this many hours (default 4; the refusal says the memory and time it would take).")
    var maxHours: Double?

    @Flag(help: "Keep the head still (no generated head pose).")
    var noHeadPose = false

    @Flag(help: "Singing: held vowels hold the mouth, vibrato does not shake the jaw, loud and high notes open wider (docs/USAGE.md, \"Singing\").")
    var singing = false

    @OptionGroup var blinks: AddedBlinkOption

    @Option(help: "Comma-separated output formats: csv, json, glb, mp4.")
    var format = "csv,json,glb"

    @OptionGroup var speaking: SpeakingStyleOptions

    @OptionGroup var models: ModelFolderOptions

    @Option(parsing: .unconditional, help: "MP4 frame size in pixels.")
    var videoSize = 512

    @Flag(help: "No progress bar.")
    var quiet = false

    func validate() throws {
        if !dialogue.isEmpty {
            if input != nil || list != nil { throw ValidationError("--dialogue takes its files itself; give no other input or --list") }
            if !(1...2).contains(dialogue.count) { throw ValidationError("--dialogue takes two files or one stereo WAV, not \(dialogue.count)") }
        } else if input == nil && list == nil { throw ValidationError("give an audio file, a folder, --list FILE or --dialogue FILES") }
        if listeningMotion != nil && dialogue.isEmpty { throw ValidationError("--listening-motion is for --dialogue") }
        try OptionRange.check(listeningMotion, "--listening-motion", ListeningBehaviour.amountRange)
        if input != nil && list != nil { throw ValidationError("give either an input or --list, not both") }
        if raw && !readsStandardInput { throw ValidationError("--raw describes stdin; give - as the input") }
        do { _ = try styleChoice.resolve() } catch { throw ValidationError(error.message) }
        try OptionRange.check(videoSize, "--video-size", RenderOptions.sizes, unit: " pixels")
        if let shard { _ = try BatchShard(parsing: shard) }
        if (shard != nil || report != nil || redo) && !isBatch {
            throw ValidationError("--shard, --report and --redo are for batches: give --list FILE or a folder")
        }
        _ = try ExportFormat.list(format)
        try options.validate()
    }

    var options: AnimationOptions {
        var options = AnimationOptions(steps: steps, audioGuidance: audioGuidance, styleGuidance: styleGuidance, seed: seed, headPose: !noHeadPose)
        options.maximumSeconds = maxHours.map { $0 * 3600 }
        options.singing = singing
        return blinks.applied(to: speaking.applied(to: options))
    }

    var styleChoice: StyleChoice { StyleChoice(text: text, emotion: emotion, intensity: intensity, image: image) }

    /// Checked in `validate`.
    var style: StyleSpecification { (try? styleChoice.resolve()) ?? .none }

    func run() async throws {
        let formats = try ExportFormat.list(format)
        // Everything a user can get wrong is checked before the models load.
        let keyframeFile = try keyframes.map { try KeyframeFile.read(URL(fileURLWithPath: $0)) }
        let timelineFile = try styleTimeline.map { try StyleTimelineFile.read(URL(fileURLWithPath: $0)) }
        if let image, !FileManager.default.isReadableFile(atPath: image) {
            throw PipelineError.imageUnreadable(image: image, problem: "no such file or no permission to read it")
        }
        if !dialogue.isEmpty {
            try await animateDialogue(formats: formats, keyframes: keyframeFile, timeline: timelineFile)
            return
        }
        if readsStandardInput {
            try await animateStandardInput(formats: formats, keyframes: keyframeFile, timeline: timelineFile)
            return
        }
        let shardSpec = try shard.map { try BatchShard(parsing: $0) } ?? .whole
        let jobs = shardSpec.select(try AnimationBatch.jobs(input: input, list: list, output: output))
        guard !jobs.isEmpty else {
            print("shard \(shardSpec) has no inputs (the list is shorter than its shard count)")
            return
        }
        // One input that cannot be read stops here, before the models load (a batch reports it and goes on).
        if !isBatch, let audio = jobs.first?.audio, !FileManager.default.isReadableFile(atPath: audio) {
            throw AudioError.unreadable(path: audio, problem: Self.unreadableProblem(audio))
        }
        for job in jobs { try AnimationExporter.prepareOutput(prefix: job.prefix) }
        let batch = isBatch ? BatchReport(path: report ?? BatchReport(folder: output, shard: shardSpec).path) : nil

        let bar = ProgressBar(enabled: !quiet)
        var pipeline: Media2FacePipeline?
        let exporter = AnimationExporter(videoSize: videoSize)
        var failures = 0, skipped = 0
        for (index, job) in jobs.enumerated() {
            let label = jobs.count > 1 ? "[\(index + 1)/\(jobs.count)] \(URL(fileURLWithPath: job.audio).lastPathComponent) " : ""
            let started = ContinuousClock.now
            let paths = formats.map { AnimationExporter.path(prefix: job.prefix, format: $0) }
            // A batch resumes: outputs are moved into place whole, so one that exists is complete and is
            // neither redone nor written again.
            let missing = batch == nil || redo ? formats : formats.filter { !FileManager.default.fileExists(atPath: AnimationExporter.path(prefix: job.prefix, format: $0)) }
            if let batch, missing.isEmpty {
                try batch.append(BatchRecord(input: job.audio, inputSHA256: try? FileDigest.sha256Hex(ofFileAt: job.audio), shard: shardSpec,
                                             status: .skipped, outputs: paths))
                print("\(job.audio): skipped, its outputs are complete")
                skipped += 1
                continue
            }
            // Models load once, when the first input needs them (a rerun of a finished shard loads none).
            if pipeline == nil {
                bar.message("loading models…")
                pipeline = try await models.loadPipeline()
            }
            do {
                let request = AnimationRequest(audioPath: job.audio, style: style, timeline: timelineFile, keyframes: keyframeFile, options: options)
                let result = try await pipeline!.animate(request) { bar.update(stage: label + $0.stage.rawValue, done: $0.completed, total: $0.total) }
                let files = try exporter.write(result.animation, formats: missing, prefix: job.prefix, audioPath: job.audio) { _, done, total in
                    bar.update(stage: label + "mp4", done: done, total: total)
                }
                bar.finish()
                for warning in result.warnings { FileHandle.standardError.write(Data("warning: \(job.audio): \(warning)\n".utf8)) }
                let timing = String(format: "%.2f s of audio in %.2f s (rtf %.3f)", result.audioDuration, result.timings.total, result.realTimeFactor)
                let t = result.timings
                if !quiet {
                    bar.message(String(format: "stages: audio %.2f s, speech features %.2f s, style %.2f s, generation %.2f s, assembly %.2f s%@",
                                       t.loadAudio, t.speechFeatures, t.styleConditions, t.generation, t.assembly,
                                       files.map { String(format: ", %@ %.2f s", $0.format.rawValue, $0.seconds) }.joined()))
                }
                if let batch {
                    let seconds = ["load_audio": t.loadAudio, "speech_features": t.speechFeatures, "style": t.styleConditions,
                                   "generation": t.generation, "assembly": t.assembly, "write": files.reduce(0) { $0 + $1.seconds },
                                   "total": Self.seconds(since: started)]
                    try batch.append(BatchRecord(input: job.audio, inputSHA256: try? FileDigest.sha256Hex(ofFileAt: job.audio), shard: shardSpec,
                                                 status: .done, outputs: files.map(\.path), audioSeconds: result.audioDuration,
                                                 seconds: seconds, realTimeFactor: result.realTimeFactor))
                }
                print("\(job.audio): \(result.animation.frameCount) frames, \(timing) → \(files.map(\.path).joined(separator: ", "))")
            } catch {
                bar.finish()
                guard let batch else { throw error }
                if error is CancellationError { throw error }
                FileHandle.standardError.write(Data("error: \(job.audio): \(error.localizedDescription)\n".utf8))
                try batch.append(BatchRecord(input: job.audio, inputSHA256: try? FileDigest.sha256Hex(ofFileAt: job.audio), shard: shardSpec,
                                             status: .failed, seconds: ["total": Self.seconds(since: started)], error: error.localizedDescription))
                failures += 1
            }
        }
        if batch != nil && jobs.count > 1 {
            FileHandle.standardError.write(Data("\(jobs.count - failures - skipped) of \(jobs.count) files animated, \(skipped) already complete, \(failures) failed.\n".utf8))
        }
        if failures > 0 { throw ExitCode(1) }
    }

    /// Why `audio` cannot be read; names the demo clip's real place (a checkout's or `PREFIX/share/m2f`'s
    /// `Examples/`) when the missing file has its name, as when the README's command runs elsewhere.
    static func unreadableProblem(_ audio: String) -> String {
        let problem = "no such file or no permission to read it"
        let name = URL(fileURLWithPath: audio).lastPathComponent
        guard let clip = InstalledFiles.locate("Examples/" + name) else { return problem }
        return problem + "; the demo clip \(name) is at \(clip.path)"
    }

    /// A batch: a list or a folder of inputs (each named after its file in the output folder).
    var isBatch: Bool {
        if list != nil { return true }
        var isDirectory: ObjCBool = false
        return input.map { FileManager.default.fileExists(atPath: $0, isDirectory: &isDirectory) && isDirectory.boolValue } ?? false
    }

    static func seconds(since start: ContinuousClock.Instant) -> Double {
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
    }
}

extension AnimateCommand {
    /// `-` (or /dev/stdin, which is not a file that can be mapped or probed): the whole of stdin.
    var readsStandardInput: Bool { input == "-" || input == "/dev/stdin" }

    /// Animates all of stdin: a WAV stream (its size may be unknown) or raw s16le 16 kHz with --raw.
    func animateStandardInput(formats: [ExportFormat], keyframes: KeyframeFile?, timeline: StyleTimelineFile?) async throws {
        try AnimationExporter.prepareOutput(prefix: output)
        let bar = ProgressBar(enabled: !quiet)
        bar.message("reading stdin…")
        let audio = try await StreamInput.readAll(container: raw ? .raw(sampleRate: 16_000, channels: 1) : .detect)
        let samples = audio.sampleRate == 16_000 ? audio.samples : Resampler(from: audio.sampleRate)(audio.samples)
        bar.message("loading models…")
        let pipeline = try await models.loadPipeline()
        let request = AnimationRequest(audioPath: "stdin", style: style, timeline: timeline, keyframes: keyframes, options: options)
        let result = try await pipeline.animate(samples: samples, source: "stdin", request: request) {
            bar.update(stage: $0.stage.rawValue, done: $0.completed, total: $0.total)
        }
        let files = try AnimationExporter(videoSize: videoSize).write(result.animation, formats: formats, prefix: output, audioPath: nil) { _, done, total in
            bar.update(stage: "mp4", done: done, total: total)
        }
        bar.finish()
        for warning in result.warnings { FileHandle.standardError.write(Data("warning: stdin: \(warning)\n".utf8)) }
        let timing = String(format: "%.2f s of audio in %.2f s (rtf %.3f)", result.audioDuration, result.timings.total, result.realTimeFactor)
        print("stdin: \(result.animation.frameCount) frames, \(timing) → \(files.map(\.path).joined(separator: ", "))")
    }
}

extension AnimateCommand {
    /// `--dialogue`: one animation per speaker, written to OUT-a.* and OUT-b.* (DialogueAnimation.swift).
    func animateDialogue(formats: [ExportFormat], keyframes: KeyframeFile?, timeline: StyleTimelineFile?) async throws {
        for path in dialogue where !FileManager.default.isReadableFile(atPath: path) {
            throw AudioError.unreadable(path: path, problem: Self.unreadableProblem(path))
        }
        let prefixes = [output + "-a", output + "-b"]
        for prefix in prefixes { try AnimationExporter.prepareOutput(prefix: prefix) }
        let bar = ProgressBar(enabled: !quiet)
        bar.message("loading models…")
        let pipeline = try await models.loadPipeline()
        let voices = try pipeline.loadDialogue(dialogue)
        let sources = dialogue.count == 2 ? dialogue : [dialogue[0] + " (left)", dialogue[0] + " (right)"]
        let request = AnimationRequest(audioPath: sources[0], style: style, timeline: timeline, keyframes: keyframes, options: options)
        let listening = ListeningBehaviour(amount: listeningMotion ?? 1)
        let tracks = try await pipeline.animateDialogue(voices, sources: sources, request: request, listening: listening) {
            bar.update(stage: $0.stage.rawValue, done: $0.completed, total: $0.total)
        }
        for (index, track) in tracks.enumerated() {
            // The MP4 gets the speaker's own channel when the voices are separate files.
            let audio = dialogue.count == 2 ? dialogue[index] : nil
            let files = try AnimationExporter(videoSize: videoSize).write(track.result.animation, formats: formats, prefix: prefixes[index], audioPath: audio) { _, done, total in
                bar.update(stage: "mp4", done: done, total: total)
            }
            bar.finish()
            for warning in track.result.warnings { FileHandle.standardError.write(Data("warning: \(sources[index]): \(warning)\n".utf8)) }
            let spoken = track.speaking.filter { $0 }.count
            print("\(sources[index]): \(track.result.animation.frameCount) frames, speaking in \(spoken) → \(files.map(\.path).joined(separator: ", "))")
        }
    }
}

/// `m2f bench animate`: the pipeline on 60 s of speech (listed under `m2f bench`).
struct AnimateBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "animate",
        abstract: "m2f animate on 60 s of speech: per-stage seconds and rtf, and 10/25/50 DDIM steps (needs the models).")

    @Flag(help: "10 s of audio, one run each (a smoke run, not for quoting).")
    var quick = false

    @Flag(help: "Also time the MP4 export (256×256).")
    var video = false

    @Flag(help: "JSON lines on stdout (the only output format; accepted for scripts that pass it).")
    var json = false

    @Option(help: "Media2Face model folder (default: Models/media2face).")
    var model: String?

    func run() async throws {
        try await AnimateBenchmarks.run(quick: quick, video: video, modelDirectory: model) { print($0.jsonLine) }
    }
}
