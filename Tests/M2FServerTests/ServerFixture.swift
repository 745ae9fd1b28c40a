import Foundation
import M2FServer
import Media2Face

/// One `m2f serve` for the whole test run, in this process, on a free loopback port, with the committed
/// model and limits small enough to reach in a test (2 MiB uploads, 40 s of audio, 2 streams, 3 s idle).
enum ServerFixture {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let hello = root.appendingPathComponent("Examples/hello.wav")

    static var configuration: ServerConfiguration {
        var configuration = ServerConfiguration()
        configuration.port = 0
        configuration.maximumUploadBytes = 2 << 20
        configuration.maximumAudioSeconds = 40
        configuration.maximumStreams = 2
        configuration.maximumConcurrentUploads = 1
        configuration.maximumQueuedUploads = 4
        configuration.idleTimeout = 3
        configuration.requestTimeout = 120
        configuration.demoAudio = hello.path
        return configuration
    }

    static func loadPipeline() async throws -> Media2FacePipeline {
        try await Media2FacePipeline.load(configuration: Media2FacePipelineConfiguration(
            modelDirectory: root.appendingPathComponent("Models/media2face").path,
            gnpfaDirectory: root.appendingPathComponent("Models/gnpfa").path))
    }

    /// Two loads of the models, as `m2f serve` makes them: one for streams, one for uploads.
    static let pipelines = Task { () throws -> (streams: Media2FacePipeline, uploads: Media2FacePipeline) in
        (try await loadPipeline(), try await loadPipeline())
    }

    static func server(_ configuration: ServerConfiguration) async throws -> M2FServer {
        let (streams, uploads) = try await pipelines.value
        return try M2FServer(pipeline: streams, uploadPipeline: uploads, configuration: configuration)
    }

    /// The running server's port (started on first use; it lives until the test process ends).
    static let port = Task { try await start(configuration) }

    /// A second server for the viewer tests, so that their streams do not count against the stream
    /// tests' limit of 2 when the suites run side by side.
    static let viewerPort = Task { try await start(configuration) }

    static func start(_ configuration: ServerConfiguration) async throws -> Int {
        let server = try await server(configuration)
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        Task.detached { try await server.run { continuation.yield($0) } }
        for await port in ports { return port }
        throw LoopbackSocket.Failure(description: "the server did not start")
    }

    /// Examples/hello.wav as 16 kHz s16le samples (its data chunk), for streams.
    static func helloPCM() throws -> Data {
        let wav = try Data(contentsOf: hello)
        guard let range = wav.range(of: Data("data".utf8)) else { throw LoopbackSocket.Failure(description: "hello.wav has no data chunk") }
        return Data(wav[(range.upperBound + 4)...])
    }

    /// GET /healthz as JSON.
    static func health(_ port: Int) throws -> [String: Any] {
        try LoopbackHTTP.request(port: port, "GET", "/healthz").json
    }
}
