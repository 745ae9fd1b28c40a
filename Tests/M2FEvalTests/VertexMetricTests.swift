import Foundation
import M2FEval
import M2FFace
import Testing

/// LVE, FDD and diversity on the default head: properties that follow from the definitions.
struct VertexMetricTests {
    static let rig = DefaultHead.shared
    static let lips = RegionDeformer(rig: rig, vertices: rig.lipVertices)
    static let upper = RegionDeformer(rig: rig, vertices: rig.upperFaceVertices)

    /// `frames` frames where `shape` follows `value(f)` and everything else is neutral.
    static func animation(frames: Int, _ shape: ARKitBlendshape, _ value: (Int) -> Float) -> FaceAnimation {
        var animation = FaceAnimation(fps: 30, frameCount: frames)
        for f in 0..<frames { animation[f, shape] = value(f) }
        return animation
    }

    @Test func regionDeformerMatchesTheFullRig() {
        var weights = [Float](repeating: 0, count: ARKit.count)
        for k in weights.indices { weights[k] = Float(k % 7) / 7 }
        let full = Self.rig.deformed(weights: weights)
        let track = Self.lips.track(weights: weights, frameCount: 1)
        let worst = Self.rig.lipVertices.enumerated().map { i, v in
            let d = track[0, i] - full[v]
            return (d * d).sum().squareRoot()
        }.max()!
        #expect(worst < 1e-7)
        #expect(!Self.rig.lipVertices.isEmpty && !Self.rig.upperFaceVertices.isEmpty)
    }

    @Test func identicalAnimationsHaveZeroErrorAndDeviation() {
        let animation = Self.animation(frames: 20, .jawOpen) { Float($0 % 5) / 5 }
        let track = Self.lips.track(animation)
        #expect(VertexMetrics.lipVertexError(predicted: track, reference: track) == 0)
        let upperTrack = Self.upper.track(Self.animation(frames: 20, .browInnerUp) { Float($0 % 4) / 4 })
        #expect(VertexMetrics.upperFaceDynamicsDeviation(predicted: upperTrack, reference: upperTrack, neutral: Self.upper.neutral) == 0)
    }

    /// Deformation is linear in the weights, so LVE against the neutral face is linear in jawOpen and
    /// equals the largest lip offset of the jawOpen shape (in mm) at weight 1.
    @Test func lipErrorIsLinearInTheWeightGap() {
        let neutral = Self.lips.track(FaceAnimation(fps: 30, frameCount: 1))
        let half = VertexMetrics.lipVertexError(predicted: Self.lips.track(Self.animation(frames: 1, .jawOpen) { _ in 0.5 }), reference: neutral)
        let full = VertexMetrics.lipVertexError(predicted: Self.lips.track(Self.animation(frames: 1, .jawOpen) { _ in 1 }), reference: neutral)
        let shape = Self.rig.blendshapes[ARKitBlendshape.jawOpen.index]
        let lipSet = Set(Self.rig.lipVertices)
        let largest = zip(shape.indices, shape.offsets).filter { lipSet.contains(Int($0.0)) }
            .map { Double(($0.1 * $0.1).sum().squareRoot()) }.max()! * 1000
        #expect(full > 1, "jawOpen moves the lips by millimetres, LVE \(full) mm")
        #expect(abs(full - largest) < 1e-3)
        #expect(abs(full - 2 * half) < 1e-3)
        // Upper-face shapes do not move the lip region.
        let brows = Self.lips.track(Self.animation(frames: 1, .browInnerUp) { _ in 1 })
        #expect(VertexMetrics.lipVertexError(predicted: brows, reference: neutral) < 0.5)
    }

    /// A still prediction against a moving reference: FDD is the mean std of the reference displacement.
    /// With weights ≥ 0 a vertex's displacement length is w·|Δ|, so a prediction moving with twice the
    /// reference's amplitude deviates exactly as much as the still one (|2a − a| = |0 − a|).
    @Test func stillPredictionScoresTheReferenceMotion() {
        func wave(_ amplitude: Float) -> FaceAnimation {
            Self.animation(frames: 30, .browInnerUp) { f in 0.5 + amplitude * Float(sin(Double(f) / 3)) }
        }
        let moving = Self.upper.track(wave(0.2)), still = Self.upper.track(wave(0)), doubled = Self.upper.track(wave(0.4))
        let expected = VertexMetrics.displacementDeviation(moving, neutral: Self.upper.neutral).reduce(0, +)
            / Double(moving.vertexCount) / 1e-5
        let fdd = VertexMetrics.upperFaceDynamicsDeviation(predicted: still, reference: moving, neutral: Self.upper.neutral)
        #expect(fdd > 1)
        #expect(abs(fdd - expected) < 1e-6 * expected)
        let twice = VertexMetrics.upperFaceDynamicsDeviation(predicted: doubled, reference: moving, neutral: Self.upper.neutral)
        #expect(abs(twice - fdd) < 1e-3 * fdd)
        // FDD cannot tell those two apart; the motion ratio can: 0 for still, 2 for doubled.
        let stillRatio = VertexMetrics.upperFaceDynamics(predicted: still, reference: moving, neutral: Self.upper.neutral).motionRatio
        let doubledRatio = VertexMetrics.upperFaceDynamics(predicted: doubled, reference: moving, neutral: Self.upper.neutral).motionRatio
        #expect(stillRatio.map { abs($0) < 1e-3 } == true)
        #expect(doubledRatio.map { abs($0 - 2) < 1e-3 } == true)
        #expect(VertexMetrics.upperFaceDynamics(predicted: moving, reference: still, neutral: Self.upper.neutral).motionRatio == nil)
    }

    @Test func diversityIsZeroForIdenticalSamplesAndGrowsWithSpread() {
        let a = Self.upper.track(Self.animation(frames: 10, .browInnerUp) { _ in 0.3 })
        #expect(VertexMetrics.diversity([a, a, a]) == 0)
        let b = Self.upper.track(Self.animation(frames: 10, .browInnerUp) { _ in 0.6 })
        let c = Self.upper.track(Self.animation(frames: 10, .browInnerUp) { _ in 0.9 })
        let small = VertexMetrics.diversity([a, b]), large = VertexMetrics.diversity([a, c])
        #expect(small > 0)
        #expect(abs(large - 2 * small) < 1e-3 * large)
        // Three samples: the mean of the three pairwise distances (0.3, 0.6 and 0.3 apart).
        #expect(abs(VertexMetrics.diversity([a, b, c]) - (small + large + small) / 3) < 1e-3 * large)
        #expect(VertexMetrics.diversity([a]) == 0)
    }
}
