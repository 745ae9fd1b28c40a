import Foundation
import M2FFace

/// MediaPipe's face geometry pipeline (`geometry_pipeline.cc`, face landmark input): screen landmarks
/// are lifted into metric 3D under a virtual perspective camera, and the canonical face is fitted onto
/// them by weighted Procrustes. The result is the facial transformation matrix MediaPipe reports.
public struct FaceGeometry: Sendable {
    /// The camera MediaPipe's face landmarker assumes: 63° vertical field of view, near plane at 1 cm.
    public struct Camera: Sendable, Equatable {
        public var verticalFieldOfViewDegrees: Double = 63
        public var near: Double = 1
        public init() {}
    }

    /// Where a face sits: the canonical → camera transform and the landmarks in camera space.
    public struct Pose: Sendable {
        /// Canonical face (cm) → camera space (cm; +Y up, camera looking down −Z).
        public var transform: SimilarityTransform
        /// Every input landmark in metric camera space (cm), iris points included.
        public var metricLandmarks: [SIMD3<Double>]

        /// The head pose: yaw, pitch, roll of R = Ry(yaw) · Rx(pitch) · Rz(roll) in radians (the canonical
        /// face's axes are glTF's, as `HeadPose` defines them) and the translation in metres.
        public var headPose: HeadPose {
            let c = transform.rotationAndScale.map { normalized($0) }
            // Row 1 of Ry Rx Rz is (cos p sin r, cos p cos r, −sin p); column 2 gives yaw.
            let pitch = asin(max(-1, min(1, -c[2].y)))
            let roll = atan2(c[0].y, c[1].y)
            let yaw = atan2(c[2].x, c[2].z)
            let t = transform.translation / 100
            return HeadPose(yaw: Float(yaw), pitch: Float(pitch), roll: Float(roll), tx: Float(t.x), ty: Float(t.y), tz: Float(t.z))
        }

        /// A landmark in the canonical face's frame (cm): the inverse transform, so head motion is removed.
        public func faceSpace(_ index: Int) -> SIMD3<Double> {
            let c = transform.rotationAndScale
            let scale2 = (c[0] * c[0]).sum()
            let d = metricLandmarks[index] - transform.translation
            return SIMD3((c[0] * d).sum(), (c[1] * d).sum(), (c[2] * d).sum()) / scale2
        }
    }

    public let metadata: GeometryPipelineMetadata
    public var camera: Camera
    private let canonical: [SIMD3<Double>]
    private let weights: [Double]

    public init(metadata: GeometryPipelineMetadata, camera: Camera = Camera()) {
        self.metadata = metadata
        self.camera = camera
        canonical = metadata.canonicalVertices.map { SIMD3(Double($0.x), Double($0.y), Double($0.z)) }
        weights = metadata.landmarkWeights.map(Double.init)
    }

    /// The pose of a face from its landmarks, normalised as MediaPipe reports them (x, y in [0, 1] of the
    /// image width and height, z in image-width units), for an image of `width` × `height` pixels.
    /// The first `canonical mesh` landmarks (468) are fitted; further ones (the irises) are only lifted.
    public func pose(landmarks: [SIMD3<Float>], width: Int, height: Int) -> Pose {
        precondition(landmarks.count >= canonical.count, "need \(canonical.count) landmarks, got \(landmarks.count)")
        precondition(width > 0 && height > 0)
        let heightAtNear = 2 * camera.near * tan(0.5 * camera.verticalFieldOfViewDegrees * .pi / 180)
        let widthAtNear = Double(width) * heightAtNear / Double(height)
        let near = camera.near
        // ProjectXY: y flipped (top-left origin), x and z scaled by the frustum width, centred.
        let screen = landmarks.map { p in
            SIMD3(Double(p.x) * widthAtNear - 0.5 * widthAtNear, (1 - Double(p.y)) * heightAtNear - 0.5 * heightAtNear, Double(p.z) * widthAtNear)
        }
        let fitted = canonical.count
        let depthOffset = screen[..<fitted].reduce(0) { $0 + $1.z } / Double(fitted)

        // Unprojected at a depth scale: z moved to the near plane and divided by the scale, x and y
        // pushed out along the rays, handedness changed (z negated).
        func lifted(scale: Double) -> [SIMD3<Double>] {
            screen.map { p in
                let z = (p.z - depthOffset + near) / scale
                return SIMD3(p.x * z / near, p.y * z / near, -z)
            }
        }
        func fit(_ points: [SIMD3<Double>]) -> SimilarityTransform {
            WeightedProcrustes.solve(source: canonical, target: Array(points[..<fitted]), weights: weights)
        }
        let firstScale = fit(screen.map { SIMD3($0.x, $0.y, -$0.z) }).scale
        let secondScale = fit(lifted(scale: firstScale)).scale
        let metric = lifted(scale: firstScale * secondScale)
        return Pose(transform: fit(metric), metricLandmarks: metric)
    }
}
