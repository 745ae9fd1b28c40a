import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdWebSocket
import M2FFace
import Media2Face
import NIOCore
import Synchronization

/// GET|WS /v1/stream: PCM in, one JSON frame out per animation frame, on the library's streaming
/// session (`Media2FacePipeline.stream`). Wire format: `StreamProtocol`.
///
/// Each connection holds one of `maximumStreams` places (a 503 JSON answer before the upgrade when
/// none is free). The session's work runs on the engine's threads. A client that sends nothing for
/// `idleTimeout`, sends more audio than `maximumAudioSeconds`, sends what is not PCM, or stops reading
/// frames for `idleTimeout` gets an error message and a close; the server goes on serving the others.
struct StreamEndpoint: Sendable {
    /// Largest WebSocket message: 1 s of 48 kHz f32 PCM.
    static let maximumMessageBytes = 48_000 * 4

    let pipeline: Media2FacePipeline
    let configuration: ServerConfiguration
    let executor: EngineExecutor
    let gate: AdmissionGate
    let metrics: ServerMetrics

    /// Checks the query and takes a place before the upgrade, so a refusal is an ordinary JSON answer.
    func shouldUpgrade(_ request: Request) async throws -> RouterShouldUpgrade {
        guard request.headers[.upgrade]?.lowercased() == "websocket" else {
            throw ServerError.badRequest("/v1/stream is a WebSocket: connect with ws://HOST:PORT/v1/stream (Upgrade: websocket).")
        }
        let query = try StreamProtocol.Query(request.uri.queryParameters.map { (String($0.key), String($0.value)) })
        do {
            try pipeline.validateStream(options: query.options, configuration: query.configuration)
        } catch {
            throw ServerError.badRequest(error.localizedDescription)
        }
        guard configuration.maximumStreams > 0 else { throw ServerError.busy("this server takes no live streams (--max-streams 0).") }
        try await gate.enter(refusal: "the server is running its limit of \(configuration.maximumStreams) live streams; try again later.")
        return .upgrade([:])
    }

    /// One connection, from the upgrade to the close; gives its place back at the end.
    func run(inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter, request: Request) async {
        metrics.streamOpened()
        let arrivals = ArrivalLog()
        do {
            let query = try StreamProtocol.Query(request.uri.queryParameters.map { (String($0.key), String($0.value)) })
            let session = try await executor.run { try await pipeline.stream(style: query.style, options: query.options, configuration: query.configuration) }
            let stream = session.configuration
            try await send(outbound, ["type": "ready", "fps": session.fps, "blendshapes": ARKit.names, "sampleRate": query.sampleRate, "encoding": query.encoding.rawValue,
                                      "lookAheadFrames": stream.lookAheadFrames, "hopFrames": stream.hopFrames, "stepsPerHop": stream.stepsPerHop ?? query.options.steps,
                                      "lookAheadSeconds": Double(stream.lookAheadFrames + stream.hopFrames) / session.fps])
            let frames = try await withThrowingTaskGroup(of: Int?.self) { group in
                group.addTask { try await sendFrames(of: session, to: outbound, arrivals: arrivals) }
                group.addTask {
                    try await receive(inbound, into: session, query: query, arrivals: arrivals)
                    return nil
                }
                group.addTask { try await watch(arrivals); return nil }
                // The first error (a bad message, an idle client) ends the connection; else the sender's count.
                while let result = try await group.next() {
                    if let sent = result {
                        group.cancelAll()
                        return sent
                    }
                }
                return 0
            }
            try await withTimeLimit(configuration.idleTimeout) {
                try await send(outbound, ["type": "end", "frames": frames, "audioSeconds": arrivals.seconds])
            }
            try? await withTimeLimit(configuration.idleTimeout) { try await outbound.close(.normalClosure, reason: nil) }
        } catch {
            let serverError = ErrorMiddleware<BasicWebSocketRequestContext>.serverError(error, path: "/v1/stream")
            let clientsFault = serverError.status == .badRequest
            // Bounded: a client that stopped reading would hold these writes (and its place) for ever.
            try? await withTimeLimit(2) {
                try await send(outbound, ["type": "error", "error": serverError.errorDescription ?? "\(serverError)"])
                try await outbound.close(clientsFault ? .unacceptableData : .unexpectedServerError, reason: nil)
            }
        }
        metrics.streamClosed(audioSeconds: arrivals.seconds)
        await gate.leave()
    }

