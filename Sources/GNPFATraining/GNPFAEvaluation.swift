import Foundation
import M2FEngine
import M2FFace
import M2FGNPFA

/// Held-out metrics of the geometry encoder.
package struct EncoderReport: Codable, Sendable, Equatable {
    /// Mean absolute error of the decoded weights against the true ones.
    package var arkitMAE: Float
    /// Mean angle between predicted and true head rotation, degrees.
    package var poseErrorDegrees: Float
    package var sampleCount: Int
}

package enum GNPFAEvaluation {
    /// Geometry encoder on held-out identities: decoded-weight MAE and pose error on `count` random
    /// (expression, identity, pose) samples.
    package static func geometry(model: GNPFAModel, encoder: GeometryEncoder, heads: [ReducedHead], count: Int = 400) -> EncoderReport {
        var sampler = GeometrySampler(heads: heads, seed: 7_000_001)
        var observations: [GeometryObservation] = [], weights: [Float] = [], poses: [HeadPose] = []
        for _ in 0..<count {
            let s = sampler.next()
            observations.append(s.observation)
            weights += s.weights
            poses.append(s.pose)
        }
        let (latents, predicted) = encoder.encode(observations)
        let decoded = model.decode(latents: latents).toArray()
        let angle = zip(poses, predicted).map { RigidTransform.angleBetween(RigidTransform(pose: $0), RigidTransform(pose: $1)) }
        return EncoderReport(arkitMAE: meanAbsoluteError(weights, decoded), poseErrorDegrees: angle.reduce(0, +) / Float(count), sampleCount: count)
    }

    /// Disentanglement of the geometry encoder: `expressions` held-out expressions on every head of
    /// `heads`, each under its own random pose.
    package static func disentanglement(encoder: GeometryEncoder, heads: [ReducedHead], expressions: Int = 40) -> DisentanglementReport {
        var sampler = ExpressionSampler(seed: 7_100_001)
        var generator = RandomGenerator(seed: 7_100_002)
        var codes: [[[Float]]] = []
        for _ in 0..<expressions {
            var w = sampler.next()
            // Skip (near-)neutral draws: they make the across-expression distances meaningless.
            while w.reduce(0, +) < 0.3 { w = sampler.next() }
            let observations = heads.map { $0.observe(weights: w, pose: GeometrySampler.randomPose(&generator)) }
            let z = encoder.encode(observations).latents
            let size = z.shape[1], values = z.toArray()
            codes.append((0..<heads.count).map { Array(values[($0 * size)..<(($0 + 1) * size)]) })
        }
        return DisentanglementReport(codes: codes)
    }

    static func meanAbsoluteError(_ a: [Float], _ b: [Float]) -> Float {
        precondition(a.count == b.count)
        return Float(zip(a, b).reduce(0.0) { $0 + Double(Swift.abs($1.0 - $1.1)) } / Double(max(1, a.count)))
    }
}
