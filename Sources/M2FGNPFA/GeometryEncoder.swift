import Foundation
import M2FEngine
import M2FFace
import M2FNeural

/// Architecture of the geometry encoder, including which vertices it reads.
package struct GeometryEncoderConfiguration: Codable, Sendable, Equatable {
    /// Default-head vertices whose positions are encoded (V of them).
    package var vertexIndices: [Int]
    /// Vertices no blendshape moves, used to undo the head pose by a rigid fit (A of them).
    package var anchorIndices: [Int]
    /// Hidden width. Default 384.
    package var hiddenSize: Int
    /// Hidden layers. Default 2.
    package var hiddenLayers: Int
    /// Z, equal to the VAE's.
    package var latentSize: Int

    package init(vertexIndices: [Int], anchorIndices: [Int], hiddenSize: Int = 384, hiddenLayers: Int = 2, latentSize: Int) {
        (self.vertexIndices, self.anchorIndices) = (vertexIndices, anchorIndices)
        (self.hiddenSize, self.hiddenLayers, self.latentSize) = (hiddenSize, hiddenLayers, latentSize)
    }

    /// The default selection on `rig`: for every blendshape the `perShape` vertices it moves most
    /// (so every shape is visible, eyes and tongue included) plus the named landmarks; as anchors,
    /// `anchorCount` skin vertices that no blendshape moves, spread over the head.
    package static func defaultSelection(rig: FaceRig = DefaultHead.shared, perShape: Int = 8, anchorCount: Int = 48,
                                        latentSize: Int) -> GeometryEncoderConfiguration {
        var chosen = Set(rig.landmarks.values)
        var moved = [Float](repeating: 0, count: rig.vertexCount)
        for shape in rig.blendshapes {
            let ranked = zip(shape.indices, shape.offsets).map { (Int($0), ($1 * $1).sum()) }.sorted { $0.1 > $1.1 }
            for (v, _) in ranked.prefix(perShape) { chosen.insert(v) }
            for (v, m) in ranked { moved[v] = max(moved[v], m) }
        }
        let skin = rig.parts.first { $0.name == "skin" }?.vertices ?? 0..<rig.vertexCount
        let still = skin.filter { moved[$0] == 0 && rig.positions[$0].z > -0.02 }
        let step = max(1, still.count / anchorCount)
        let anchors = Swift.stride(from: 0, to: still.count, by: step).prefix(anchorCount).map { still[$0] }
        return GeometryEncoderConfiguration(vertexIndices: chosen.sorted(), anchorIndices: anchors, latentSize: latentSize)
    }
}

/// The positions a geometry encoder reads from one face: the encoded vertices and the anchors, in
/// the order of the configuration's index lists (metres, any head pose).
package struct GeometryObservation: Sendable {
    package var vertices: [SIMD3<Float>]
    package var anchors: [SIMD3<Float>]

    package init(vertices: [SIMD3<Float>], anchors: [SIMD3<Float>]) { (self.vertices, self.anchors) = (vertices, anchors) }

    /// Picks the configured vertices out of a full mesh with the default head's topology.
    package init(mesh: [SIMD3<Float>], configuration: GeometryEncoderConfiguration) {
        vertices = configuration.vertexIndices.map { mesh[$0] }
        anchors = configuration.anchorIndices.map { mesh[$0] }
    }
}

/// Geometry → expression code: a face mesh with the default head's topology, under any identity of
/// `HeadIdentity` and any head pose, → the VAE latent of its expression, plus the head pose.
///
/// The pose is removed first by a rigid fit of the anchors to the default head's (Kabsch/Horn), which
/// also gives the pose; the aligned offsets from the default head's neutral positions (centimetres,
/// [3·V]) go through an MLP to Z. Identity is not an input: the network learns to ignore it.
///
/// Keys: `network.layers.<i>.{weight, bias}` (3·V → hidden … → Z).
package final class GeometryEncoder: Module {
    package let configuration: GeometryEncoderConfiguration
    /// `network.*`
    package let network: FeedForwardStack
    package var isTraining = false
    /// The rig the rest positions come from; nil: the default head, built only when a geometry is first
    /// encoded (loading GNPFA for audio-driven animation should not pay the ~2 s head build).
    let chosenRig: FaceRig?
    var restVertices: [SIMD3<Float>] { let rig = chosenRig ?? DefaultHead.shared; return configuration.vertexIndices.map { rig.positions[$0] } }
    var restAnchors: [SIMD3<Float>] { let rig = chosenRig ?? DefaultHead.shared; return configuration.anchorIndices.map { rig.positions[$0] } }

    package init(_ configuration: GeometryEncoderConfiguration, generator: inout RandomGenerator, rig: FaceRig? = nil) {
        self.configuration = configuration
        let c = configuration
        network = FeedForwardStack(sizes: [3 * c.vertexIndices.count] + [Int](repeating: c.hiddenSize, count: c.hiddenLayers) + [c.latentSize],
                                   generator: &generator)
        chosenRig = rig
    }

    package var children: [(key: String, module: any Module)] { [("network", network)] }

    /// Undoes the head pose: the rigid fit of the anchors and the aligned offsets (cm, 3·V values).
    package func features(_ observation: GeometryObservation) -> (features: [Float], transform: RigidTransform) {
        let (restVertices, restAnchors) = (self.restVertices, self.restAnchors)
        precondition(observation.vertices.count == restVertices.count && observation.anchors.count == restAnchors.count,
                     "geometry observation has \(observation.vertices.count)/\(observation.anchors.count) points, expected \(restVertices.count)/\(restAnchors.count)")
        let transform = RigidAlignment.fit(rest: restAnchors, observed: observation.anchors)
        var out = [Float]()
        out.reserveCapacity(3 * restVertices.count)
        for (p, rest) in zip(observation.vertices, restVertices) {
            let d = (transform.inverseApply(p) - rest) * 100
            out += [d.x, d.y, d.z]
        }
        return (out, transform)
    }

    /// [N, 3·V] features → [N, Z] codes (records a tape when training).
    package func callAsFunction(_ features: Tensor) -> Tensor { network(features) }

    /// Codes and head poses of N observations (inference).
    package func encode(_ observations: [GeometryObservation]) -> (latents: Tensor, poses: [HeadPose]) {
        let prepared = observations.map(features)
        let input = Tensor(prepared.flatMap(\.features), shape: [observations.count, 3 * configuration.vertexIndices.count])
        return (withoutGrad { network(input) }, prepared.map(\.transform.pose))
    }
}
