import Foundation

/// MediaPipe's landmark smoothing in VIDEO mode (`LandmarksSmoothingCalculator`, One Euro filter with
/// min cutoff 0.05 Hz, beta 80, derivative cutoff 1 Hz): every coordinate is filtered in pixels, its
/// speed measured in face sizes per second (the mean side of the landmarks' bounding box: with it our
/// landmarks match MediaPipe's VIDEO mode to 0.06 % of the inter-ocular distance, against 0.56 % with
/// the crop's side), so the filter reacts alike to near and far faces. Reset when the face is lost.
struct LandmarkSmoothing {
    var minimumCutoff = 0.05, beta = 80.0, derivativeCutoff = 1.0
    var initialFrequency = 30.0

    private struct Channel {
        var value = 0.0, rawValue = 0.0, speed = 0.0
    }

    private var channels: [Channel] = []
    private var lastTime: Double?

    mutating func reset() {
        channels = []
        lastTime = nil
    }

    /// Filters `landmarks` (normalised x, y; z in width units) seen at `time` seconds on a `width` ×
    /// `height` image.
    mutating func callAsFunction(_ landmarks: [SIMD3<Float>], time: Double, width: Int, height: Int) -> [SIMD3<Float>] {
        let w = Double(width), h = Double(height)
        var lo = SIMD2<Double>(.infinity, .infinity), hi = -lo
        for p in landmarks {
            let q = SIMD2(Double(p.x) * w, Double(p.y) * h)
            lo = pointwiseMin(lo, q)
            hi = pointwiseMax(hi, q)
        }
        let objectScale = ((hi.x - lo.x) + (hi.y - lo.y)) / 2
        guard let last = lastTime, time > last, channels.count == landmarks.count * 3, objectScale > 0 else {
            // First frame (or time went back): the raw values start the filters.
            channels = landmarks.flatMap { p in [Double(p.x) * w, Double(p.y) * h, Double(p.z) * w].map { Channel(value: $0, rawValue: $0) } }
            lastTime = time
            return landmarks
        }
        // MediaPipe keeps its configured 30 Hz until it has seen two non-zero timestamps.
        let frequency = last == 0 ? initialFrequency : 1 / (time - last)
        lastTime = time
        func alpha(_ cutoff: Double) -> Double { 1 / (1 + frequency / (2 * Double.pi * cutoff)) }
        let speedAlpha = alpha(derivativeCutoff)
        var out = landmarks
        for i in landmarks.indices {
            let raw = SIMD3(Double(landmarks[i].x) * w, Double(landmarks[i].y) * h, Double(landmarks[i].z) * w)
            var filtered = SIMD3<Double>.zero
            for c in 0..<3 {
                var channel = channels[3 * i + c]
                let speed = (raw[c] - channel.rawValue) / objectScale * frequency
                channel.speed += speedAlpha * (speed - channel.speed)
                let cutoff = minimumCutoff + beta * abs(channel.speed)
                channel.value += alpha(cutoff) * (raw[c] - channel.value)
                channel.rawValue = raw[c]
                channels[3 * i + c] = channel
                filtered[c] = channel.value
            }
            out[i] = SIMD3(Float(filtered[0] / w), Float(filtered[1] / h), Float(filtered[2] / w))
        }
        return out
    }
}
