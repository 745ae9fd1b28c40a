import Foundation
import M2FEncoders
import M2FTracker

/// `m2f bench track`, the networks: the face tracker's three networks alone on fixed inputs (their speed
/// does not depend on the pixels), one JSON line each with frames per second. The whole per-frame path
/// (decode, crop, networks, geometry) is measured beside these by the tracking benchmarks.
package enum TrackerNetworkBenchmarks {
    /// Detector (128²), landmarks (256²) and blendshapes (146 points), `iterations` timed runs each after warm-up.
    /// - Throws: `EncoderError.notInstalled` when `face-landmarker` is not in the cache.
    package static func run(iterations: Int = 50, store: ModelStore = ModelStore()) throws -> [BenchmarkResult] {
        let directory = try FaceLandmarkerModel.directory(store: store)
        let detector = try FaceDetectorNetwork(directory: directory)
        let landmarks = try FaceLandmarkNetwork(directory: directory)
        let blendshapes = try BlendshapeNetwork(directory: directory)
        let small = image(side: FaceDetectorNetwork.inputSize, range: FaceDetectorNetwork.inputRange)
        let large = image(side: FaceLandmarkNetwork.inputSize, range: FaceLandmarkNetwork.inputRange)
        let points = (0..<(2 * BlendshapeNetwork.landmarkSubset.count)).map { Float(($0 * 37) % 251) }
        var results: [BenchmarkResult] = []
        results.append(withFPS(BenchmarkTimer.measure("track_detector_128", warmup: 5, iterations: iterations) {
            _ = try? detector.run(image: small)
        }))
        results.append(withFPS(BenchmarkTimer.measure("track_landmarks_256", warmup: 5, iterations: iterations) {
            _ = try? landmarks.run(image: large)
        }))
        results.append(withFPS(BenchmarkTimer.measure("track_blendshapes_146", warmup: 5, iterations: iterations * 4) {
            _ = try? blendshapes.run(points: points)
        }))
        return results
    }

    /// A smooth deterministic test pattern spanning `range`.
    static func image(side: Int, range: ClosedRange<Float>) -> [Float] {
        (0..<(side * side * 3)).map { i in
            let value = 0.5 + 0.5 * sin(Float(i % (side * 3)) * 0.05 + Float(i / (side * 3)) * 0.03)
            return range.lowerBound + value * (range.upperBound - range.lowerBound)
        }
    }

    static func withFPS(_ result: BenchmarkResult) -> BenchmarkResult {
        var result = result
        result.fps = 1000 / result.median_ms
        return result
    }
}
