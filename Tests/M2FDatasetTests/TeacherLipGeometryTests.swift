import Foundation
import M2FDataset
import M2FFace
import Testing

/// `LipGeometry` against the full rig deformation (the reference: `FaceRig.deformed`).
@Suite struct TeacherLipGeometryTests {
    let rig = DefaultHead.shared
    let geometry = LipGeometry.defaultHead

    func referenceGap(_ weights: [Float]) -> Float {
        let p = rig.deformed(weights: weights)
        let upper = p[rig.landmarks["upperLip"]!], lower = p[rig.landmarks["lowerLip"]!]
        let d = upper - lower
        return d.y <= 0 ? 0 : (d * d).sum().squareRoot() * 1000
    }

    /// 52 weights in [0, 0.5) from a linear congruential generator (reproducible across platforms).
    static func randomWeights(_ state: inout UInt64) -> [Float] {
        (0..<ARKit.count).map { _ in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Float(state >> 40) / Float(1 << 24) * 0.5
        }
    }

    @Test func matchesTheFullDeformation() {
        var state: UInt64 = 7
        for _ in 0..<40 {
            let weights = Self.randomWeights(&state)
            #expect(abs(geometry.gapMillimetres(weights: weights) - referenceGap(weights)) < 1e-3)
        }
    }

    /// The linear gap map used by training losses gives the same gap vector as the full deformation.
    @Test func gapRowsMatchTheFullDeformation() {
        let rows = geometry.gapDeltaRowsMillimetres
        #expect(rows.count == ARKit.count * 3)
        let neutral = rig.deformed(weights: [Float](repeating: 0, count: ARKit.count))
        let rest = (neutral[rig.landmarks["upperLip"]!] - neutral[rig.landmarks["lowerLip"]!]) * 1000
        var state: UInt64 = 11
        for _ in 0..<20 {
            let weights = Self.randomWeights(&state)
            var linear = rest
            for k in 0..<ARKit.count { linear += weights[k] * SIMD3(rows[3 * k], rows[3 * k + 1], rows[3 * k + 2]) }
            let p = rig.deformed(weights: weights)
            let full = (p[rig.landmarks["upperLip"]!] - p[rig.landmarks["lowerLip"]!]) * 1000
            #expect(((linear - full) * (linear - full)).sum().squareRoot() < 1e-3)
        }
    }

    @Test func openAndClosedPoses() {
        var weights = [Float](repeating: 0, count: ARKit.count)
        #expect(geometry.isClosed(weights: weights), "rest: \(geometry.gapMillimetres(weights: weights)) mm")
        weights[ARKitBlendshape.jawOpen.index] = 0.6
        let open = geometry.gapMillimetres(weights: weights)
        #expect(open > 8, "jawOpen 0.6 parts the lips by \(open) mm")
        // ARKit's mouthClose seals the lips over an open jaw (a little above jawOpen on this rig).
        weights[ARKitBlendshape.mouthClose.index] = 0.6 * Float(TeacherConfiguration.standard.mouthCloseRatio)
        let sealed = geometry.gapMillimetres(weights: weights)
        #expect(geometry.isClosed(weights: weights), "mouthClose ≈ jawOpen: \(sealed) mm")
        // The relaxed jaw of silence counts as closed; the narrowest vowel opening (iy) does not.
        weights = [Float](repeating: 0, count: ARKit.count)
        weights[ARKitBlendshape.jawOpen.index] = Float(TeacherConfiguration.standard.restJaw * TeacherConfiguration.standard.gains.jawOpen)
        #expect(geometry.isClosed(weights: weights))
        weights[ARKitBlendshape.jawOpen.index] = 0.1
        #expect(!geometry.isClosed(weights: weights), "jawOpen 0.1: \(geometry.gapMillimetres(weights: weights)) mm")
        print("teacher: lip gap jawOpen 0.6 \(open) mm, sealed \(sealed) mm, jawOpen 0.1 \(geometry.gapMillimetres(weights: weights)) mm")
    }

    @Test func spansAreJudgedByTheirFrames() {
        var animation = FaceAnimation(fps: 30, frameCount: 30)
        for f in 10..<20 { animation[f, .jawOpen] = 0.5 }
        let result = geometry.closes(in: animation, spans: [(0.4, 0.5), (0.1, 0.2), (0.505, 0.51)])
        #expect(result == [false, true, false])
    }
}
