import Foundation
import Media2Face
import Testing

/// WS /v1/stream over loopback: a whole clip, then each way a client can misbehave; after each the
/// server still streams and its count of open streams returns to zero.
@Suite(.serialized) struct StreamEndpointTests {
    /// Streams `pcm` in 100 ms messages and reads every message until the close.
    func stream(_ port: Int, _ pcm: Data, query: String = "") throws -> (ready: [String: Any], frames: [[String: Any]], last: [String: Any]?) {
        let socket = try LoopbackWebSocket(port: port, path: "/v1/stream" + query)
        let ready = try #require(try socket.receiveJSON())
        for start in stride(from: 0, to: pcm.count, by: 3200) { try socket.sendBinary(pcm[start..<min(start + 3200, pcm.count)]) }
        try socket.sendText("{\"end\": true}")
        var frames: [[String: Any]] = []
        var last: [String: Any]?
        for _ in 0..<100_000 {
            guard let message = try socket.receiveJSON() else { break }
            if message["type"] as? String == "frame" { frames.append(message) } else { last = message }
            if last != nil { break }
        }
        return (ready, frames, last)
    }

    func waitForNoStreams(_ port: Int) throws -> Bool {
        for _ in 0..<100 {
            if try ServerFixture.health(port)["streams"] as? Int == 0 { return true }
            usleep(100_000)
        }
        return false
    }

    @Test func aClipStreamsFrameByFrame() async throws {
        let port = try await ServerFixture.port.value
        let pcm = try ServerFixture.helloPCM()
        let result = try stream(port, pcm, query: "?emotion=happy&intensity=0.5")
        #expect(result.ready["type"] as? String == "ready")
        #expect((result.ready["blendshapes"] as? [String])?.count == 52)
        #expect(result.last?["type"] as? String == "end", "\(result.last ?? [:])")
        let seconds = Double(pcm.count / 2) / 16000
        // The offline pipeline's frame count for the clip: 30 fps over its length.
        #expect(abs(Double(result.frames.count) - seconds * 30) <= 2, "\(result.frames.count) frames for \(seconds) s")
        for (index, frame) in result.frames.enumerated() {
            #expect(frame["index"] as? Int == index)
            let weights = try #require(frame["weights"] as? [Double])
            #expect(weights.count == 52 && weights.allSatisfy { $0.isFinite && $0 >= -0.001 && $0 <= 1.001 })
        }
        let jaw = try #require((result.ready["blendshapes"] as? [String])?.firstIndex(of: "jawOpen"))
        let jawOpen = result.frames.map { ($0["weights"] as! [Double])[jaw] }
        #expect(jawOpen.max()! > jawOpen.min()! + 0.1, "the mouth does not move: \(jawOpen.min()!) … \(jawOpen.max()!)")
        #expect(try waitForNoStreams(port))
    }

    @Test func garbagePCMGetsAnErrorAndAClose() async throws {
        let port = try await ServerFixture.port.value
        for (query, garbage) in [("", Data([1, 2, 3])), ("?encoding=f32le", Data(repeating: 0xFF, count: 8))] {
            let socket = try LoopbackWebSocket(port: port, path: "/v1/stream" + query)
            _ = try socket.receiveJSON()
            try socket.sendBinary(garbage)
            let error = try #require(try socket.receiveJSON())
            #expect(error["type"] as? String == "error")
            #expect((error["error"] as? String)?.contains(query.isEmpty ? "not whole 16-bit samples" : "not audio") == true, "\(error)")
            #expect(try socket.receive() == .close(code: 1003))
        }
        let socket = try LoopbackWebSocket(port: port, path: "/v1/stream")
        _ = try socket.receiveJSON()
        try socket.sendText("not json")
        #expect((try socket.receiveJSON()?["error"] as? String)?.contains("must be a JSON object") == true)
        #expect(try waitForNoStreams(port))
    }

    @Test func disconnectMidStreamLeavesTheServerServing() async throws {
        let port = try await ServerFixture.port.value
        let pcm = try ServerFixture.helloPCM()
        do {
            let socket = try LoopbackWebSocket(port: port, path: "/v1/stream")
            _ = try socket.receiveJSON()
            for start in stride(from: 0, to: 32000, by: 3200) { try socket.sendBinary(pcm[start..<start + 3200]) }
        }  // the socket closes here, without a close frame
        #expect(try waitForNoStreams(port))
        #expect(try stream(port, pcm.prefix(16000)).last?["type"] as? String == "end")
    }

    @Test func aSilentClientIsClosedAfterTheIdleTimeout() async throws {
        let port = try await ServerFixture.port.value
        let socket = try LoopbackWebSocket(port: port, path: "/v1/stream")
        _ = try socket.receiveJSON()
        try socket.sendBinary(try ServerFixture.helloPCM().prefix(3200))
        let started = Date()
        var error: [String: Any]?
        while let message = try socket.receiveJSON() {
            if message["type"] as? String == "error" { error = message; break }
        }
        #expect((error?["error"] as? String)?.contains("no audio for 3 s") == true, "\(error ?? [:])")
        #expect(Date().timeIntervalSince(started) < 15)
        #expect(try waitForNoStreams(port))
    }

