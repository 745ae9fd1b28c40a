import Foundation
import M2FFace
import Testing
@testable import M2FTracker

/// The whole tracker (detector decoding, crop, landmarks, projection, smoothing, blendshapes, pose)
/// against Python MediaPipe's Face Landmarker on renders of the default head (`heads.json`,
/// `demo_video.json`; inputs and recipe beside them).
@Suite("Tracker parity with Python MediaPipe", .serialized)
struct TrackerParityTests {

    static func input(_ name: String) -> String { ReferenceFrame.fixtureFolder.appendingPathComponent("inputs/\(name)").path }

    /// Mean landmark distance over the inter-ocular distance (iris centres), blendshape MAE, rotation angle (°).
    static func errors(_ ours: TrackedFrame, _ reference: ReferenceFrame) -> (landmark: Double, blendshape: Double, rotation: Double) {
        let size = SIMD2(Float(reference.width), Float(reference.height))
        func xy(_ p: SIMD3<Float>) -> SIMD2<Float> { SIMD2(p.x, p.y) * size }
        let iod = Double(((xy(reference.landmarks[468]) - xy(reference.landmarks[473])) * (xy(reference.landmarks[468]) - xy(reference.landmarks[473]))).sum().squareRoot())
        var distance = 0.0
        for (a, b) in zip(ours.landmarks, reference.landmarks) { distance += Double(((xy(a) - xy(b)) * (xy(a) - xy(b))).sum().squareRoot()) }
        var blendshape = 0.0
        for (k, name) in BlendshapeNetwork.names.enumerated() { blendshape += Double(abs(ours.blendshapes[k] - reference.blendshapes[name]!)) }
        // Angle of R_oursᵀ R_ref from the trace, each matrix's scale divided out.
        func rotation(_ m: [Double]) -> [[Double]] {
            let scale = (m[0] * m[0] + m[4] * m[4] + m[8] * m[8]).squareRoot()
            return (0..<3).map { r in (0..<3).map { c in m[4 * r + c] / scale } }
        }
        let a = rotation(ours.transformMatrix), b = rotation(reference.matrix)
        var trace = 0.0
        for i in 0..<3 { for k in 0..<3 { trace += a[k][i] * b[k][i] } }
        let angle = acos(max(-1, min(1, (trace - 1) / 2))) * 180 / .pi
        return (distance / Double(ours.landmarks.count) / iod, blendshape / Double(BlendshapeNetwork.names.count), angle)
    }

    @Test("stills (IMAGE mode): landmarks ≤ 0.5 % of the inter-ocular distance, blendshape MAE ≤ 0.01, rotation ≤ 1°")
    func stills() throws {
        let tracker = try FaceTracker(directory: try InstalledTracker.directory(), mode: .image)
        let references = try ReferenceFrame.load().filter { ["jaw.png", "smile.png", "blink.png", "gaze.png"].contains($0.file) }
        #expect(references.count == 4)
        for reference in references {
            let frames = try VideoFrames(path: Self.input(reference.file))
            let image = try #require(try frames.next())
            let tracked = try tracker.process(image)
            try #require(tracked.found, "\(reference.file): no face")
            let e = Self.errors(tracked, reference)
            print("parity \(reference.file): landmarks \(e.landmark * 100) % IOD, blendshapes MAE \(e.blendshape), rotation \(e.rotation)°")
            #expect(e.landmark <= 0.005 && e.blendshape <= 0.01 && e.rotation <= 1, "\(reference.file): \(e)")
        }
    }

    @Test("the demo video (VIDEO mode: tracking and smoothing): same face decisions, per-frame errors within the bounds")
    func video() throws {
        let tracker = try FaceTracker(directory: try InstalledTracker.directory(), mode: .video)
        let data = try Data(contentsOf: ReferenceFrame.fixtureFolder.appendingPathComponent("demo_video.json"))
        let root = try JSONSerialization.jsonObject(with: data) as! [String: Any]
        let entries = root["frames"] as! [[String: Any]]
        let frames = try VideoFrames(path: Self.input("demo.mp4"))
        var index = 0, compared = 0
        var sums = (landmark: 0.0, blendshape: 0.0, rotation: 0.0)
        while let image = try frames.next() {
            let tracked = try tracker.process(image, time: Double(index) / frames.info.fps)
            let entry = entries[index]
            #expect(tracked.found == (entry["found"] as! Bool), "frame \(index)")
            if tracked.found, let points = entry["landmarks"] as? [[Double]] {
                let reference = ReferenceFrame(file: "demo#\(index)", width: image.width, height: image.height,
                                               landmarks: points.map { SIMD3(Float($0[0]), Float($0[1]), Float($0[2])) },
                                               blendshapes: (entry["blendshapes"] as! [String: Double]).mapValues(Float.init),
                                               matrix: entry["matrix"] as! [Double])
                let e = Self.errors(tracked, reference)
                sums = (sums.landmark + e.landmark, sums.blendshape + e.blendshape, sums.rotation + e.rotation)
                compared += 1
            }
            index += 1
        }
        #expect(index == entries.count && compared >= 10)
        let mean = (sums.landmark / Double(compared), sums.blendshape / Double(compared), sums.rotation / Double(compared))
        print("parity demo video (\(compared) frames): landmarks \(mean.0 * 100) % IOD, blendshapes MAE \(mean.1), rotation \(mean.2)°")
        #expect(mean.0 <= 0.005 && mean.1 <= 0.01 && mean.2 <= 1)
    }
}
