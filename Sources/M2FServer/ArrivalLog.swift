import Foundation
import Synchronization

/// When each part of a stream's audio arrived, to measure a frame's latency from the moment the audio
/// at its time was received (the definition), kept for the last 30 s only.
final class ArrivalLog: Sendable {
    private struct Chunk { var endSeconds: Double; var instant: ContinuousClock.Instant }
    private struct State {
        var chunks: [Chunk] = []
        var seconds = 0.0
        var lastMessage = ContinuousClock.now
        var finished = false
    }
    private let state = Mutex(State())

    var seconds: Double { state.withLock { $0.seconds } }
    var receivingFinished: Bool { state.withLock { $0.finished } }
    var idleSeconds: Double { StreamEndpoint.seconds(ContinuousClock.now - state.withLock { $0.lastMessage }) }

    /// A message came in.
    func touch() { state.withLock { $0.lastMessage = .now } }
    /// The audio has ended; no more messages are waited for.
    func finishReceiving() { state.withLock { $0.finished = true } }

    /// Records `samples` arriving now; returns the seconds of audio received so far.
    func record(samples: Int, sampleRate: Int) -> Double {
        state.withLock { state in
            state.seconds += Double(samples) / Double(sampleRate)
            state.chunks.append(Chunk(endSeconds: state.seconds, instant: .now))
            if let first = state.chunks.first, first.endSeconds < state.seconds - 30 { state.chunks.removeFirst() }
            return state.seconds
        }
    }

    /// When the audio at `time` arrived (nil past the end: the tail flushed by `finish`).
    func arrival(ofTime time: Double) -> ContinuousClock.Instant? {
        state.withLock { state in state.chunks.first(where: { $0.endSeconds >= time })?.instant }
    }
}
