import M2FFace
import Testing
import M2FGNPFA

@Suite("Rigid alignment and head pose")
struct RigidAlignmentTests {
    @Test func eulerRoundTrip() {
        let pose = HeadPose(yaw: 0.4, pitch: -0.3, roll: 0.2, tx: 0.01, ty: -0.02, tz: 0.03)
        let back = RigidTransform(pose: pose).pose
        for (a, b) in zip(pose.values, back.values) { #expect(Swift.abs(a - b) < 1e-5) }
    }

    /// The transform matches the renderer's quaternion R = Ry(yaw) · Rx(pitch) · Rz(roll).
    @Test func matchesHeadPoseQuaternion() {
        let pose = HeadPose(yaw: 0.5, pitch: 0.25, roll: -0.35)
        let q = pose.quaternion
        let p = SIMD3<Float>(0.03, -0.02, 0.09)
        let u = SIMD3<Float>(q.x, q.y, q.z)
        func cross(_ a: SIMD3<Float>, _ b: SIMD3<Float>) -> SIMD3<Float> { SIMD3(a.y * b.z - a.z * b.y, a.z * b.x - a.x * b.z, a.x * b.y - a.y * b.x) }
        let t = 2 * cross(u, p)
        let expected = p + q.w * t + cross(u, t)
        let actual = RigidTransform(pose: pose).apply(p)
        #expect(((actual - expected) * (actual - expected)).sum().squareRoot() < 1e-6)
    }

    /// A fit of points moved by a known pose (with noise-free data) recovers it.
    @Test(arguments: [HeadPose(yaw: 0.6, pitch: -0.4, roll: 0.3, tx: 0.02, ty: 0.01, tz: -0.03),
                      HeadPose(yaw: -0.1, pitch: 0.05, roll: -0.5), HeadPose.identity])
    func fitRecoversPose(pose: HeadPose) {
        let rig = DefaultHead.shared
        let rest = stride(from: 0, to: rig.vertexCount, by: 97).map { rig.positions[$0] }
        let moved = rest.map(RigidTransform(pose: pose).apply)
        let fit = RigidAlignment.fit(rest: rest, observed: moved)
        #expect(RigidTransform.angleBetween(fit, RigidTransform(pose: pose)) < 0.05)
        for (a, b) in zip(fit.pose.values, pose.values) { #expect(Swift.abs(a - b) < 1e-3) }
        for (r, m) in zip(rest, moved) { #expect(((fit.inverseApply(m) - r) * (fit.inverseApply(m) - r)).sum() < 1e-10) }
    }
}
