import Foundation
import M2FFace

/// A rotation and translation, observed = R · rest + t (rotation about the head–neck pivot at the
/// origin, then translation: the head pose convention of `HeadPose` and the renderer).
package struct RigidTransform: Equatable, Sendable {
    /// Rows of R.
    package var rows: (SIMD3<Float>, SIMD3<Float>, SIMD3<Float>)
    package var translation: SIMD3<Float>

    package static func == (a: RigidTransform, b: RigidTransform) -> Bool {
        a.rows.0 == b.rows.0 && a.rows.1 == b.rows.1 && a.rows.2 == b.rows.2 && a.translation == b.translation
    }

    /// R · p + t.
    package func apply(_ p: SIMD3<Float>) -> SIMD3<Float> {
        SIMD3((rows.0 * p).sum(), (rows.1 * p).sum(), (rows.2 * p).sum()) + translation
    }

    /// Rᵀ · (p − t): takes an observed point back to the rest frame.
    package func inverseApply(_ p: SIMD3<Float>) -> SIMD3<Float> {
        let q = p - translation
        return rows.0 * q.x + rows.1 * q.y + rows.2 * q.z
    }

    /// From a head pose: R = Ry(yaw) · Rx(pitch) · Rz(roll), t = (tx, ty, tz).
    package init(pose: HeadPose) {
        let (cy, sy) = (cos(pose.yaw), sin(pose.yaw))
        let (cp, sp) = (cos(pose.pitch), sin(pose.pitch))
        let (cr, sr) = (cos(pose.roll), sin(pose.roll))
        // Ry·Rx = [[cy, sy·sp, sy·cp], [0, cp, −sp], [−sy, cy·sp, cy·cp]], then · Rz.
        rows = (SIMD3(cy * cr + sy * sp * sr, -cy * sr + sy * sp * cr, sy * cp),
                SIMD3(cp * sr, cp * cr, -sp),
                SIMD3(-sy * cr + cy * sp * sr, sy * sr + cy * sp * cr, cy * cp))
        translation = SIMD3(pose.tx, pose.ty, pose.tz)
    }

    init(rows: (SIMD3<Float>, SIMD3<Float>, SIMD3<Float>), translation: SIMD3<Float>) {
        self.rows = rows
        self.translation = translation
    }

    /// The pose with R = Ry(yaw) · Rx(pitch) · Rz(roll): pitch = asin(−R₁₂), yaw = atan2(R₀₂, R₂₂),
    /// roll = atan2(R₁₀, R₁₁) (pitch within ±90°).
    package var pose: HeadPose {
        HeadPose(yaw: atan2(rows.0.z, rows.2.z), pitch: asin(min(max(-rows.1.z, -1), 1)), roll: atan2(rows.1.x, rows.1.y),
                 tx: translation.x, ty: translation.y, tz: translation.z)
    }

    /// Angle of the rotation R₁ᵀ·R₂ between two transforms, in degrees.
    package static func angleBetween(_ a: RigidTransform, _ b: RigidTransform) -> Float {
        // trace(Aᵀ B) = Σ over rows of dot products of matching columns = Σᵢⱼ A[i][j]·B[i][j].
        let trace = (a.rows.0 * b.rows.0).sum() + (a.rows.1 * b.rows.1).sum() + (a.rows.2 * b.rows.2).sum()
        return acos(min(max((trace - 1) / 2, -1), 1)) * 180 / .pi
    }
}

