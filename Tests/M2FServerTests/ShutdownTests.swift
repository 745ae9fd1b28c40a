import Foundation
import M2FTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Graceful shutdown of the real `m2f serve` process: SIGTERM while an upload is being animated stops
/// new connections, lets the upload finish with its whole answer, then exits with status 0.
@Suite struct ShutdownTests {
    /// A 16 kHz mono s16le WAV of Examples/hello.wav said `times` times over.
    static func repeatedHello(_ times: Int) throws -> (wav: Data, seconds: Double) {
        let clip = try ServerFixture.helloPCM()
        var pcm = Data()
        for _ in 0..<times { pcm += clip }
        func le32(_ v: Int) -> Data { Data((0..<4).map { UInt8((v >> ($0 * 8)) & 0xFF) }) }
        func le16(_ v: Int) -> Data { Data([UInt8(v & 0xFF), UInt8(v >> 8)]) }
        var wav = Data("RIFF".utf8) + le32(36 + pcm.count) + Data("WAVEfmt ".utf8) + le32(16) + le16(1) + le16(1) + le32(16000) + le32(32000)
        wav += le16(2) + le16(16) + Data("data".utf8) + le32(pcm.count) + pcm
        return (wav, Double(pcm.count / 2) / 16000)
    }

    @Test func sigtermLetsTheUploadInFlightFinishThenExits() async throws {
        let binary = try #require(M2FExecutable.url(), "m2f is not built beside the tests")
        let (process, port) = try ServerFixture.launch(binary, ["serve", "--port", "0", "--max-uploads", "1"])
        // Bounded: a server that never stops is killed.
        let watchdog = DispatchWorkItem { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
        DispatchQueue.global().asyncAfter(deadline: .now() + 400, execute: watchdog)
        defer {
            watchdog.cancel()
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        }

        let (wav, seconds) = try Self.repeatedHello(4)
        let answer = Answer()
        let uploader = Thread {
            answer.set(Result { try LoopbackHTTP.request(port: port, "POST", "/v1/animate?format=json&filename=long.wav",
                                                         headers: ["Content-Type": "audio/wav"], body: wav) })
        }
        uploader.start()
        var running = false
        for _ in 0..<600 where !running {
            running = try ServerFixture.health(port)["uploadsRunning"] as? Int == 1
            if !running { usleep(50_000) }
        }
        try #require(running, "the upload never started")
        kill(process.processIdentifier, SIGTERM)

        // Shutting down: no new connections while the upload is still being animated.
        usleep(500_000)
        #expect(answer.value == nil, "the upload of \(seconds) s finished within 0.5 s of SIGTERM: the test proves nothing")
        #expect(throws: (any Error).self, "a new connection was accepted after SIGTERM") {
            try LoopbackHTTP.request(port: port, "GET", "/healthz", timeout: 5)
        }

        let result = try #require(answer.wait(seconds: 300), "no answer to the upload in flight")
        let response = try result.get()
        #expect(response.status == 200, "\(response.status): \(response.error)")
        let frames = (response.json["frames"] as? [Any])?.count ?? 0
        #expect(abs(Double(frames) - seconds * 30) <= 2, "\(frames) frames for \(seconds) s: the answer was cut")

        for _ in 0..<600 where process.isRunning { usleep(100_000) }
        #expect(!process.isRunning, "m2f serve still runs 60 s after the upload's answer")
        if !process.isRunning {
            #expect(process.terminationReason == .exit && process.terminationStatus == 0,
                    "m2f serve ended with \(process.terminationReason == .exit ? "status" : "signal") \(process.terminationStatus)")
        }
    }
}

/// The uploader thread's result, waited for with a bound.
final class Answer: @unchecked Sendable {
    private let condition = NSCondition()
    private var result: Result<LoopbackHTTP, any Error>?

    var value: Result<LoopbackHTTP, any Error>? { condition.lock(); defer { condition.unlock() }; return result }

    func set(_ result: Result<LoopbackHTTP, any Error>) {
        condition.lock()
        self.result = result
        condition.broadcast()
        condition.unlock()
    }

    func wait(seconds: Double) -> Result<LoopbackHTTP, any Error>? {
        let deadline = Date().addingTimeInterval(seconds)
        condition.lock()
        defer { condition.unlock() }
        while result == nil, condition.wait(until: deadline) {}
        return result
    }
}
