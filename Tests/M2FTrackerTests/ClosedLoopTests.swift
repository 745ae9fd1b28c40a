import Foundation
import M2FFace
import M2FSystem
import M2FTracker
import Testing

/// The closed loop: a known animation rendered on the default head to an MP4 (our renderer, ffmpeg) and
/// tracked back with our tracker; each moving channel of the truth against the tracked track. Nothing
/// outside the project is needed (the face-landmarker model is fetched like the other encoders).
@Suite("Tracker closed loop on the default head", .serialized)
struct ClosedLoopTests {
    /// jawOpen, smile and blink on independent timings (no channel can pass for another), with a slow
    /// head turn and nod: 6 s at 30 fps.
    static func probeAnimation() -> FaceAnimation {
        let fps = 30.0, frames = 180
        var animation = FaceAnimation(fps: fps, frameCount: frames, metadata: ["source": "closed-loop probe"])
        for f in 0..<frames {
            let t = Double(f) / fps
            animation[f, .jawOpen] = Float(0.35 * (1 - cos(2 * .pi * 0.45 * t)))
            let smile = Float(0.5 * (1 - cos(2 * .pi * 0.27 * t + 1.0)))
            animation[f, .mouthSmileLeft] = smile
            animation[f, .mouthSmileRight] = smile
            let phase = (t + 0.4).truncatingRemainder(dividingBy: 1.3)
            let blink = Float(min(1, max(0, 1 - abs(phase - 0.65) / 0.12)))
            animation[f, .eyeBlinkLeft] = blink
            animation[f, .eyeBlinkRight] = blink
            animation.headPose[f] = HeadPose(yaw: Float(0.15 * sin(2 * .pi * 0.2 * t)), pitch: Float(0.08 * sin(2 * .pi * 0.31 * t)), roll: 0)
        }
        return animation
    }

    /// Pearson correlation (nil when either track is flat).
    static func correlation(_ a: [Float], _ b: [Float]) -> Double? {
        let n = Double(a.count)
        let ma = a.reduce(0) { $0 + Double($1) } / n, mb = b.reduce(0) { $0 + Double($1) } / n
        var sab = 0.0, saa = 0.0, sbb = 0.0
        for (x, y) in zip(a, b) {
            let dx = Double(x) - ma, dy = Double(y) - mb
            sab += dx * dy; saa += dx * dx; sbb += dy * dy
        }
        return saa > 1e-12 && sbb > 1e-12 ? sab / (saa * sbb).squareRoot() : nil
    }

    @Test("jawOpen, smile and blink tracked back from a 512-px render correlate ≥ 0.8 with the truth")
    func closedLoop() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("m2f-closed-loop-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let truth = Self.probeAnimation()
        let video = folder.appendingPathComponent("probe.mp4").path
        try AnimationExport(render: RenderOptions(width: 512, height: 512)).write(truth, to: video)

        let tracker = try FaceTracker(directory: try InstalledTracker.directory(), mode: .video)
        let frames = try VideoFrames(path: video)
        var tracked: [TrackedFrame] = []
        while let image = try frames.next() { tracked.append(try tracker.process(image)) }
        #expect(tracked.count == truth.frameCount)
        let lost = tracked.filter { !$0.found }.count
        #expect(lost == 0, "face lost in \(lost) frames")
        let result = TakeAssembly().assemble(tracked, fps: truth.fps, modelNames: tracker.blendshapeNames, source: video)

        // Every channel that moves in the truth (std ≥ 0.02), then the head angles.
        let count = min(truth.frameCount, result.frameCount)
        var report: [String] = []
        var scores: [ARKitBlendshape: Double] = [:]
        for shape in ARKitBlendshape.allCases {
            let a = (0..<count).map { truth[$0, shape] }, b = (0..<count).map { result[$0, shape] }
            let mean = a.reduce(0, +) / Float(count)
            let std = (a.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Float(count)).squareRoot()
            guard std >= 0.02 else { continue }
            let r = Self.correlation(a, b)
            scores[shape] = r ?? 0
            report.append("\(shape.rawValue) r=\(r.map { String(format: "%.3f", $0) } ?? "flat")")
        }
        for (name, angle) in [("headYaw", \HeadPose.yaw), ("headPitch", \HeadPose.pitch)] {
            let a = (0..<count).map { truth.headPose[$0][keyPath: angle] }, b = (0..<count).map { result.headPose[$0][keyPath: angle] }
            report.append("\(name) r=\(Self.correlation(a, b).map { String(format: "%.3f", $0) } ?? "flat")")
        }
        print("closed loop (\(count) frames): " + report.joined(separator: ", "))
        for shape in [ARKitBlendshape.jawOpen, .mouthSmileLeft, .mouthSmileRight, .eyeBlinkLeft, .eyeBlinkRight] {
            #expect((scores[shape] ?? 0) >= 0.8, "\(shape.rawValue): r = \(scores[shape] ?? 0) (\(report.joined(separator: ", ")))")
        }
    }
}
