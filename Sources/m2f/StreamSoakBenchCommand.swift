import ArgumentParser
import M2FBenchmarks
import Media2Face

/// `m2f bench stream-soak`: one long stream at real-time pace; drift and memory as one JSON line.
struct StreamSoakBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stream-soak",
        abstract: "A long stream at real-time pace (default 10 minutes): frames vs audio time, latency per minute, resident memory over time (needs the models).",
        discussion: """
            Prints one JSON line (stream-soak). It takes --seconds of wall time but little CPU. \
            bench/stream_soak.sh runs it on one core.
            """)

    @Option(help: "Audio file or folder of clips (repeated to --seconds; default: Examples/hello.wav).")
    var audio: String?

    @Option(parsing: .unconditional, help: "Seconds of audio to stream.")
    var seconds = 600

    @Option(parsing: .unconditional, help: "Look-ahead in frames.")
    var lookAhead = StreamConfiguration().lookAheadFrames

    @Option(parsing: .unconditional, help: "Frames per hop.")
    var hop = StreamConfiguration().hopFrames

    @Option(parsing: .unconditional, help: "Seconds between resident-memory samples.")
    var rssEvery = 10.0

    @Flag(help: "JSON on stdout (the only output format; accepted for scripts that pass it).")
    var json = false

    @Option(help: "Media2Face model folder (default: Models/media2face).")
    var model: String?

    func validate() throws {
        guard seconds >= 1 else { throw ValidationError("--seconds must be at least 1") }
        guard rssEvery > 0, rssEvery.isFinite else { throw ValidationError("--rss-every must be a positive number of seconds") }
    }

    func run() async throws {
        var configuration = StreamConfiguration()
        configuration.lookAheadFrames = lookAhead
        configuration.hopFrames = hop
        let result = try await StreamSoakBenchmark.run(audioPath: audio, seconds: seconds, configuration: configuration, rssEvery: rssEvery,
                                                       modelDirectory: model)
        print(result.jsonLine)
    }
}
