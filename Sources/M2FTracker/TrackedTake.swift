import Foundation
import M2FFace

/// What the tracker found in one frame.
public struct TrackedFrame: Sendable {
    /// A face was found (detected, or tracked with presence over the threshold).
    public var found: Bool
    /// The landmark network's face-presence score (0 when nothing was found).
    public var confidence: Float
    /// The detector ran on this frame (first frame, or the previous one lost the face).
    public var detected: Bool
    /// 478 landmarks, x and y normalised to the image, z in image-width units (MediaPipe's convention).
    public var landmarks: [SIMD3<Float>]
    /// The blendshape model's 52 scores in its own order (`_neutral` first, no `tongueOut`).
    public var blendshapes: [Float]
    public var headPose: HeadPose
    public var eyePose: EyePose?
    /// Canonical face → camera, MediaPipe's facial transformation matrix (row-major 4 × 4).
    public var transformMatrix: [Double]

    public static let missing = TrackedFrame(found: false, confidence: 0, detected: false, landmarks: [], blendshapes: [],
                                             headPose: .identity, eyePose: nil, transformMatrix: [])
}

/// How a take of tracked frames becomes an animation.
public struct TakeAssembly: Sendable {
    /// Gaps up to this many seconds are interpolated from the frames around them; longer ones are held
    /// from the nearest tracked frame and marked missing.
    public var maximumInterpolatedGap: Double = 0.25
    /// Temporal filter over every channel; nil leaves the frames as tracked.
    public var filter: OneEuroFilter?
    /// eyeLook* from the iris landmarks (true) or the blendshape model's own scores.
    public var gazeFromIrises = true
    public var gaze = EyeGaze()

    public init() {}

    /// The blendshape model's names (`_neutral` and 51 ARKit shapes) to ARKit's canonical indices.
    static func arkitIndex(ofModelOutput names: [String]) -> [Int?] {
        names.map { ARKit.index(of: $0) }
    }

    /// Per frame: 1 tracked, i interpolated, 0 missing (the `track.faceFound` metadata string).
    public static let statusTracked: Character = "1", statusInterpolated: Character = "i", statusMissing: Character = "0"

    /// Builds the animation: ARKit weights (tongueOut 0), head and eye pose, gaps filled, filtered, and
    /// metadata that records per frame whether a face was found and the confidence.
    public func assemble(_ frames: [TrackedFrame], fps: Double, modelNames: [String], source: String) -> FaceAnimation {
        let count = frames.count
        let n = ARKit.count
        let indices = Self.arkitIndex(ofModelOutput: modelNames)
        var weights = [Float](repeating: 0, count: count * n)
        var heads = [HeadPose](repeating: .identity, count: count)
        var eyes = [EyePose](repeating: EyePose(), count: count)
        for (f, frame) in frames.enumerated() where frame.found {
            for (k, index) in indices.enumerated() where k < frame.blendshapes.count {
                if let index { weights[f * n + index] = max(0, min(1, frame.blendshapes[k])) }
            }
            if gazeFromIrises, let eye = frame.eyePose {
                for (name, value) in gaze.lookWeights(eye) { weights[f * n + ARKit.index(of: name)!] = value }
            }
            heads[f] = frame.headPose
            eyes[f] = frame.eyePose ?? EyePose()
        }
        var status = frames.map { $0.found ? Self.statusTracked : Self.statusMissing }
        fillGaps(&status, weights: &weights, heads: &heads, eyes: &eyes, fps: fps)
        if let filter {
            for k in 0..<n {
                let series = filter.filter((0..<count).map { weights[$0 * n + k] }, fps: fps)
                for f in 0..<count { weights[f * n + k] = max(0, min(1, series[f])) }
            }
            let headSeries = (0..<6).map { c in filter.filter(heads.map { $0.values[c] }, fps: fps) }
            heads = (0..<count).map { f in HeadPose(values: (0..<6).map { headSeries[$0][f] }) }
            let eyeSeries = (0..<4).map { c in filter.filter(eyes.map { $0.values[c] }, fps: fps) }
            eyes = (0..<count).map { f in EyePose(values: (0..<4).map { eyeSeries[$0][f] }) }
        }
        let tracked = status.filter { $0 != Self.statusMissing }.count
        let metadata: [String: String] = [
            "source": source,
            "generator": "m2f track (MediaPipe Face Landmarker in the m2f engine)",
            "tongueOut": "not tracked: MediaPipe's blendshape model has no tongueOut; the channel is 0",
            "eyeLook": gazeFromIrises ? "from the iris landmarks (EyeGaze)" : "from the blendshape model",
            "track.faceFound": String(status),
            "track.faceFoundLegend": "per frame: 1 tracked, i interpolated over a short gap, 0 missing (held from the nearest tracked frame)",
            "track.confidence": frames.map { String(format: "%.3f", $0.confidence) }.joined(separator: ","),
            "track.faceShare": String(format: "%.4f", count > 0 ? Double(tracked) / Double(count) : 0),
            "track.filter": filter.map { "one euro: min cutoff \($0.minimumCutoff) Hz, beta \($0.beta), derivative cutoff \($0.derivativeCutoff) Hz" } ?? "none",
        ]
        return FaceAnimation(fps: fps, weights: weights, headPose: heads, eyePose: eyes, metadata: metadata)
    }

    /// Interpolates short runs of missing frames between two tracked ones; holds the nearest tracked frame
    /// over longer runs and at the ends (those stay marked missing).
    func fillGaps(_ status: inout [Character], weights: inout [Float], heads: inout [HeadPose], eyes: inout [EyePose], fps: Double) {
        let n = ARKit.count
        let maximumRun = Int((maximumInterpolatedGap * fps).rounded(.down))
        func copy(from source: Int, to target: Int) {
            for k in 0..<n { weights[target * n + k] = weights[source * n + k] }
            heads[target] = heads[source]
            eyes[target] = eyes[source]
        }
        guard status.contains(Self.statusTracked) else { return }
        var f = 0
        while f < status.count {
            guard status[f] == Self.statusMissing else { f += 1; continue }
            var end = f
            while end < status.count && status[end] == Self.statusMissing { end += 1 }
            let before = f - 1, after = end < status.count ? end : -1
            if before >= 0, after >= 0, end - f <= maximumRun {
                for g in f..<end {
                    let t = Float(g - before) / Float(after - before)
                    for k in 0..<n { weights[g * n + k] = (1 - t) * weights[before * n + k] + t * weights[after * n + k] }
                    heads[g] = HeadPose(values: zip(heads[before].values, heads[after].values).map { (1 - t) * $0 + t * $1 })
                    eyes[g] = EyePose(values: zip(eyes[before].values, eyes[after].values).map { (1 - t) * $0 + t * $1 })
                    status[g] = Self.statusInterpolated
                }
            } else {
                for g in f..<end { copy(from: before >= 0 && (after < 0 || g - before <= after - g) ? before : after, to: g) }
            }
            f = end
        }
    }
}
