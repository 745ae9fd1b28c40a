import Foundation
import M2FFace

/// Deterministic test data: a small LCG so fixtures are the same on every machine.
struct TestRandom {
    var state: UInt64
    init(seed: UInt64) { state = seed &* 6364136223846793005 &+ 1442695040888963407 }
    mutating func next() -> Float {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return Float(state >> 40) / Float(1 << 24)
    }
}

/// A random animation with weights in [0, 1], small head motion and optional eye gaze.
func makeAnimation(frames: Int, fps: Double = 30, eyes: Bool = true, seed: UInt64 = 1) -> FaceAnimation {
    var random = TestRandom(seed: seed)
    var weights = [Float](repeating: 0, count: frames * ARKit.count)
    for i in weights.indices { weights[i] = random.next() }
    let head = (0..<frames).map { _ in
        HeadPose(yaw: random.next() - 0.5, pitch: random.next() - 0.5, roll: random.next() - 0.5)
    }
    let eyePose = eyes ? (0..<frames).map { _ in
        EyePose(leftYaw: random.next() - 0.5, leftPitch: random.next() - 0.5, rightYaw: random.next() - 0.5, rightPitch: random.next() - 0.5)
    } : nil
    return FaceAnimation(fps: fps, weights: weights, headPose: head, eyePose: eyePose, metadata: ["test": "yes"])
}

/// Largest absolute difference of two equally long arrays.
func maxDifference(_ a: [Float], _ b: [Float]) -> Float {
    precondition(a.count == b.count, "lengths \(a.count) and \(b.count) differ")
    return zip(a, b).reduce(0) { max($0, abs($1.0 - $1.1)) }
}

func temporaryURL(_ name: String) -> URL {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("m2f-face-tests-\(getpid())")
    try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    return directory.appendingPathComponent(name)
}
