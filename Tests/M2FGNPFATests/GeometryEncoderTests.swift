import GNPFATraining
import M2FEngine
import M2FFace
import Testing
import M2FGNPFA

@Suite("Geometry encoder")
struct GeometryEncoderTests {
    static let selection = GeometryEncoderConfiguration.defaultSelection(latentSize: 4)

    /// Every blendshape moves at least one selected vertex, and no anchor moves under any blendshape.
    @Test func selectionSeesEveryShapeAndAnchorsAreStill() {
        let rig = DefaultHead.shared
        let chosen = Set(Self.selection.vertexIndices), anchors = Set(Self.selection.anchorIndices)
        #expect(anchors.count >= 24)
        for (k, shape) in rig.blendshapes.enumerated() {
            #expect(shape.indices.contains { chosen.contains(Int($0)) }, "\(ARKit.names[k]) moves no selected vertex")
            #expect(!zip(shape.indices, shape.offsets).contains { anchors.contains(Int($0)) && ($1 * $1).sum() > 0 },
                    "\(ARKit.names[k]) moves an anchor")
        }
    }

    @Test func keysShapesAndPoseInvariantFeatures() {
        var generator = RandomGenerator(seed: 4)
        var configuration = Self.selection
        configuration.hiddenSize = 16
        let encoder = GeometryEncoder(configuration, generator: &generator)
        let v = configuration.vertexIndices.count
        #expect(encoder.namedParameters().map(\.key) == ["network.layers.0.weight", "network.layers.0.bias", "network.layers.1.weight",
                                                          "network.layers.1.bias", "network.layers.2.weight", "network.layers.2.bias"])
        #expect(encoder.network.layers[0].weight.shape == [16, 3 * v])
        let head = ReducedHead(identity: .neutral, configuration: configuration)
        var sampler = ExpressionSampler(seed: 3)
        let w = sampler.next()
        let pose = HeadPose(yaw: 0.5, pitch: -0.3, roll: 0.2, tx: 0.02, ty: 0, tz: -0.01)
        let still = encoder.features(head.observe(weights: w, pose: .identity))
        let turned = encoder.features(head.observe(weights: w, pose: pose))
        let worst = zip(still.features, turned.features).map { Swift.abs($0 - $1) }.max()!
        #expect(worst < 1e-3, "aligned offsets differ by \(worst) cm between poses")
        #expect(RigidTransform.angleBetween(turned.transform, RigidTransform(pose: pose)) < 0.1)
        let (latents, poses) = encoder.encode([head.observe(weights: w, pose: pose), head.observe(weights: w, pose: .identity)])
        #expect(latents.shape == [2, 4] && poses.count == 2)
    }

    /// The ratio is 0 when codes ignore identity and grows with identity-driven differences.
    @Test func disentanglementRatio() {
        let perfect: [[[Float]]] = [[[0, 0], [0, 0]], [[3, 4], [3, 4]]]
        #expect(DisentanglementReport(codes: perfect).ratio == 0)
        let mixed: [[[Float]]] = [[[0, 0], [1, 0]], [[3, 4], [4, 4]]]
        let report = DisentanglementReport(codes: mixed)
        #expect(Swift.abs(report.acrossIdentities - 1) < 1e-6 && Swift.abs(report.acrossExpressions - 5) < 1e-6)
        #expect(Swift.abs(report.ratio - 0.2) < 1e-6)
    }
}