/// Least-squares rigid fit (Kabsch / Horn): the R, t minimising Σ |R·restᵢ + t − observedᵢ|².
///
/// Horn's method: the optimal rotation is the unit quaternion of the largest eigenvalue of a symmetric
/// 4×4 matrix built from the cross-covariance of the centred point sets; the eigenvector is found by
/// Jacobi rotations (exact to Float precision, no special cases for reflections).
package enum RigidAlignment {
    package static func fit(rest: [SIMD3<Float>], observed: [SIMD3<Float>]) -> RigidTransform {
        precondition(rest.count == observed.count && rest.count >= 3, "rigid fit needs ≥ 3 matching points")
        let n = Double(rest.count)
        var ca = SIMD3<Double>.zero, cb = SIMD3<Double>.zero
        for (a, b) in zip(rest, observed) { ca += SIMD3<Double>(a); cb += SIMD3<Double>(b) }
        ca /= n
        cb /= n
        // S[i][j] = Σ aᵢ·bⱼ over centred points.
        var s = [[Double]](repeating: [0, 0, 0], count: 3)
        for (a, b) in zip(rest, observed) {
            let p = SIMD3<Double>(a) - ca, q = SIMD3<Double>(b) - cb
            for i in 0..<3 { for j in 0..<3 { s[i][j] += p[i] * q[j] } }
        }
        let (xx, xy, xz) = (s[0][0], s[0][1], s[0][2])
        let (yx, yy, yz) = (s[1][0], s[1][1], s[1][2])
        let (zx, zy, zz) = (s[2][0], s[2][1], s[2][2])
        let k: [[Double]] = [
            [xx + yy + zz, yz - zy, zx - xz, xy - yx],
            [yz - zy, xx - yy - zz, xy + yx, zx + xz],
            [zx - xz, xy + yx, -xx + yy - zz, yz + zy],
            [xy - yx, zx + xz, yz + zy, -xx - yy + zz],
        ]
        let q = largestEigenvector(k)  // (w, x, y, z)
        let (w, x, y, z) = (q[0], q[1], q[2], q[3])
        let r0 = SIMD3(w * w + x * x - y * y - z * z, 2 * (x * y - w * z), 2 * (x * z + w * y))
        let r1 = SIMD3(2 * (x * y + w * z), w * w - x * x + y * y - z * z, 2 * (y * z - w * x))
        let r2 = SIMD3(2 * (x * z - w * y), 2 * (y * z + w * x), w * w - x * x - y * y + z * z)
        let t = cb - SIMD3((r0 * ca).sum(), (r1 * ca).sum(), (r2 * ca).sum())
        return RigidTransform(rows: (SIMD3<Float>(r0), SIMD3<Float>(r1), SIMD3<Float>(r2)), translation: SIMD3<Float>(t))
    }

    /// Eigenvector of the largest eigenvalue of a symmetric 4×4 matrix (cyclic Jacobi).
    static func largestEigenvector(_ matrix: [[Double]]) -> [Double] {
        var a = matrix
        var v = (0..<4).map { i in (0..<4).map { j in i == j ? 1.0 : 0.0 } }
        for _ in 0..<50 {
            var off = 0.0
            for i in 0..<4 { for j in (i + 1)..<4 { off += a[i][j] * a[i][j] } }
            if off < 1e-22 { break }
            for p in 0..<3 {
                for q in (p + 1)..<4 where Swift.abs(a[p][q]) > 1e-300 {
                    let theta = (a[q][q] - a[p][p]) / (2 * a[p][q])
                    let t = (theta >= 0 ? 1.0 : -1.0) / (Swift.abs(theta) + (theta * theta + 1).squareRoot())
                    let c = 1 / (t * t + 1).squareRoot(), s = t * c
                    for k in 0..<4 {
                        let akp = a[k][p], akq = a[k][q]
                        a[k][p] = c * akp - s * akq
                        a[k][q] = s * akp + c * akq
                    }
                    for k in 0..<4 {
                        let apk = a[p][k], aqk = a[q][k]
                        a[p][k] = c * apk - s * aqk
                        a[q][k] = s * apk + c * aqk
                    }
                    for k in 0..<4 {
                        let vkp = v[k][p], vkq = v[k][q]
                        v[k][p] = c * vkp - s * vkq
                        v[k][q] = s * vkp + c * vkq
                    }
                }
            }
        }
        let best = (0..<4).max { a[$0][$0] < a[$1][$1] }!
        var q = (0..<4).map { v[$0][best] }
        let norm = q.reduce(0) { $0 + $1 * $1 }.squareRoot()
        q = q.map { $0 / norm }
        return q[0] < 0 ? q.map { -$0 } : q
    }
}