    /// A client that sends 30 s of audio and never reads: once the socket buffers are full the server's
    /// writes wait, and after the idle timeout (3 s) it drops the client, long before its 900 frames are
    /// made, frees the place and serves on.
    @Test func aClientThatStopsReadingIsDropped() async throws {
        let port = try await ServerFixture.port.value
        let clip = try ServerFixture.helloPCM()
        var pcm = Data()
        while pcm.count < 30 * 32000 { pcm += clip }
        pcm = pcm.prefix(30 * 32000)
        let socket = try LoopbackWebSocket(port: port, path: "/v1/stream", receiveBuffer: 4096)
        // Sending stops at the first error: once the server drops this client, its sends fail.
        do {
            for start in stride(from: 0, to: pcm.count, by: 3200) { try socket.sendBinary(pcm[start..<min(start + 3200, pcm.count)]) }
            try socket.sendText("{\"end\": true}")
        } catch {}
        // The place comes back while this client still reads nothing (900 frames take a while to make).
        var freed = false
        for _ in 0..<600 where !freed {
            freed = try ServerFixture.health(port)["streams"] as? Int == 0
            if !freed { usleep(250_000) }
        }
        #expect(freed, "the stream of a client that reads nothing still holds its place after 150 s")
        // What the client finds when it reads at last: the frames that were buffered, then the close,
        // not the whole stream and its "end".
        var frames = 0
        var last: [String: Any]?
        while let message = try? socket.receiveJSON() {
            if message["type"] as? String == "frame" { frames += 1 } else { last = message }
        }
        #expect(frames < 900 && last?["type"] as? String != "end", "\(frames) frames, then \(last ?? [:]): the server was never held up")
        #expect(try stream(port, clip.prefix(16000)).last?["type"] as? String == "end")
    }

    @Test func oneStreamTooManyIsRefusedWithJSON() async throws {
        let port = try await ServerFixture.port.value
        let first = try LoopbackWebSocket(port: port, path: "/v1/stream")
        let second = try LoopbackWebSocket(port: port, path: "/v1/stream")
        _ = try first.receiveJSON()
        _ = try second.receiveJSON()
        // The third is upgraded, told why in JSON and closed with 1013 (try again later).
        let refusal = try LoopbackWebSocket.refused(port: port, path: "/v1/stream")
        #expect(refusal.error["type"] as? String == "error" && refusal.error["status"] as? Int == 503, "\(refusal.error)")
        #expect((refusal.error["error"] as? String)?.contains("limit of 2 live streams") == true, "\(refusal.error)")
        #expect(refusal.close == .close(code: 1013))
        try first.sendClose()
        try second.sendClose()
        #expect(try waitForNoStreams(port))
        let again = try LoopbackWebSocket(port: port, path: "/v1/stream")
        #expect(try again.receiveJSON()?["type"] as? String == "ready")
    }

    /// A stream runs on the library's stream defaults (`StreamConfiguration()`, as `m2f stream`), and
    /// `look-ahead` and `steps` in the query change them; out-of-range values get the library's message
    /// before the upgrade.
    @Test func streamsUseTheLibrarysDefaultsAndTheQuerysSettings() async throws {
        let port = try await ServerFixture.port.value
        let defaults = StreamConfiguration()
        for (query, lookAhead, steps) in [("", defaults.lookAheadFrames, defaults.stepsPerHop), ("?look-ahead=6&steps=4", 6, 4)] {
            let socket = try LoopbackWebSocket(port: port, path: "/v1/stream" + query)
            let ready = try #require(try socket.receiveJSON())
            #expect(ready["lookAheadFrames"] as? Int == lookAhead && ready["hopFrames"] as? Int == defaults.hopFrames, "\(query): \(ready)")
            #expect(ready["stepsPerHop"] as? Int == steps, "\(query): \(ready)")
            #expect(abs((ready["lookAheadSeconds"] as? Double ?? 0) - Double(lookAhead + defaults.hopFrames) / 30) < 1e-9, "\(query): \(ready)")
            try socket.sendClose()
        }
        for (query, message) in [("?look-ahead=200", "--look-ahead 200 frames is out of range"), ("?steps=0", "steps per hop 0 is out of range"),
                                 ("?look-ahead=x", "look-ahead \"x\" is not a valid whole number")] {
            let refusal = try LoopbackWebSocket.refused(port: port, path: "/v1/stream" + query)
            #expect(refusal.error["status"] as? Int == 400, "\(query): \(refusal.error)")
            #expect((refusal.error["error"] as? String)?.contains(message) == true, "\(query): \(refusal.error)")
            #expect(refusal.close == .close(code: 1008), "\(query)")
        }
        #expect(try waitForNoStreams(port))
    }

    @Test func badQueryAndPlainGETAreJSONErrors() async throws {
        let port = try await ServerFixture.port.value
        let refusal = try LoopbackWebSocket.refused(port: port, path: "/v1/stream?sample-rate=5")
        #expect(refusal.error["status"] as? Int == 400 && (refusal.error["error"] as? String)?.contains("sample-rate 5 is out of range") == true, "\(refusal.error)")
        #expect(refusal.close == .close(code: 1008))
        let plain = try LoopbackHTTP.request(port: port, "GET", "/v1/stream")
        #expect(plain.status == 400 && plain.error.contains("is a WebSocket"))
    }
}
