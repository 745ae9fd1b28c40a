import ArgumentParser
import Foundation
import M2FAudio
import M2FFace
import Media2Face

/// Errors of `m2f stream` that name what to fix.
enum StreamCommandError: LocalizedError {
    case liveLink(address: String, problem: String)
    case output(problem: String)

    var errorDescription: String? {
        switch self {
        case let .liveLink(address, problem): return "--livelink \(address): \(problem)."
        case let .output(problem): return "stdout: \(problem); the stream stopped."
        }
    }
}

/// `m2f stream`: live audio in, frames out as they are made (JSON lines and/or Live Link Face UDP).
struct StreamCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stream",
        abstract: "Animate live audio (stdin, a microphone, a file): JSON lines on stdout and/or Live Link Face UDP to Unreal.",
        discussion: """
            INPUT is - for stdin (a WAV stream, or raw signed 16-bit little-endian mono; raw is taken as 16 kHz \
            unless --sample-rate says otherwise) or an audio file (with --realtime it is paced as if live).

            Each stdout line is one frame: {"frame":N,"time":SECONDS,"weights":[52 ARKit weights in m2f's canonical \
            (alphabetical) order],"headPose":[yaw,pitch,roll,tx,ty,tz]}. --livelink sends the same frames as the \
            Live Link Face iPhone app does (UDP, packet version 6), so Unreal's Live Link Face source and MetaHuman \
            take them as they are; the subject name is --subject.

            Examples:
              m2f stream talk.wav --realtime --livelink 127.0.0.1:11111
              ffmpeg -loglevel error -f pulse -i default -ac 1 -ar 16000 -f s16le - | m2f stream - --livelink 192.168.1.20:11111
              ffmpeg -loglevel error -f alsa -i hw:0 -ac 1 -ar 16000 -f wav - | m2f stream - > frames.jsonl
              cat talk.wav | m2f stream - --emotion happy --look-ahead 9 --no-json --livelink 127.0.0.1:11111
            """)

    @Argument(help: "- for stdin, or an audio file.")
    var input: String

    @Flag(help: "Pace a file as if it were live (one 20 ms chunk per 20 ms).")
    var realtime = false

    @Flag(help: "stdin is raw s16le even if it starts like a WAV file.")
    var raw = false

    @Option(parsing: .unconditional, help: "Sample rate of raw stdin in Hz.")
    var sampleRate = 16_000

    @Option(parsing: .unconditional, help: "Channels of raw stdin (averaged to mono).")
    var channels = 1

    @Option(help: ArgumentHelp("Send Live Link Face UDP packets to this address.", valueName: "host:port"))
    var livelink: String?

    @Option(help: "Live Link subject name (what Unreal lists as the source's subject).")
    var subject = "m2f"

    @Flag(help: "No JSON lines on stdout (with --livelink).")
    var noJson = false

    @Option(parsing: .unconditional, help: "Frames of audio to wait for after a frame before animating it (latency against quality).")
    var lookAhead = StreamConfiguration().lookAheadFrames

    @Option(parsing: .unconditional, help: "Frames animated and emitted together.")
    var hop = StreamConfiguration().hopFrames

    @Option(help: "Style as free text, e.g. \"calm, friendly\".")
    var text: String?

    @Option(help: "Style as an emotion: \(Emotion.allCases.map(\.rawValue).joined(separator: ", ")).")
    var emotion: String?

    @Option(parsing: .unconditional, help: "Emotion intensity in [0, 1] (with --emotion).")
    var intensity: Float = 1

    @Option(parsing: .unconditional, help: "Random seed: the same seed and audio give the same frames.")
    var seed: UInt64 = 0

    @Option(parsing: .unconditional, help: "DDIM denoising steps per hop.")
    var steps = StreamConfiguration().stepsPerHop ?? SamplingOptions.defaultSteps

    @Flag(help: "Keep the head still (no generated head pose).")
    var noHeadPose = false

    @OptionGroup var blinks: AddedBlinkOption

    @OptionGroup var speaking: SpeakingStyleOptions

    @OptionGroup var models: ModelFolderOptions

    func validate() throws {
        if text != nil && emotion != nil { throw ValidationError("give at most one of --text and --emotion") }
        if let emotion, Emotion(rawValue: emotion.lowercased()) == nil {
            throw ValidationError("--emotion \(emotion) is unknown; use one of \(Emotion.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if !(0...1).contains(intensity) { throw ValidationError("--intensity \(intensity) is outside [0, 1]") }
        if realtime && input == "-" { throw ValidationError("--realtime paces a file; stdin arrives at its own pace") }
        if !(8_000...384_000).contains(sampleRate) { throw ValidationError("--sample-rate \(sampleRate) is outside 8000 … 384000 Hz") }
        if !(1...64).contains(channels) { throw ValidationError("--channels \(channels) is outside 1 … 64") }
        if subject.isEmpty || subject.utf8.count > 255 { throw ValidationError("--subject needs 1 … 255 bytes") }
        if noJson && livelink == nil { throw ValidationError("--no-json leaves no output; add --livelink HOST:PORT") }
        if let livelink { _ = try LiveLinkUDP.split(livelink) }
        try speaking.applied(to: AnimationOptions(steps: steps, seed: seed)).validate()
    }

    var style: StyleSpecification {
        if let text { return .text(text) }
        if let emotion { return .emotion(Emotion(rawValue: emotion.lowercased())!, intensity: intensity) }
        return .none
    }

    func run() async throws {
        signal(SIGPIPE, SIG_IGN)  // a closed stdout is an error of the write, not a kill
        let sender = try livelink.map { try LiveLinkUDP(address: $0, subject: subject, deviceID: "m2f-\(ProcessInfo.processInfo.hostName)") }
        let chunks = input == "-"
            ? StreamInput.standardInput(container: raw || sampleRate != 16_000 || channels != 1 ? .raw(sampleRate: sampleRate, channels: channels) : .detect)
            : try StreamInput.file(input, realtime: realtime)
        let pipeline = try await models.loadPipeline()
        let configuration = StreamConfiguration(lookAheadFrames: lookAhead, hopFrames: hop, stepsPerHop: steps)
        let options = blinks.applied(to: speaking.applied(to: AnimationOptions(steps: steps, seed: seed, headPose: !noHeadPose)))
        let stream = try await pipeline.stream(style: style, options: options,
                                               configuration: configuration)
        let json = !noJson
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                do {
                    for try await chunk in chunks { try await stream.push(chunk.samples, sampleRate: chunk.sampleRate) }
                    try await stream.finish()
                } catch {
                    try? await stream.finish()
                    throw error
                }
            }
            group.addTask {
                let rate = Int(stream.fps.rounded())
                for try await frame in stream.frames {
                    if json {
                        do { try FileHandle.standardOutput.write(contentsOf: Data(Self.jsonLine(frame).utf8)) } catch {
                            throw StreamCommandError.output(problem: error.localizedDescription)
                        }
                    }
                    try sender?.sendFrame(frameNumber: frame.index, rate: rate, weights: frame.weights, headPose: frame.headPose)
                }
            }
            try await group.waitForAll()
        }
        let statistics = await stream.statistics
        FileHandle.standardError.write(Data(String(format: "stream: %d frames, %.2f s of audio, %d hops; speech features %.2f s, generation %.2f s\n",
                                                   statistics.framesEmitted, Double(statistics.samplesReceived) / 16_000, statistics.hops,
                                                   statistics.featureSeconds, statistics.generationSeconds).utf8))
    }

    /// One frame as a JSON line.
    static func jsonLine(_ frame: StreamFrame) -> String {
        func list(_ values: [Float]) -> String { values.map { $0 == 0 ? "0" : "\($0)" }.joined(separator: ",") }
        return "{\"frame\":\(frame.index),\"time\":\(frame.time),\"weights\":[\(list(frame.weights))],\"headPose\":[\(list(frame.headPose.values))]}\n"
    }
}
