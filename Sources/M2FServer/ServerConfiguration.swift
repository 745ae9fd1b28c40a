import Foundation

/// What `m2f serve` listens on and the limits it keeps; `m2f serve`'s flags set each field.
///
/// The defaults suit one machine serving a few users: a public deployment behind a proxy should keep
/// the limits and set `bearerToken`.
public struct ServerConfiguration: Sendable, Equatable {
    /// Address to bind. Default 127.0.0.1 (loopback only); `--host 0.0.0.0` opens it to the network.
    public var host: String = "127.0.0.1"
    /// TCP port; 0 picks a free one (tests). Default 8080.
    public var port: Int = 8080
    /// When set, every /v1 call needs `Authorization: Bearer TOKEN` (or `?token=` on the WebSocket,
    /// which browsers cannot give headers).
    public var bearerToken: String?
    /// Largest upload accepted by POST /v1/animate, in bytes. Default 64 MiB (an hour of MP3, 30 min of 16 kHz WAV).
    public var maximumUploadBytes: Int = 64 << 20
    /// Longest audio accepted, in seconds, for uploads and streams alike. Default 600.
    public var maximumAudioSeconds: Double = 600
    /// Uploads animated at once; more wait for a turn (the engine uses every core for one). Default 2.
    public var maximumConcurrentUploads: Int = 2
    /// Uploads waiting for a turn; beyond it the server answers 503 at once. Default 8.
    public var maximumQueuedUploads: Int = 8
    /// Live WebSocket streams at once; one more is refused with 503. Default 4.
    public var maximumStreams: Int = 4
    /// Seconds one upload may take from its first byte to its answer. Default 300.
    public var requestTimeout: Double = 300
    /// Seconds without a byte from a client before its connection (HTTP or WebSocket) is closed. Default 30.
    public var idleTimeout: Double = 30
    /// Threads that run the live streams' engine work, apart from the server's event loops (uploads get
    /// `maximumConcurrentUploads` more, at a lower priority). Default 2; 0 leaves all engine work on
    /// Swift's shared pool (only to measure what the threads are worth).
    public var engineThreads: Int = 2
    /// Where Debian's libjs-three keeps three.js (served under /three/ for the viewer).
    public var threeDirectory: String = "/usr/share/javascript/three"

    /// The clip the viewer's "demo" button plays (GET /demo.wav); nil: none. `m2f serve` sets
    /// Examples/hello.wav when run from the repository.
    public var demoAudio: String?

    public init() {}

    /// Refuses settings that cannot work, naming the flag.
    public func validate() throws(ServerError) {
        func check(_ ok: Bool, _ flag: String, _ value: Any, _ allowed: String) throws(ServerError) {
            if !ok { throw .invalidSetting("\(flag) \(value) is out of range; allowed: \(allowed).") }
        }
        try check((0...65535).contains(port), "--port", port, "0 … 65535")
        try check(maximumUploadBytes > 0, "--max-upload-mb", maximumUploadBytes >> 20, "more than 0")
        try check(maximumAudioSeconds > 0 && maximumAudioSeconds <= 4 * 3600, "--max-audio-seconds", maximumAudioSeconds, "more than 0, up to 14400")
        try check((1...64).contains(maximumConcurrentUploads), "--max-uploads", maximumConcurrentUploads, "1 … 64")
        try check((0...1024).contains(maximumQueuedUploads), "--max-queued-uploads", maximumQueuedUploads, "0 … 1024")
        try check((0...256).contains(maximumStreams), "--max-streams", maximumStreams, "0 … 256")
        try check(requestTimeout > 0, "--request-timeout", requestTimeout, "more than 0 seconds")
        try check(idleTimeout > 0, "--idle-timeout", idleTimeout, "more than 0 seconds")
        try check((0...64).contains(engineThreads), "--engine-threads", engineThreads, "0 … 64")
        if let bearerToken, bearerToken.isEmpty || bearerToken.contains(where: \.isWhitespace) {
            throw .invalidSetting("--token must be a non-empty word without spaces.")
        }
    }
}
