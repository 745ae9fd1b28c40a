import ArgumentParser
import Foundation
import M2FBenchmarks
import M2FDataset
import M2FFace
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

            Formats of --keyframes and --style-timeline, and how to import each output into Unity, \
            Unreal, Blender or a web page: docs/USAGE.md.
            """)

    @Argument(help: "An audio or video file (wav natively; mp3, m4a, flac, ogg, mp4… via ffmpeg), or a folder of them.")
    var input: String?

    @Option(name: .shortAndLong, help: "Output prefix (out/hello → out/hello.csv …); a folder in batch mode.")
    var output: String

    @Option(help: "A text file listing audio files, one per line (relative to the list; # starts a comment).")
    var list: String?

    @Option(help: "Style as free text, e.g. \"calm, friendly, slight smile\".")
    var text: String?

    @Option(help: "Style as an emotion: \(Emotion.allCases.map(\.rawValue).joined(separator: ", ")).")
    var emotion: String?

    @Option(parsing: .unconditional, help: "Emotion intensity in [0, 1] (with --emotion).")
    var intensity: Float = 1

    @Option(help: "Style from the expression of a face image (PNG).")
    var image: String?

    @Option(help: "Keyframes to hit (JSON; docs/USAGE.md).")
    var keyframes: String?

    @Option(help: "Styles per time range (JSON; docs/USAGE.md).")
    var styleTimeline: String?

    @Option(parsing: .unconditional, help: "Random seed: the same seed and input give the same animation.")
    var seed: UInt64 = 0

    @Option(parsing: .unconditional, help: "DDIM denoising steps (10 the default; 25 and 50 finer and slower).")
    var steps: Int = SamplingOptions.defaultSteps

    @Option(parsing: .unconditional, help: "Audio guidance scale sA (0 … 20; the paper's value is 2.5).")
    var audioGuidance: Float = SamplingOptions.defaultAudioGuidance

    @Option(parsing: .unconditional, help: "Style guidance scale sP (0 … 20; the paper's value is 1.5).")
    var styleGuidance: Float = SamplingOptions.defaultStyleGuidance

    @Option(parsing: .unconditional, help: "Refuse audio longer than this many hours (default 4; the refusal says the memory and time it would take).")
    var maxHours: Double?

    @Flag(help: "Keep the head still (no generated head pose).")
    var noHeadPose = false

    @Option(help: "Comma-separated output formats: csv, json, glb, mp4.")
    var format = "csv,json,glb"

    @OptionGroup var models: ModelFolderOptions

    @Option(parsing: .unconditional, help: "MP4 frame size in pixels.")
    var videoSize = 512

    @Flag(help: "No progress bar.")
    var quiet = false

    func validate() throws {
        if input == nil && list == nil { throw ValidationError("give an audio file, a folder, or --list FILE") }
        if input != nil && list != nil { throw ValidationError("give either an input or --list, not both") }
        do { _ = try styleChoice.resolve() } catch { throw ValidationError(error.message) }
        try OptionRange.check(videoSize, "--video-size", RenderOptions.sizes, unit: " pixels")
        _ = try ExportFormat.list(format)
        try options.validate()
    }

    var options: AnimationOptions {
        var options = AnimationOptions(steps: steps, audioGuidance: audioGuidance, styleGuidance: styleGuidance, seed: seed, headPose: !noHeadPose)
        options.maximumSeconds = maxHours.map { $0 * 3600 }
        return options
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
        let jobs = try AnimationBatch.jobs(input: input, list: list, output: output)
        for job in jobs { try AnimationExporter.prepareOutput(prefix: job.prefix) }

        let bar = ProgressBar(enabled: !quiet)
        bar.message("loading models…")
        let pipeline = try await models.loadPipeline()
        let exporter = AnimationExporter(videoSize: videoSize)
        var failures: [(String, String)] = []
        for (index, job) in jobs.enumerated() {
            let label = jobs.count > 1 ? "[\(index + 1)/\(jobs.count)] \(URL(fileURLWithPath: job.audio).lastPathComponent) " : ""
            do {
                let request = AnimationRequest(audioPath: job.audio, style: style, timeline: timelineFile, keyframes: keyframeFile, options: options)
                let result = try await pipeline.animate(request) { bar.update(stage: label + $0.stage.rawValue, done: $0.completed, total: $0.total) }
                let files = try exporter.write(result.animation, formats: formats, prefix: job.prefix, audioPath: job.audio) { _, done, total in
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
                print("\(job.audio): \(result.animation.frameCount) frames, \(timing) → \(files.map(\.path).joined(separator: ", "))")
            } catch {
                bar.finish()
                guard jobs.count > 1 else { throw error }
                FileHandle.standardError.write(Data("error: \(job.audio): \(error.localizedDescription)\n".utf8))
                failures.append((job.audio, error.localizedDescription))
            }
        }
        if !failures.isEmpty {
            FileHandle.standardError.write(Data("\(jobs.count - failures.count) of \(jobs.count) files animated; \(failures.count) failed.\n".utf8))
            throw ExitCode(1)
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