    /// Reads the client's messages until `{"end": true}` or the close, pushing audio into `session`.
    func receive(_ inbound: WebSocketInboundStream, into session: AnimationStream, query: StreamProtocol.Query,
                 arrivals: ArrivalLog) async throws {
        for try await message in inbound.messages(maxSize: Self.maximumMessageBytes) {
            arrivals.touch()
            switch message {
            case let .binary(buffer):
                let samples = try StreamProtocol.samples(buffer, encoding: query.encoding)
                let seconds = arrivals.record(samples: samples.count, sampleRate: query.sampleRate)
                guard seconds <= configuration.maximumAudioSeconds else {
                    throw ServerError.badRequest("the stream passed the server's limit of \(Int(configuration.maximumAudioSeconds)) s of audio; "
                                                 + "open a new stream (m2f serve --max-audio-seconds).")
                }
                try await executor.run { try await session.push(samples, sampleRate: query.sampleRate) }
                arrivals.touch()  // a long push is not the client's silence
            case let .text(text):
                switch try StreamProtocol.control(text) {
                case let .style(style): try await executor.run { try await session.setStyle(style) }
                case .end:
                    arrivals.finishReceiving()
                    try await executor.run { try await session.finish() }
                    return
                }
            }
        }
        // The client closed its side: animate what it sent.
        arrivals.finishReceiving()
        try await executor.run { try await session.finish() }
    }

    /// Sends each frame as it comes; a client that stops reading for `idleTimeout` is dropped.
    func sendFrames(of session: AnimationStream, to outbound: WebSocketOutboundWriter, arrivals: ArrivalLog) async throws -> Int {
        var count = 0
        for try await frame in session.frames {
            let message: [String: Any] = ["type": "frame", "index": frame.index, "time": frame.time,
                                          "weights": frame.weights.map(Double.init), "headPose": frame.headPose.values.map(Double.init)]
            let text = StreamProtocol.json(message)
            do {
                try await withTimeLimit(configuration.idleTimeout) { try await outbound.write(.text(text)) }
            } catch ServerError.timedOut {
                throw ServerError.badRequest("the client read no frames for \(Int(configuration.idleTimeout)) s; the stream is closed (read frames as they come).")
            }
            if let arrived = arrivals.arrival(ofTime: frame.time) {
                metrics.frameSent(latency: Self.seconds(ContinuousClock.now - arrived))
            }
            count += 1
        }
        return count
    }

    /// Ends the connection when the client has sent nothing for `idleTimeout` while the server waits for audio.
    func watch(_ arrivals: ArrivalLog) async throws {
        while !arrivals.receivingFinished {
            try await Task.sleep(for: .milliseconds(250))
            if arrivals.idleSeconds > configuration.idleTimeout {
                throw ServerError.badRequest("no audio for \(Int(configuration.idleTimeout)) s; the stream is closed (send {\"end\": true} to finish a stream).")
            }
        }
    }

    func send(_ outbound: WebSocketOutboundWriter, _ object: [String: Any]) async throws {
        try await outbound.write(.text(StreamProtocol.json(object)))
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
    }
}

/// When each part of a stream's audio arrived, to measure a frame's latency from the moment the audio
/// at its time was received (the definition), kept for the last 30 s only.
final class ArrivalLog: Sendable {
    private struct Chunk { var endSeconds: Double; var instant: ContinuousClock.Instant }
    private struct State {
        var chunks: [Chunk] = []
        var seconds = 0.0
        var lastMessage = ContinuousClock.now
        var finished = false
    }
    private let state = Mutex(State())

    var seconds: Double { state.withLock { $0.seconds } }
    var receivingFinished: Bool { state.withLock { $0.finished } }
    var idleSeconds: Double { StreamEndpoint.seconds(ContinuousClock.now - state.withLock { $0.lastMessage }) }

    /// A message came in.
    func touch() { state.withLock { $0.lastMessage = .now } }
    /// The audio has ended; no more messages are waited for.
    func finishReceiving() { state.withLock { $0.finished = true } }

    /// Records `samples` arriving now; returns the seconds of audio received so far.
    func record(samples: Int, sampleRate: Int) -> Double {
        state.withLock { state in
            state.seconds += Double(samples) / Double(sampleRate)
            state.chunks.append(Chunk(endSeconds: state.seconds, instant: .now))
            if let first = state.chunks.first, first.endSeconds < state.seconds - 30 { state.chunks.removeFirst() }
            return state.seconds
        }
    }

    /// When the audio at `time` arrived (nil past the end: the tail flushed by `finish`).
    func arrival(ofTime time: Double) -> ContinuousClock.Instant? {
        state.withLock { state in state.chunks.first(where: { $0.endSeconds >= time })?.instant }
    }
}
