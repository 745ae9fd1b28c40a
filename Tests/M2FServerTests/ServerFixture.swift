import Foundation
import M2FServer
import M2FTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// One `m2f serve` for the whole test run, a child process on a free loopback port, with the committed
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

    /// `m2f serve`'s flags for `configuration`.
    static func arguments(_ configuration: ServerConfiguration) -> [String] {
        var arguments = ["serve", "--port", "\(configuration.port)", "--max-upload-mb", "\(configuration.maximumUploadBytes >> 20)",
                         "--max-audio-seconds", "\(configuration.maximumAudioSeconds)", "--max-streams", "\(configuration.maximumStreams)",
                         "--max-uploads", "\(configuration.maximumConcurrentUploads)", "--max-queued-uploads", "\(configuration.maximumQueuedUploads)",
                         "--idle-timeout", "\(configuration.idleTimeout)", "--request-timeout", "\(configuration.requestTimeout)"]
        if let demo = configuration.demoAudio { arguments += ["--demo-audio", demo] }
        if let token = configuration.bearerToken { arguments += ["--token", token] }
        return arguments
    }

    /// The real `m2f serve` with `configuration`, as a child process that ends when this test process
    /// does (a shell beside it watches this process), on the port it prints.
    ///
    /// Not in this process: the tests' clients block on sockets, and tests run side by side, so they can
    /// hold every thread of Swift's shared pool (two here) while waiting for the server; an in-process
    /// server whose work needs one of those threads then waits for them (seen: streams stalled until a
    /// client's 60 s receive timeout gave a thread back).
    static func start(_ configuration: ServerConfiguration) throws -> Int {
        guard let binary = M2FExecutable.url() else { throw LoopbackSocket.Failure(description: "m2f is not built beside the tests") }
        let watcher = "\"$0\" \"$@\" & server=$!; while kill -0 \(getpid()) 2>/dev/null && kill -0 $server 2>/dev/null; do sleep 1; done; "
            + "kill $server 2>/dev/null; wait $server"
        return try launch(URL(fileURLWithPath: "/bin/sh"), ["-c", watcher, binary.path] + arguments(configuration)).port
    }

    /// Starts `executable` with `arguments` in the repository and reads the port from the server's
    /// "http://HOST:PORT/" line (bounded: a server that does not start in 300 s is killed).
    static func launch(_ executable: URL, _ arguments: [String]) throws -> (process: Process, port: Int) {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = root
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let watchdog = DispatchWorkItem { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
        DispatchQueue.global().asyncAfter(deadline: .now() + 300, execute: watchdog)
        defer { watchdog.cancel() }
        var line = ""
        while !line.contains("\n") {
            let data = output.fileHandleForReading.availableData
            if data.isEmpty { break }
            line += String(decoding: data, as: UTF8.self)
        }
        guard let address = line.components(separatedBy: "http://").dropFirst().first?.split(separator: "/").first,
              let port = address.split(separator: ":").last.flatMap({ Int($0) }) else {
            throw LoopbackSocket.Failure(description: "m2f serve did not start: \(line.debugDescription)")
        }
        return (process, port)
    }

    /// The running server's port (started on first use; it lives until the test process ends).
    static let port = Task { try start(configuration) }

    /// A second server for the viewer tests, so that their streams do not count against the stream
    /// tests' limit of 2 when the suites run side by side.
    static let viewerPort = Task { try start(configuration) }

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
