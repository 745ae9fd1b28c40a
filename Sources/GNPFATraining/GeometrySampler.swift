import Foundation
import M2FEngine
import M2FFace
import M2FGNPFA

/// One head identity reduced to what the geometry encoder reads: the neutral positions and the dense
/// blendshape offsets of the encoded and anchor vertices.
package struct ReducedHead: Sendable {
    package let identity: HeadIdentity
    /// Neutral positions: encoded vertices, then anchors.
    let neutral: [SIMD3<Float>]
    /// [52][V + A] offsets.
    let deltas: [[SIMD3<Float>]]
    let vertexCount: Int

    package init(identity: HeadIdentity, configuration: GeometryEncoderConfiguration) {
        self.identity = identity
        let rig = identity == .neutral ? DefaultHead.shared : DefaultHead.build(identity: identity)
        let indices = configuration.vertexIndices + configuration.anchorIndices
        neutral = indices.map { rig.positions[$0] }
        deltas = rig.blendshapes.map { shape in
            let dense = shape.dense(vertexCount: rig.vertexCount)
            return indices.map { dense[$0] }
        }
        vertexCount = configuration.vertexIndices.count
    }

    /// The observation of this head making `weights` (52) under `pose`.
    package func observe(weights: [Float], pose: HeadPose) -> GeometryObservation {
        var points = neutral
        for k in 0..<ARKit.count where weights[k] != 0 {
            let w = weights[k]
            let d = deltas[k]
            for i in points.indices { points[i] += w * d[i] }
        }
        let transform = RigidTransform(pose: pose)
        for i in points.indices { points[i] = transform.apply(points[i]) }
        return GeometryObservation(vertices: Array(points[..<vertexCount]), anchors: Array(points[vertexCount...]))
    }
}

/// Random heads, expressions and poses for the geometry encoder: (observation, weights, pose).
package struct GeometrySampler: Sendable {
    package let heads: [ReducedHead]
    private var expressions: ExpressionSampler
    private var generator: RandomGenerator

    /// Heads for `identities` (building each takes a moment).
    package init(heads: [ReducedHead], seed: UInt64) {
        precondition(!heads.isEmpty)
        self.heads = heads
        expressions = ExpressionSampler(seed: seed &+ 1)
        generator = RandomGenerator(seed: seed &+ 2)
    }

    /// The identities used for training (seeds 1…count) and for held-out tests (seeds 10 001…); the
    /// default face is always the first training identity.
    package static func trainingIdentities(_ count: Int) -> [HeadIdentity] {
        [.neutral] + (1..<max(1, count)).map { HeadIdentity.random(seed: UInt64($0)) }
    }
    package static func heldOutIdentities(_ count: Int) -> [HeadIdentity] {
        (0..<count).map { HeadIdentity.random(seed: 10_001 + UInt64($0)) }
    }

    /// A random head pose: yaw ±35°, pitch ±25°, roll ±20°, translation ±3 cm.
    package static func randomPose(_ generator: inout RandomGenerator) -> HeadPose {
        func u(_ r: Float) -> Float { (generator.nextUniform() * 2 - 1) * r }
        let degree = Float.pi / 180
        return HeadPose(yaw: u(35 * degree), pitch: u(25 * degree), roll: u(20 * degree), tx: u(0.03), ty: u(0.03), tz: u(0.03))
    }

    package mutating func next() -> (observation: GeometryObservation, weights: [Float], pose: HeadPose, head: Int) {
        let head = generator.nextInt(below: heads.count)
        let weights = expressions.next()
        let pose = Self.randomPose(&generator)
        return (heads[head].observe(weights: weights, pose: pose), weights, pose, head)
    }
}
