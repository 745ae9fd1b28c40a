import Foundation
import M2FServer
import M2FTestSupport
import Testing

/// POST /v1/animate over loopback against the real `m2f animate`, and its refusals.
@Suite(.serialized) struct AnimateEndpointTests {
    /// The same request through the CLI and the server gives the same bytes, for every format served.
    @Test func uploadGivesTheCLIsBytes() async throws {
        let port = try await ServerFixture.port.value
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("m2f-serve-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.copyItem(at: ServerFixture.hello, to: folder.appendingPathComponent("hello.wav"))
        let cli = try M2FExecutable.shell(
            "\"$M2F\" animate '\(folder.path)/hello.wav' --text 'friendly and cheerful' --seed 3 --format csv,json,glb --quiet -o '\(folder.path)/hello'",
            in: ServerFixture.root)
        try #require(cli.status == 0, "m2f animate failed: \(cli.output)")
        let audio = try Data(contentsOf: ServerFixture.hello)
        for format in ["csv", "json", "glb"] {
            let response = try LoopbackHTTP.request(
                port: port, "POST", "/v1/animate?format=\(format)&filename=hello.wav&text=friendly%20and%20cheerful&seed=3",
                headers: ["Content-Type": "audio/wav"], body: audio)
            #expect(response.status == 200, "\(format): \(response.error)")
            let expected = try Data(contentsOf: folder.appendingPathComponent("hello.\(format)"))
            #expect(response.body == expected, "\(format): \(response.body.count) bytes from the server, \(expected.count) from the CLI")
        }
    }

    /// The speaking-style dials in the query string give the CLI's flags' bytes.
    @Test func speakingDialsGiveTheCLIsBytes() async throws {
        let port = try await ServerFixture.port.value
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("m2f-serve-dials-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.copyItem(at: ServerFixture.hello, to: folder.appendingPathComponent("hello.wav"))
        let cli = try M2FExecutable.shell(
            "\"$M2F\" animate '\(folder.path)/hello.wav' --articulation 1.6 --energy 0.5 --head-motion 3 --no-added-blinks --format json --quiet -o '\(folder.path)/hello'",
            in: ServerFixture.root)
        try #require(cli.status == 0, "m2f animate failed: \(cli.output)")
        let audio = try Data(contentsOf: ServerFixture.hello)
        let path = "/v1/animate?format=json&filename=hello.wav"
        let response = try LoopbackHTTP.request(port: port, "POST", path + "&articulation=1.6&energy=0.5&head-motion=3&no-added-blinks=true",
                                                headers: ["Content-Type": "audio/wav"], body: audio)
        #expect(response.status == 200, "\(response.error)")
        #expect(response.body == (try Data(contentsOf: folder.appendingPathComponent("hello.json"))))
        // And the dials act: without them the answer differs.
        let plain = try LoopbackHTTP.request(port: port, "POST", path, headers: ["Content-Type": "audio/wav"], body: audio)
        #expect(plain.status == 200 && plain.body != response.body)
    }

    /// emotion=neutral (any intensity) is the calm face of no style: the same frames (CSV carries no
    /// metadata, so the same bytes).
    @Test func neutralEmotionIsNoStyle() async throws {
        let port = try await ServerFixture.port.value
        let audio = try Data(contentsOf: ServerFixture.hello)
        let path = "/v1/animate?format=csv&filename=hello.wav"
        let plain = try LoopbackHTTP.request(port: port, "POST", path, headers: ["Content-Type": "audio/wav"], body: audio)
        #expect(plain.status == 200, "\(plain.error)")
        for query in ["&emotion=neutral", "&emotion=neutral&intensity=0"] {
            let neutral = try LoopbackHTTP.request(port: port, "POST", path + query, headers: ["Content-Type": "audio/wav"], body: audio)
            #expect(neutral.status == 200 && neutral.body == plain.body, "\(query)")
        }
    }

    @Test func refusalsAreJSONWithTheCLIsMessages() async throws {
        let port = try await ServerFixture.port.value
        let audio = try Data(contentsOf: ServerFixture.hello)
        let cases: [(path: String, type: String, body: Data, status: Int, message: String)] = [
            ("/v1/animate", "text/plain", audio, 415, "Content-Type text/plain is not audio"),
            ("/v1/animate", "application/json", Data("{}".utf8), 415, "Content-Type application/json is not audio"),
            ("/v1/animate", "audio/wav", Data(count: 3 << 20), 413, "larger than the server's limit of 2 MiB"),
            ("/v1/animate?steps=0", "audio/wav", audio, 400, "--steps 0 is out of range; allowed: 1 … 500"),
            ("/v1/animate?audio-guidance=25", "audio/wav", audio, 400, "--audio-guidance 25.0 is out of range"),
            ("/v1/animate?emotion=grumpy", "audio/wav", audio, 400, "--emotion grumpy is unknown; use one of"),
            ("/v1/animate?text=a&emotion=happy", "audio/wav", audio, 400, "give at most one of --text, --emotion and --image"),
            ("/v1/animate?format=mp4", "audio/wav", audio, 400, "unknown output format \"mp4\""),
            ("/v1/animate?colour=red", "audio/wav", audio, 400, "unknown parameter \"colour\""),
            ("/v1/animate?filename=../etc/passwd", "audio/wav", audio, 400, "must be a plain file name"),
            ("/v1/animate?seed=x", "audio/wav", audio, 400, "seed \"x\" is not a valid whole number"),
            ("/v1/animate?articulation=3", "audio/wav", audio, 400, "--articulation 3.0 is out of range; allowed: 0 … 2"),
            ("/v1/animate?energy=-1", "audio/wav", audio, 400, "--energy -1.0 is out of range; allowed: 0 … 2"),
            ("/v1/animate?head-motion=nan", "audio/wav", audio, 400, "--head-motion nan is out of range; allowed: 0 … 4"),
            ("/v1/animate?head-motion=lots", "audio/wav", audio, 400, "head-motion \"lots\" is not a valid number"),
            ("/v1/animate?filename=noise.wav", "audio/wav", Data("RIFF but not really a wave file".utf8), 400,
             "noise.wav: cannot read this as audio"),
            ("/v1/nothing", "audio/wav", audio, 404, "/v1/nothing: no such endpoint"),
        ]
        for item in cases {
            let response = try LoopbackHTTP.request(port: port, "POST", item.path, headers: ["Content-Type": item.type], body: item.body)
            #expect(response.status == item.status, "\(item.path) \(item.type): \(response.status) \(response.error)")
            #expect(response.headers["content-type"]?.hasPrefix("application/json") == true, "\(item.path)")
            #expect(response.error.contains(item.message), "\(item.path): \(response.error)")
            #expect(response.json["status"] as? Int == item.status)
        }
        // The CLI gives the same words for the same mistakes.
        let cli = try M2FExecutable.shell("\"$M2F\" animate Examples/hello.wav -o /tmp/m2f-x --steps 0; "
                                          + "\"$M2F\" animate Examples/hello.wav -o /tmp/m2f-x --emotion grumpy", in: ServerFixture.root)
        #expect(cli.output.contains("--steps 0 is out of range; allowed: 1 … 500"))
        #expect(cli.output.contains("--emotion grumpy is unknown; use one of"))
        let dials = try M2FExecutable.shell("\"$M2F\" animate Examples/hello.wav -o /tmp/m2f-x --articulation 3", in: ServerFixture.root)
        #expect(dials.output.contains("--articulation 3.0 is out of range; allowed: 0 … 2"))
        // Still serving.
        #expect(try ServerFixture.health(port)["status"] as? String == "ok")
    }

    /// Audio longer than the server's limit is refused after decoding, before any animation work.
    @Test func longAudioIsRefused() async throws {
        let port = try await ServerFixture.port.value
        // 45 s of silence at 8 kHz as 16-bit WAV (720 kB): under the upload limit, over 40 s of audio.
        let samples = 45 * 8000
        var wav = Data("RIFF".utf8)
        func le32(_ v: Int) -> Data { Data((0..<4).map { UInt8((v >> ($0 * 8)) & 0xFF) }) }
        func le16(_ v: Int) -> Data { Data([UInt8(v & 0xFF), UInt8(v >> 8)]) }
        wav += le32(36 + samples * 2) + Data("WAVEfmt ".utf8) + le32(16) + le16(1) + le16(1) + le32(8000) + le32(16000) + le16(2) + le16(16)
        wav += Data("data".utf8) + le32(samples * 2) + Data(count: samples * 2)
        let response = try LoopbackHTTP.request(port: port, "POST", "/v1/animate?filename=long.wav", headers: ["Content-Type": "audio/wav"], body: wav)
        #expect(response.status == 400)
        #expect(response.error.contains("long.wav:") && response.error.contains("this server's limit of 40 s"), "\(response.error)")
    }

    @Test func healthMetricsAndViewerFiles() async throws {
        let port = try await ServerFixture.port.value
        #expect(try ServerFixture.health(port)["status"] as? String == "ok")
        let metrics = try LoopbackHTTP.request(port: port, "GET", "/metrics")
        #expect(metrics.status == 200)
        let text = String(decoding: metrics.body, as: UTF8.self)
        #expect(text.contains("# TYPE m2f_upload_seconds histogram") && text.contains("m2f_streams_active"))
        let page = try LoopbackHTTP.request(port: port, "GET", "/")
        #expect(page.status == 200 && String(decoding: page.body, as: UTF8.self).contains("viewer.js"))
        let head = try LoopbackHTTP.request(port: port, "GET", "/v1/head.glb")
        #expect(head.status == 200 && head.body.prefix(4) == Data("glTF".utf8))
        if FileManager.default.fileExists(atPath: "/usr/share/javascript/three/build/three.module.js") {
            let three = try LoopbackHTTP.request(port: port, "GET", "/three/build/three.module.js")
            #expect(three.status == 200 && String(decoding: three.body.prefix(100_000), as: UTF8.self).contains("REVISION"))
        }
        #expect(try LoopbackHTTP.request(port: port, "GET", "/three/../../etc/passwd").status == 404)
    }

    /// A client that sends half a body and stalls is cut off after the idle timeout; others are served meanwhile.
    @Test func stalledUploadIsClosed() async throws {
        let port = try await ServerFixture.port.value
        let socket = try LoopbackSocket(port: port)
        try socket.send("POST /v1/animate HTTP/1.1\r\nHost: x\r\nContent-Type: audio/wav\r\nContent-Length: 100000\r\n\r\n")
        try socket.send(Data(count: 1000))
        #expect(try ServerFixture.health(port)["status"] as? String == "ok")
        #expect(socket.closedByPeer(within: 15), "the server kept a stalled upload open past its 3 s idle timeout")
    }

    /// With a token, /v1 needs it (header, or ?token= for browsers' WebSockets); the viewer and /healthz stay open.
    @Test func bearerTokenGuardsTheAPI() async throws {
        var configuration = ServerFixture.configuration
        configuration.bearerToken = "s3cret-token"
        let port = try ServerFixture.start(configuration)
        let audio = try Data(contentsOf: ServerFixture.hello)
        let refused = try LoopbackHTTP.request(port: port, "POST", "/v1/animate?format=csv", headers: ["Content-Type": "audio/wav"], body: audio)
        #expect(refused.status == 401 && refused.error.contains("needs a bearer token"))
        let wrong = try LoopbackHTTP.request(port: port, "GET", "/v1/head.glb", headers: ["Authorization": "Bearer s3cret-tokeN"])
        #expect(wrong.status == 401)
        #expect(try LoopbackHTTP.request(port: port, "GET", "/v1/head.glb", headers: ["Authorization": "Bearer s3cret-token"]).status == 200)
        #expect(try LoopbackHTTP.request(port: port, "GET", "/v1/head.glb?token=s3cret-token").status == 200)
        #expect(try LoopbackHTTP.request(port: port, "GET", "/healthz").status == 200)
        #expect(try LoopbackHTTP.request(port: port, "GET", "/").status == 200)
        // The stream: refused in JSON after the upgrade without the token, ready with it.
        let refusal = try LoopbackWebSocket.refused(port: port, path: "/v1/stream")
        #expect(refusal.error["status"] as? Int == 401 && (refusal.error["error"] as? String)?.contains("needs a bearer token") == true, "\(refusal.error)")
        #expect(refusal.close == .close(code: 1008))
        let stream = try LoopbackWebSocket(port: port, path: "/v1/stream?token=s3cret-token")
        #expect(try stream.receiveJSON()?["type"] as? String == "ready")
        try stream.sendClose()
    }
}
