import Foundation
import Synchronization

/// The server's counters, served as Prometheus text at GET /metrics.
///
/// Hand-written rather than swift-prometheus: eight series do not earn another package build in CI.
public final class ServerMetrics: Sendable {
    /// Upper bounds (seconds) of the latency histograms' buckets.
    static let bucketBounds: [Double] = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120]

    struct Histogram {
        var counts = [Int](repeating: 0, count: ServerMetrics.bucketBounds.count)
        var sum = 0.0
        var total = 0

        mutating func observe(_ value: Double) {
            for (index, bound) in ServerMetrics.bucketBounds.enumerated() where value <= bound { counts[index] += 1 }
            sum += value
            total += 1
        }
    }

    struct State {
        var responses: [String: Int] = [:]  // "route|status" → count
        var uploadSeconds = Histogram()
        var streamFrameLatency = Histogram()
        var streamFrames = 0
        var streamsOpened = 0
        var streamsActive = 0
        var audioSeconds = 0.0
    }

    private let state = Mutex(State())

    public init() {}

    func responded(route: String, status: Int) {
        state.withLock { $0.responses["\(route)|\(status)", default: 0] += 1 }
    }

    func uploadFinished(seconds: Double, audioSeconds: Double) {
        state.withLock {
            $0.uploadSeconds.observe(seconds)
            $0.audioSeconds += audioSeconds
        }
    }

    func streamOpened() { state.withLock { $0.streamsOpened += 1; $0.streamsActive += 1 } }
    func streamClosed(audioSeconds: Double) { state.withLock { $0.streamsActive -= 1; $0.audioSeconds += audioSeconds } }
    func frameSent(latency: Double) { state.withLock { $0.streamFrames += 1; $0.streamFrameLatency.observe(latency) } }

    var activeStreams: Int { state.withLock { $0.streamsActive } }

    /// Prometheus text exposition format, version 0.0.4.
    public func prometheusText() -> String {
        let snapshot = state.withLock { $0 }
        var lines: [String] = []
        lines.append("# HELP m2f_http_responses_total HTTP responses by route and status.")
        lines.append("# TYPE m2f_http_responses_total counter")
        for key in snapshot.responses.keys.sorted() {
            let parts = key.split(separator: "|", maxSplits: 1)
            lines.append("m2f_http_responses_total{route=\"\(parts[0])\",status=\"\(parts[1])\"} \(snapshot.responses[key]!)")
        }
        func histogram(_ name: String, _ help: String, _ h: Histogram) {
            lines.append("# HELP \(name) \(help)")
            lines.append("# TYPE \(name) histogram")
            for (bound, count) in zip(Self.bucketBounds, h.counts) { lines.append("\(name)_bucket{le=\"\(bound)\"} \(count)") }
            lines.append("\(name)_bucket{le=\"+Inf\"} \(h.total)")
            lines.append("\(name)_sum \(h.sum)")
            lines.append("\(name)_count \(h.total)")
        }
        histogram("m2f_upload_seconds", "Seconds from an upload's last byte to its answer.", snapshot.uploadSeconds)
        histogram("m2f_stream_frame_latency_seconds", "Wall time from a frame's audio arriving to the frame being sent.",
                  snapshot.streamFrameLatency)
        lines.append("# HELP m2f_stream_frames_total Frames sent on WebSocket streams.")
        lines.append("# TYPE m2f_stream_frames_total counter")
        lines.append("m2f_stream_frames_total \(snapshot.streamFrames)")
        lines.append("# HELP m2f_streams_opened_total WebSocket streams accepted.")
        lines.append("# TYPE m2f_streams_opened_total counter")
        lines.append("m2f_streams_opened_total \(snapshot.streamsOpened)")
        lines.append("# HELP m2f_streams_active WebSocket streams open now.")
        lines.append("# TYPE m2f_streams_active gauge")
        lines.append("m2f_streams_active \(snapshot.streamsActive)")
        lines.append("# HELP m2f_audio_seconds_total Seconds of audio animated (uploads and streams).")
        lines.append("# TYPE m2f_audio_seconds_total counter")
        lines.append("m2f_audio_seconds_total \(snapshot.audioSeconds)")
        return lines.joined(separator: "\n") + "\n"
    }
}
