import ArgumentParser
import M2FBenchmarks
import Media2Face

/// `m2f bench stream`: a file fed at real-time pace through a streaming session, per look-ahead.
struct StreamBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stream",
        abstract: "Streaming latency (p50/p95/p99), CPU per second of audio and closeness to offline, per look-ahead (needs the models).",
        discussion: """
            Prints, as JSON lines: the offline animation of the same audio (stream-offline-reference, what \
            `m2f bench animate` measures), the drift of rolling Whisper windows from the offline features \
            (stream-feature-drift), and one `stream` line per look-ahead. For one stream on one core: \
            taskset -c 1 m2f bench stream --json.
            """)

    @Option(help: "Audio file, or a folder of clips with phone alignments (data/human-speech: `make human-speech`) joined end to end, which adds lip closure on bilabials (default: Examples/hello.wav repeated to --seconds, as `m2f bench animate`).")
    var audio: String?

    @Option(parsing: .unconditional, help: "Seconds of the default speech.")
    var seconds = 60

    @Option(help: "Look-aheads to compare, in frames, comma-separated.")
    var lookAheads = "3,6,12"

    @Option(parsing: .unconditional, help: "Frames per hop.")
    var hop = StreamConfiguration().hopFrames

    @Option(parsing: .unconditional, help: "Seconds of audio the speech encoder sees per hop.")
    var featureWindow = StreamConfiguration().featureWindowSeconds

    @Option(help: "Feature windows (s) whose drift from offline features is measured, comma-separated; empty for none.")
    var driftWindows = "1,2,4,8"

    @Option(parsing: .unconditional, help: "Emitted frames kept as fixed context per window.")
    var context = StreamConfiguration().contextFrames

    @Option(parsing: .unconditional, help: "DDIM steps per hop (the offline reference keeps the default \(SamplingOptions.defaultSteps)).")
    var steps = StreamConfiguration().stepsPerHop ?? SamplingOptions.defaultSteps

    @Option(parsing: .unconditional, help: "Frames at the start of each hop cross-faded from the previous hop's prediction.")
    var crossFade = StreamConfiguration().crossFadeFrames

    @Flag(help: "Push the audio as fast as the stream takes it instead of at real-time pace (quality figures only; latency and CPU are then meaningless).")
    var unpaced = false

    @Flag(help: "JSON lines on stdout (the only output format; accepted for scripts that pass it).")
    var json = false

    @Option(help: "Media2Face model folder (default: Models/media2face).")
    var model: String?

    func run() async throws {
        let looks = try lookAheads.split(separator: ",").map { part -> Int in
            guard let value = Int(part), value >= 0 else { throw ValidationError("--look-aheads: '\(part)' is not a frame count") }
            return value
        }
        let windows = try driftWindows.split(separator: ",").map { part -> Double in
            guard let value = Double(part), value > 0 else { throw ValidationError("--drift-windows: '\(part)' is not seconds") }
            return value
        }
        try await StreamBenchmarks.run(audioPath: audio, seconds: seconds, lookAheads: looks, hop: hop, context: context, featureWindow: featureWindow,
                                       stepsPerHop: steps, crossFade: crossFade, driftWindows: windows, modelDirectory: model, paced: !unpaced,
                                       reportStream: { print($0.jsonLine) }, reportDrift: { print($0.jsonLine) },
                                       reportOffline: { print($0.jsonLine) })
    }
}
