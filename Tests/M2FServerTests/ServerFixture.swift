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

    static let pipeline = Task {
        try await Media2FacePipeline.load(configuration: Media2FacePipelineConfiguration(
            modelDirectory: root.appendingPathComponent("Models/media2face").path,
            gnpfaDirectory: root.appendingPathComponent("Models/gnpfa").path))
    }

    /// The running server's port (started on first use; it lives until the test process ends).
    static let port = Task { () throws -> Int in
        let server = try M2FServer(pipeline: try await pipeline.value, configuration: configuration)
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
