/// How far apart the lips are, measured on a rig: the inner-lip gap at the midline, in millimetres.
///
/// The default head's `upperLip` and `lowerLip` landmarks are the two copies of the lip line at the
/// midline (the inner-lip contact points); at rest they touch. For a frame of 52 ARKit weights the
/// two vertices are deformed by the blendshape deltas (neutral + Σ wₖ·Δₖ, exactly as
/// `FaceRig.deformed` does, but for two vertices only, so a frame costs ~200 multiply-adds) and the
/// gap is their distance. When the upper lip ends up below the lower one (lips pressed or rolled
/// past each other) the gap is 0.
///
/// Shared by the teacher checks (closure on p b m), the dataset checks and the evaluation metrics
/// (lip closure rate, SLCC, audio-visual offset).
public struct LipGeometry: Sendable {
    /// Lips count as closed when the inner-lip gap is below this (mm): barely visible on a face at
    /// conversational distance. On the default head jawOpen 0.02 (a relaxed jaw) gives ~0.7 mm and
    /// jawOpen 0.1 ~3.4 mm; vowels open the lips by 4–20 mm.
    public static let closedThresholdMillimetres: Float = 1.5

    /// Neutral positions (metres) of the upper and lower lip-line midpoints.
    let upperRest: SIMD3<Float>
    let lowerRest: SIMD3<Float>
    /// Per ARKit shape (canonical order), the offset of each midpoint at weight 1 (metres).
    let upperDeltas: [SIMD3<Float>]
    let lowerDeltas: [SIMD3<Float>]

    /// Measures on `rig`, which must have the `upperLip` and `lowerLip` landmarks (the default head and
    /// every identity built from it do).
    public init(rig: FaceRig) throws(FaceError) {
        guard let upper = rig.landmarks["upperLip"], let lower = rig.landmarks["lowerLip"],
              upper < rig.vertexCount, lower < rig.vertexCount else {
            throw .invalidArgument("the rig has no upperLip/lowerLip landmarks; lip geometry needs a rig built by DefaultHead")
        }
        upperRest = rig.positions[upper]
        lowerRest = rig.positions[lower]
        func deltas(of vertex: Int) -> [SIMD3<Float>] {
            rig.blendshapes.map { shape in
                guard let i = shape.indices.firstIndex(of: UInt32(vertex)) else { return .zero }
                return shape.offsets[i]
            }
        }
        upperDeltas = deltas(of: upper)
        lowerDeltas = deltas(of: lower)
    }

    /// Lip geometry of the default head.
    public static let defaultHead: LipGeometry = try! LipGeometry(rig: DefaultHead.shared)

    /// The inner-lip gap (mm) for one frame of 52 weights in canonical order.
    public func gapMillimetres<C: Collection>(weights: C) -> Float where C.Element == Float, C.Index == Int {
        precondition(weights.count == ARKit.count, "lip gap needs 52 weights, got \(weights.count)")
        var upper = upperRest, lower = lowerRest
        let base = weights.startIndex
        for k in 0..<ARKit.count {
            let w = weights[base + k]
            if w == 0 { continue }
            upper += w * upperDeltas[k]
            lower += w * lowerDeltas[k]
        }
        let d = upper - lower
        if d.y <= 0 { return 0 }
        return (d * d).sum().squareRoot() * 1000
    }

    /// The midline gap as a linear map, for losses: per ARKit shape (canonical order) the change of
    /// (upper − lower) lip point at weight 1, in millimetres, as 52 rows of (x, y, z). The gap vector of
    /// a frame is `restGapMillimetres + weights · rows` (before the pressed-lips clamp of `gapMillimetres`).
    public var gapDeltaRowsMillimetres: [Float] {
        zip(upperDeltas, lowerDeltas).flatMap { upper, lower -> [Float] in
            let d = (upper - lower) * 1000
            return [d.x, d.y, d.z]
        }
    }

    /// Whether the lips are closed in this frame (gap below `closedThresholdMillimetres`).
    public func isClosed<C: Collection>(weights: C) -> Bool where C.Element == Float, C.Index == Int {
        gapMillimetres(weights: weights) < Self.closedThresholdMillimetres
    }

    /// The gap (mm) of every frame of `animation` (F values).
    public func gapsMillimetres(of animation: FaceAnimation) -> [Float] {
        (0..<animation.frameCount).map { gapMillimetres(weights: animation.frame($0)) }
    }

    /// For each time span (seconds), whether the lips close in it: some frame whose time f / fps lies
    /// in [start − slack, end + slack] has a gap below the threshold. A span too short to hold a frame
    /// is judged by the frame nearest its midpoint. Returns one Bool per span.
    public func closes(in animation: FaceAnimation, spans: [(start: Double, end: Double)], slack: Double = 0) -> [Bool] {
        let fps = animation.fps, count = animation.frameCount
        guard count > 0 else { return spans.map { _ in false } }
        return spans.map { span in
            let first = max(0, Int(((span.start - slack) * fps).rounded(.up)))
            let last = min(count - 1, Int(((span.end + slack) * fps).rounded(.down)))
            if first > last {
                let nearest = min(count - 1, max(0, Int((0.5 * (span.start + span.end) * fps).rounded())))
                return isClosed(weights: animation.frame(nearest))
            }
            return (first...last).contains { isClosed(weights: animation.frame($0)) }
        }
    }
}
