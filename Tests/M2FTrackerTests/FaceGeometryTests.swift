import Foundation
import M2FFace
import Testing
@testable import M2FTracker

@Suite("Face geometry (head pose)")
struct FaceGeometryTests {
    @Test("the canonical face model and its Procrustes basis load from the task's metadata")
    func metadataLoads() throws {
        let metadata = try InstalledTracker.geometry()
        #expect(metadata.canonicalVertices.count == 468)
        #expect(metadata.landmarkWeights.filter { $0 > 0 }.count == 33)
        #expect(metadata.inputSource == 1)
        // The canonical face's right eye corner (33) lies toward −X, its left (263) toward +X.
        #expect(metadata.canonicalVertices[33].x < 0 && metadata.canonicalVertices[263].x > 0)
    }

    @Test("truncated or corrupt metadata is an error naming the file, not a crash")
    func corruptMetadata() throws {
        let bytes = try Data(contentsOf: try InstalledTracker.directory().appendingPathComponent(FaceLandmarkerModel.geometryMetadataFile))
        for cut in [1, 7, 100, bytes.count / 2] {
            #expect(throws: TrackerError.self) { try GeometryPipelineMetadata.parse(bytes.prefix(cut), path: "cut.binarypb") }
        }
        #expect(throws: TrackerError.self) { try GeometryPipelineMetadata.parse(Data([0x0F, 0xFF, 0xFF]), path: "junk.binarypb") }
    }

    @Test("weighted Procrustes recovers a known similarity transform")
    func procrustesRecoversTransform() {
        var rng = SystemRandomNumberGenerator()
        let source = (0..<40).map { _ in SIMD3(Double.random(in: -5...5, using: &rng), Double.random(in: -5...5, using: &rng), Double.random(in: -5...5, using: &rng)) }
        let weights = (0..<40).map { $0 % 3 == 0 ? 0 : Double.random(in: 0.1...1, using: &rng) }
        // R = Rz(0.3) · Rx(−0.7), scale 1.7, translation (2, −1, 30).
        let (c1, s1, c2, s2) = (cos(0.3), sin(0.3), cos(-0.7), sin(-0.7))
        func rotate(_ p: SIMD3<Double>) -> SIMD3<Double> {
            let x = SIMD3(p.x, c2 * p.y - s2 * p.z, s2 * p.y + c2 * p.z)
            return SIMD3(c1 * x.x - s1 * x.y, s1 * x.x + c1 * x.y, x.z)
        }
        let target = source.map { 1.7 * rotate($0) + SIMD3(2, -1, 30) }
        let fit = WeightedProcrustes.solve(source: source, target: target, weights: weights)
        #expect(abs(fit.scale - 1.7) < 1e-9)
        for (i, p) in source.enumerated() {
            let c = fit.rotationAndScale
            let mapped = c[0] * p.x + c[1] * p.y + c[2] * p.z + fit.translation
            #expect(((mapped - target[i]) * (mapped - target[i])).sum().squareRoot() < 1e-8)
        }
    }

    @Test("the nearest rotation never reflects, even for a mirrored design matrix")
    func nearestRotationIsProper() {
        let mirrored = Matrix3(SIMD3(-1, 0.1, 0), SIMD3(0.2, 1, 0.05), SIMD3(0, 0.1, 0.9))
        let r = mirrored.nearestRotation()
        #expect(abs(r.determinant - 1) < 1e-12)
        let rtr = r.transposed * r
        for j in 0..<3 { for i in 0..<3 { #expect(abs(rtr[j][i] - (i == j ? 1 : 0)) < 1e-12) } }
    }

    @Test("MediaPipe's own landmarks give MediaPipe's facial transformation matrix")
    func matchesMediaPipeMatrices() throws {
        let geometry = FaceGeometry(metadata: try InstalledTracker.geometry())
        let frames = try ReferenceFrame.load()
        #expect(frames.count >= 10)
        for frame in frames {
            let matrix = geometry.pose(landmarks: frame.landmarks, width: frame.width, height: frame.height).transform.rowMajor4x4
            for i in 0..<12 {
                // Rotation entries to 1e-4, translation (cm, about 25 away) to 1e-3 relative.
                let tolerance = i % 4 == 3 ? 1e-3 * max(1, abs(frame.matrix[i])) : 1e-4
                #expect(abs(matrix[i] - frame.matrix[i]) < tolerance, "\(frame.file) entry \(i): \(matrix[i]) vs \(frame.matrix[i])")
            }
        }
    }

    @Test("yaw, pitch and roll rebuild the rotation as Ry · Rx · Rz, and the default head faces the camera")
    func eulerAnglesRebuildRotation() throws {
        let geometry = FaceGeometry(metadata: try InstalledTracker.geometry())
        for frame in try ReferenceFrame.load() {
            let pose = geometry.pose(landmarks: frame.landmarks, width: frame.width, height: frame.height)
            let head = pose.headPose
            let q = head.quaternion
            // Rotate the canonical forward axis by the quaternion and compare with the matrix's third column.
            let v = SIMD3<Float>(0, 0, 1)
            let u = SIMD3(q.x, q.y, q.z)
            let t = 2 * SIMD3(u.y * v.z - u.z * v.y, u.z * v.x - u.x * v.z, u.x * v.y - u.y * v.x)
            let rotated = v + q.w * t + SIMD3(u.y * t.z - u.z * t.y, u.z * t.x - u.x * t.z, u.x * t.y - u.y * t.x)
            let column = normalized(pose.transform.rotationAndScale[2])
            #expect(abs(Double(rotated.x) - column.x) < 1e-5 && abs(Double(rotated.y) - column.y) < 1e-5 && abs(Double(rotated.z) - column.z) < 1e-5)
            // The renders look at the head from the front: within 20° of frontal, 15 to 60 cm away.
            #expect(abs(head.yaw) < 0.35 && abs(head.pitch) < 0.35 && abs(head.roll) < 0.35, "\(frame.file): \(head)")
            #expect(head.tz < -0.15 && head.tz > -0.6, "\(frame.file): \(head.tz) m")
        }
    }
}
