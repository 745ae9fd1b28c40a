import ArgumentParser
import Foundation
import M2FServer

/// `m2f serve`: the HTTP/WebSocket API and the web viewer (M2FServer) over the loaded models.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the animation API (upload, live WebSocket stream) and the web viewer over HTTP.",
        discussion: """
            Open http://127.0.0.1:8080/ for the viewer. Endpoints: POST /v1/animate, GET|WS /v1/stream, \
            GET /v1/head.glb, GET /healthz, GET /metrics (docs/USAGE.md, "m2f serve"). Binds 127.0.0.1 \
            unless --host says otherwise; SIGINT or SIGTERM stops it after the requests in flight.

            Examples:
              m2f serve
              m2f serve --host 0.0.0.0 --port 9000 --token "$(openssl rand -hex 16)"
              curl -X POST -H 'Content-Type: audio/wav' --data-binary @talk.wav \\
                   'http://127.0.0.1:8080/v1/animate?format=csv&text=calm' -o talk.csv
            """)

    @Option(help: "Address to bind (0.0.0.0: every interface).")
    var host = "127.0.0.1"

    @Option(parsing: .unconditional, help: "TCP port (0: any free port, printed at start).")
    var port = 8080

    @Option(help: "Require this bearer token on /v1 (or set M2F_SERVE_TOKEN).")
    var token: String?

    @Option(parsing: .unconditional, help: "Largest upload in MiB.")
    var maxUploadMb = 64

    @Option(parsing: .unconditional, help: "Longest audio in seconds, uploads and streams alike.")
    var maxAudioSeconds: Double = 600

    @Option(parsing: .unconditional, help: "Uploads animated at once.")
    var maxUploads = 2

    @Option(parsing: .unconditional, help: "Uploads waiting for a turn before more are refused (503).")
    var maxQueuedUploads = 8

    @Option(parsing: .unconditional, help: "Live WebSocket streams at once.")
    var maxStreams = 4

    @Option(parsing: .unconditional, help: "Seconds an upload may take to animate.")
    var requestTimeout: Double = 300

    @Option(parsing: .unconditional, help: "Seconds without a byte before a connection is closed.")
    var idleTimeout: Double = 30

    @Option(parsing: .unconditional, help: "Threads for the engine's work, apart from the server's own (0: Swift's shared pool, for measuring).")
    var engineThreads = 2

    @Flag(help: "Uploads and streams on one copy of the models (less memory; a running upload then holds up every stream).")
    var shareModels = false

    @Option(help: "three.js folder (Debian's libjs-three).")
    var threeDir = "/usr/share/javascript/three"

    @Option(help: "The viewer's demo clip (default: Examples/hello.wav when present).")
    var demoAudio: String?

    @OptionGroup var models: ModelFolderOptions

    var serverConfiguration: ServerConfiguration {
        var configuration = ServerConfiguration()
        configuration.host = host
        configuration.port = port
        configuration.bearerToken = token ?? ProcessInfo.processInfo.environment["M2F_SERVE_TOKEN"]
        configuration.maximumUploadBytes = maxUploadMb << 20
        configuration.maximumAudioSeconds = maxAudioSeconds
        configuration.maximumConcurrentUploads = maxUploads
        configuration.maximumQueuedUploads = maxQueuedUploads
        configuration.maximumStreams = maxStreams
        configuration.requestTimeout = requestTimeout
        configuration.idleTimeout = idleTimeout
        configuration.engineThreads = engineThreads
        configuration.threeDirectory = threeDir
        configuration.demoAudio = demoAudio ?? (FileManager.default.fileExists(atPath: "Examples/hello.wav") ? "Examples/hello.wav" : nil)
        return configuration
    }

    func validate() throws {
        do { try serverConfiguration.validate() } catch { throw ValidationError(error.localizedDescription) }
    }

    func run() async throws {
        FileHandle.standardError.write(Data("loading models…\n".utf8))
        // Twice: streams and uploads each on models of their own (M2FServer says why).
        let pipeline = try await models.loadPipeline()
        let uploadPipeline = shareModels ? pipeline : try await models.loadPipeline()
        let server = try M2FServer(pipeline: pipeline, uploadPipeline: uploadPipeline, configuration: serverConfiguration)
        let host = serverConfiguration.host
        try await server.run { port in
            // Unbuffered: scripts read the port from this line through a pipe.
            FileHandle.standardOutput.write(Data("m2f serve: the viewer is at http://\(host):\(port)/ (Ctrl-C stops)\n".utf8))
        }
    }
}
