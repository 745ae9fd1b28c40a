import M2FFace

/// How a long clip is cut into pieces that are animated one after another and cross-faded, so memory
/// stays bounded for hour-long audio: each piece's features and its batch of denoising windows exist
/// only while it is generated.
///
/// Frames are at the animation rate. Piece k owns `frames[k]`; consecutive pieces share `overlap`
/// frames (cross-faded linearly). Each piece is generated over `context[k]` ⊇ `frames[k]`, a few
/// seconds wider on both sides, so the model hears what comes before and after; the extra frames are
/// dropped. A clip no longer than one piece is a single piece without context.
package struct ChunkPlan: Sendable, Equatable {
    package let frameCount: Int
    /// Owned frame ranges, in order, covering 0 ..< frameCount.
    package let frames: [Range<Int>]
    /// Generated frame ranges (owned range widened by the context, clipped to the clip).
    package let context: [Range<Int>]
    /// Frames shared by consecutive pieces.
    package let overlap: Int

    /// - Parameters: all in frames; `chunk` > 4 · `overlap` (the configuration checks this in seconds).
    package init(frameCount: Int, chunk: Int, overlap: Int, context: Int) {
        precondition(frameCount >= 0 && chunk > 0 && overlap >= 0 && context >= 0 && (frameCount <= chunk || chunk > 2 * overlap),
                     "chunk \(chunk) must exceed twice the overlap \(overlap)")
        self.frameCount = frameCount
        guard frameCount > chunk else {
            frames = [0..<frameCount]
            self.context = [0..<frameCount]
            self.overlap = 0
            return
        }
        // n pieces of equal length L with (n − 1) overlaps: n·L − (n − 1)·O ≥ F, L ≤ chunk.
        let count = (frameCount - overlap + (chunk - overlap) - 1) / (chunk - overlap)
        let length = (frameCount + (count - 1) * overlap + count - 1) / count
        var owned: [Range<Int>] = []
        for k in 0..<count {
            let start = k * (length - overlap)
            owned.append(start..<min(frameCount, start + length))
        }
        frames = owned
        self.context = owned.map { max(0, $0.lowerBound - context)..<min(frameCount, $0.upperBound + context) }
        self.overlap = overlap
    }

    package var count: Int { frames.count }

    /// Cross-fade weight of frame `frame` (absolute) inside piece `piece`: 1 in its own part, ramping
    /// linearly across each overlap so that the two pieces' weights sum to 1 there.
    package func blendWeight(piece: Int, frame: Int) -> Float {
        let range = frames[piece]
        let j = frame - range.lowerBound, length = range.count
        var weight: Float = 1
        if piece > 0 && j < overlap { weight = min(weight, Float(j + 1) / Float(overlap + 1)) }
        if piece < count - 1 && j >= length - overlap { weight = min(weight, Float(length - j) / Float(overlap + 1)) }
        return weight
    }
}

/// The pieces of a `ChunkPlan` cross-faded into one animation: each frame is Σ w·x / Σ w over the
/// pieces that own it (w from `blendWeight`); a single piece passes through unchanged.
struct PieceAssembly {
    let plan: ChunkPlan
    private var weightSum: [Float]
    private var poseSum: [Float]
    private var blendSum: [Float]

    init(plan: ChunkPlan) {
        self.plan = plan
        weightSum = [Float](repeating: 0, count: plan.frameCount * ARKit.count)
        poseSum = [Float](repeating: 0, count: plan.frameCount * 6)
        blendSum = [Float](repeating: 0, count: plan.frameCount)
    }

    /// Adds piece `piece`, generated over `plan.context[piece]` (its frames are relative to that range).
    mutating func add(_ motion: FaceAnimation, piece: Int) {
        let window = plan.context[piece]
        precondition(motion.frameCount == window.count, "piece \(piece) has \(motion.frameCount) frames for \(window.count)")
        for frame in plan.frames[piece] {
            let local = frame - window.lowerBound
            let weight = plan.blendWeight(piece: piece, frame: frame)
            blendSum[frame] += weight
            for k in 0..<ARKit.count { weightSum[frame * ARKit.count + k] += weight * motion.weights[local * ARKit.count + k] }
            let pose = motion.headPose[local].values
            for c in 0..<6 { poseSum[frame * 6 + c] += weight * pose[c] }
        }
    }

    /// The first `frameCount` frames of the blend (the rest is padding of very short clips).
    func animation(fps: Double, frameCount: Int) -> FaceAnimation {
        var weights = [Float](repeating: 0, count: frameCount * ARKit.count)
        var poses = [HeadPose]()
        poses.reserveCapacity(frameCount)
        for frame in 0..<frameCount {
            let inverse = 1 / max(blendSum[frame], 1e-12)
            for k in 0..<ARKit.count { weights[frame * ARKit.count + k] = weightSum[frame * ARKit.count + k] * inverse }
            poses.append(HeadPose(values: (0..<6).map { poseSum[frame * 6 + $0] * inverse }))
        }
        return FaceAnimation(fps: fps, weights: weights, headPose: poses)
    }
}
