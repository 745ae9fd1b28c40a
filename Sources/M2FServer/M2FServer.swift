import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdWebSocket
import Logging
import Media2Face
import NIOCore
import ServiceLifecycle

/// `m2f serve`: the HTTP and WebSocket API over a loaded pipeline, and the web viewer.
///
/// Routes: POST /v1/animate (`AnimateEndpoint`), GET|WS /v1/stream (`StreamEndpoint`), GET /v1/head.glb
/// (the default head, no animation), GET /healthz, GET /metrics, and the viewer at / (with three.js
/// from Debian's libjs-three under /three/). Every error is JSON (`ServerError`).
///
/// Uploads and live streams run apart: on two pipelines (the pipeline's engine is an actor that runs one
/// clip at a time, so a long upload on the streams' pipeline would hold every stream's next hop until it
/// ended) and on two sets of threads, the uploads' at a lower priority, so streams keep their latency
/// while uploads take what CPU is left (docs/BENCHMARKS.md, "m2f serve").
public struct M2FServer: Sendable {
    /// Runs the live streams (and the viewer's head).
    public let pipeline: Media2FacePipeline
    /// Runs the uploads: the same models loaded a second time (tens of MB).
    public let uploadPipeline: Media2FacePipeline
    public let configuration: ServerConfiguration
    public let metrics = ServerMetrics()
    let executor: EngineExecutor
    let uploadExecutor: EngineExecutor
    let handlerExecutor: EngineExecutor
    let uploads: AdmissionGate
    let streams: AdmissionGate
    let head = HeadAsset()

    /// `uploadPipeline`: a second load of the same models for uploads; nil shares `pipeline` (then an
    /// upload delays the streams' hops while it runs).
    public init(pipeline: Media2FacePipeline, uploadPipeline: Media2FacePipeline? = nil, configuration: ServerConfiguration) throws(ServerError) {
        try configuration.validate()
        self.pipeline = pipeline
        self.uploadPipeline = uploadPipeline ?? pipeline
        self.configuration = configuration
        executor = EngineExecutor(threads: configuration.engineThreads, name: "stream")
        uploadExecutor = EngineExecutor(threads: configuration.engineThreads == 0 ? 0 : configuration.maximumConcurrentUploads,
                                        name: "upload", niceness: 10)
        handlerExecutor = EngineExecutor(threads: configuration.engineThreads == 0 ? 0 : 2, name: "http")
        uploads = AdmissionGate(capacity: configuration.maximumConcurrentUploads, queueLimit: configuration.maximumQueuedUploads)
        streams = AdmissionGate(capacity: max(configuration.maximumStreams, 1), queueLimit: 0)
    }

    /// Serves until SIGINT or SIGTERM (or the task is cancelled), then stops taking connections and lets
    /// requests in flight finish. `onRunning` gets the bound port (the chosen one when the port is 0).
    public func run(logger: Logger = Logger(label: "m2f-serve"), onRunning: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        let application = makeApplication(logger: logger, onRunning: onRunning)
        let group = ServiceGroup(configuration: .init(services: [application], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        // The request handlers (child tasks of the server's, so they inherit the preference) run on
        // threads of their own too: Swift's shared pool has one thread per core, and code in the same
        // process that blocks them (a test's socket read, a library's long loop) would stall every answer.
        try await handlerExecutor.run { try await group.run() }
    }

    func makeApplication(logger: Logger, onRunning: @escaping @Sendable (Int) async -> Void) -> some ApplicationProtocol {
        let router = Router(context: BasicWebSocketRequestContext.self)
        router.middlewares.add(ErrorMiddleware(metrics: metrics))
        router.middlewares.add(AuthorizationMiddleware(token: configuration.bearerToken))
        addRoutes(to: router)
        let idle = TimeAmount.nanoseconds(Int64(configuration.idleTimeout * 1e9))
        let webSocket = WebSocketServerConfiguration(maxFrameSize: StreamEndpoint.maximumMessageBytes,
                                                     autoPing: .enabled(timePeriod: .seconds(Int64(max(configuration.idleTimeout / 2, 1)))),
                                                     closeTimeout: .seconds(5))
        return Application(
            router: router,
            server: .http1WebSocketUpgrade(webSocketRouter: router,
                                          configuration: .init(http1: .init(idleTimeout: idle), ws: webSocket)),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "m2f"),
            onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? 0) },
            logger: logger)
    }

    func addRoutes(to router: Router<BasicWebSocketRequestContext>) {
        let animate = AnimateEndpoint(pipeline: uploadPipeline, configuration: configuration, executor: uploadExecutor, gate: uploads, metrics: metrics)
        router.post("/v1/animate") { request, _ in try await animate.handle(request) }
        let stream = StreamEndpoint(pipeline: pipeline, configuration: configuration, executor: executor, gate: streams, metrics: metrics)
        router.ws("/v1/stream", shouldUpgrade: { request, _ in try await stream.shouldUpgrade(request) },
                  onUpgrade: { inbound, outbound, context in await stream.run(inbound: inbound, outbound: outbound, request: context.request) })
        router.get("/v1/head.glb") { _, _ in
            let data = try await executor.run { await head.data() }
            var headers = HTTPFields()
            headers[.contentType] = "model/gltf-binary"
            headers[.cacheControl] = "max-age=3600"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
        }
        router.get("/healthz") { _, _ in
            let body: [String: Any] = ["status": "ok", "streams": metrics.activeStreams,
                                       "uploadsRunning": await uploads.holders, "uploadsWaiting": await uploads.waitingCount]
            return Self.json(body)
        }
        router.get("/metrics") { _, _ in
            var headers = HTTPFields()
            headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: metrics.prometheusText())))
        }
        ViewerAssets(threeDirectory: configuration.threeDirectory, demoAudio: configuration.demoAudio).addRoutes(to: router)
    }

    static func json(_ object: [String: Any], status: HTTPResponse.Status = .ok) -> Response {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
