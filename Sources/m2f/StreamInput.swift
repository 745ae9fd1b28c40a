import Foundation
import M2FAudio

/// Where `m2f stream` (and `m2f animate -`) take audio from: stdin, read on a thread of its own so
/// that reading goes on while the models work, or a file, paced as if it were live.
enum StreamInput {
    /// One piece of audio: mono samples at `sampleRate` Hz.
    struct Chunk: Sendable {
        var samples: [Float]
        var sampleRate: Int
    }

    /// stdin as chunks, as the bytes arrive (raw s16le or a WAV stream, per `container`).
    static func standardInput(container: StreamAudioDecoder.Container) -> AsyncThrowingStream<Chunk, any Error> {
        let (stream, continuation) = AsyncThrowingStream.makeStream(of: Chunk.self)
        let thread = Thread {
            var decoder = StreamAudioDecoder(source: "stdin", container: container)
            var buffer = [UInt8](repeating: 0, count: 4096)
            do {
                while true {
                    let count = buffer.withUnsafeMutableBytes { read(0, $0.baseAddress, $0.count) }
                    if count < 0 && errno == EINTR { continue }
                    guard count > 0 else { break }
                    let samples = try decoder.push(Array(buffer[0..<count]))
                    if !samples.isEmpty, let rate = decoder.sampleRate { continuation.yield(Chunk(samples: samples, sampleRate: rate)) }
                }
                try decoder.finish()
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
        }
        thread.start()
        return stream
    }

    /// All of stdin, decoded (for `m2f animate -`).
    static func readAll(container: StreamAudioDecoder.Container) async throws -> Chunk {
        var all = Chunk(samples: [], sampleRate: 16_000)
        for try await chunk in standardInput(container: container) {
            all.samples += chunk.samples
            all.sampleRate = chunk.sampleRate
        }
        return all
    }

    /// A file (any format `AudioLoader` reads) in 20 ms chunks at 16 kHz; with `realtime`, each chunk is
    /// released when its last sample would have been heard.
    static func file(_ path: String, realtime: Bool) throws -> AsyncThrowingStream<Chunk, any Error> {
        let samples = try AudioLoader().load(path: path).samples
        let (stream, continuation) = AsyncThrowingStream.makeStream(of: Chunk.self)
        let task = Task {
            let clock = ContinuousClock()
            let start = clock.now
            let chunk = 320
            for first in stride(from: 0, to: samples.count, by: chunk) {
                let end = min(first + chunk, samples.count)
                if realtime { try? await clock.sleep(until: start + .microseconds(end * 1_000_000 / 16_000)) }
                if Task.isCancelled { break }
                continuation.yield(Chunk(samples: Array(samples[first..<end]), sampleRate: 16_000))
            }
            continuation.finish()
        }
        continuation.onTermination = { _ in task.cancel() }
        return stream
    }
}
