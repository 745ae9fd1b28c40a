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
/// Each connection holds one of `maximumStreams` places (when none is free, or the token or query is
/// wrong, the upgraded connection gets a JSON error message and a close). The session's work runs on the engine's threads. A client that sends nothing for
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

    /// Upgrades every WebSocket request: hummingbird-websocket answers a refused upgrade with an empty
    /// 400, so the checks (token, query, a free place) come after it, as a JSON error message and a close
    /// (`admit`, `refuse`). A plain GET is an ordinary JSON 400.
    func shouldUpgrade(_ request: Request) async throws -> RouterShouldUpgrade {
        guard request.headers[.upgrade]?.lowercased() == "websocket" else {
            throw ServerError.badRequest("/v1/stream is a WebSocket: connect with ws://HOST:PORT/v1/stream (Upgrade: websocket).")
        }
        return .upgrade([:])
    }

    /// The token, the query and a place: the stream's settings, or the refusal (`ServerError`).
    func admit(_ request: Request) async throws -> StreamProtocol.Query {
        if let token = configuration.bearerToken {
            typealias Authorization = AuthorizationMiddleware<BasicWebSocketRequestContext>
            guard Authorization.constantTimeEqual(request.headers[.authorization], "Bearer " + token)
                || Authorization.constantTimeEqual(request.uri.queryParameters.get("token"), token) else { throw ServerError.unauthorized }
        }
        let query = try StreamProtocol.Query(request.uri.queryParameters.map { (String($0.key), String($0.value)) })
        do {
            try pipeline.validateStream(options: query.options, configuration: query.configuration)
        } catch {
            throw ServerError.badRequest(error.localizedDescription)
        }
        guard configuration.maximumStreams > 0 else { throw ServerError.busy("this server takes no live streams (--max-streams 0).") }
        try await gate.enter(refusal: "the server is running its limit of \(configuration.maximumStreams) live streams; try again later.")
        return query
    }

    /// A refused connection: `{"type": "error", "error": …, "status": N}` (N: the HTTP status the refusal
    /// would have had), then a close: 1013 (try again later) when busy, 1008 (policy violation) otherwise.
    func refuse(_ outbound: WebSocketOutboundWriter, _ error: any Error) async {
        let serverError = ErrorMiddleware<BasicWebSocketRequestContext>.serverError(error, path: "/v1/stream")
        metrics.responded(route: "/v1/stream", status: Int(serverError.status.code))
        try? await withTimeLimit(2) {
            try await send(outbound, ["type": "error", "error": serverError.errorDescription ?? "\(serverError)", "status": Int(serverError.status.code)])
            try await outbound.close(serverError.status == .serviceUnavailable ? .unknown(1013) : .policyViolation, reason: nil)
        }
    }

    /// One connection, from the upgrade to the close; holds a place from `admit` and gives it back at the end.
    func run(inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter, request: Request) async {
        let query: StreamProtocol.Query
        do {
            query = try await admit(request)
        } catch {
            await refuse(outbound, error)
            return
        }
        metrics.streamOpened()
        let arrivals = ArrivalLog()
        do {
            let session = try await executor.run { try await pipeline.stream(style: query.style, options: query.options, configuration: query.configuration) }
            let stream = session.configuration
            try await send(outbound, ["type": "ready", "fps": session.fps, "blendshapes": ARKit.names, "sampleRate": query.sampleRate, "encoding": query.encoding.rawValue,
                                      "lookAheadFrames": stream.lookAheadFrames, "hopFrames": stream.hopFrames, "stepsPerHop": stream.stepsPerHop ?? query.options.steps,
                                      "lookAheadSeconds": Double(stream.lookAheadFrames + stream.hopFrames) / session.fps])
            let frames = try await withThrowingTaskGroup(of: Int?.self) { group in
                group.addTask { try await sendFrames(of: session, to: outbound, arrivals: arrivals) }
                // Reading and animating apart: the reader takes every message as it comes, the pusher
                // animates the queue in order (bounded by --max-audio-seconds). The reader reads on after
                // the end of the audio: hummingbird-websocket handles the client's pongs only while the
                // inbound stream is read, so a client that sent faster than real time was closed for a
                // "ping timeout" while its queued audio was still being animated.
                let (inputs, feed) = AsyncStream.makeStream(of: StreamInput.self)
                group.addTask {
                    defer { feed.finish() }
                    try await receive(inbound, into: feed, query: query, arrivals: arrivals)
                    return nil
                }
                group.addTask { try await push(inputs, into: session, sampleRate: query.sampleRate); return nil }
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
            _ = frames  // the sender has sent "end" and the close (`sendFrames`)
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

    /// What the reader passes to the pusher, in the client's order.
    enum StreamInput: Sendable {
        case audio([Float])
        case style(StyleSpecification)
        case end
    }

    /// Reads the client's messages, checking each, into `feed` until `{"end": true}` or the close; after
    /// the end it reads on (and ignores what comes) until the close, so the client's pongs are handled.
    func receive(_ inbound: WebSocketInboundStream, into feed: AsyncStream<StreamInput>.Continuation, query: StreamProtocol.Query,
                 arrivals: ArrivalLog) async throws {
        var ended = false
        for try await message in inbound.messages(maxSize: Self.maximumMessageBytes) where !ended {
            arrivals.touch()
            switch message {
            case let .binary(buffer):
                let samples = try StreamProtocol.samples(buffer, encoding: query.encoding)
                let seconds = arrivals.record(samples: samples.count, sampleRate: query.sampleRate)
                guard seconds <= configuration.maximumAudioSeconds else {
                    throw ServerError.badRequest("the stream passed the server's limit of \(Int(configuration.maximumAudioSeconds)) s of audio; "
                                                 + "open a new stream (m2f serve --max-audio-seconds).")
                }
                feed.yield(.audio(samples))
            case let .text(text):
                switch try StreamProtocol.control(text) {
                case let .style(style): feed.yield(.style(style))
                case .end:
                    arrivals.finishReceiving()
                    feed.yield(.end)
                    feed.finish()
                    ended = true
                }
            }
        }
        // The client closed its side: animate what it sent.
        if !ended {
            arrivals.finishReceiving()
            feed.yield(.end)
        }
    }

    /// Feeds the session what the reader took, in order, on the engine's threads; the end flushes the tail.
    func push(_ inputs: AsyncStream<StreamInput>, into session: AnimationStream, sampleRate: Int) async throws {
        for await input in inputs {
            switch input {
            case let .audio(samples): try await executor.run { try await session.push(samples, sampleRate: sampleRate) }
            case let .style(style): try await executor.run { try await session.setStyle(style) }
            case .end:
                try await executor.run { try await session.finish() }
                return
            }
        }
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
        // Here rather than after the task group: the reader ends when the client answers the close.
        let sent = count
        try await withTimeLimit(configuration.idleTimeout) {
            try await send(outbound, ["type": "end", "frames": sent, "audioSeconds": arrivals.seconds])
        }
        try? await withTimeLimit(configuration.idleTimeout) { try await outbound.close(.normalClosure, reason: nil) }
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
