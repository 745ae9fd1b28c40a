import Foundation

/// A 3 × 3 matrix as three columns (double precision: the fit subtracts nearly equal sums).
struct Matrix3 {
    var columns: (SIMD3<Double>, SIMD3<Double>, SIMD3<Double>)

    init(_ c0: SIMD3<Double>, _ c1: SIMD3<Double>, _ c2: SIMD3<Double>) { columns = (c0, c1, c2) }

    subscript(column: Int) -> SIMD3<Double> {
        get { column == 0 ? columns.0 : column == 1 ? columns.1 : columns.2 }
        set {
            switch column {
            case 0: columns.0 = newValue
            case 1: columns.1 = newValue
            default: columns.2 = newValue
            }
        }
    }

    static func * (m: Matrix3, v: SIMD3<Double>) -> SIMD3<Double> { m[0] * v.x + m[1] * v.y + m[2] * v.z }
    static func * (a: Matrix3, b: Matrix3) -> Matrix3 { Matrix3(a * b[0], a * b[1], a * b[2]) }

    var transposed: Matrix3 {
        Matrix3(SIMD3(self[0].x, self[1].x, self[2].x), SIMD3(self[0].y, self[1].y, self[2].y), SIMD3(self[0].z, self[1].z, self[2].z))
    }

    var determinant: Double { (cross(self[0], self[1]) * self[2]).sum() }

    /// The rotation closest to this matrix (U Vᵀ of its SVD with det = +1), as Eigen's JacobiSVD gives
    /// it in MediaPipe's `ComputeOptimalRotation`: one-sided Jacobi, singular values sorted, the axis
    /// of the smallest flipped when U Vᵀ would be a reflection.
    func nearestRotation() -> Matrix3 {
        var a = self
        var v = Matrix3(SIMD3(1, 0, 0), SIMD3(0, 1, 0), SIMD3(0, 0, 1))
        for _ in 0..<30 {
            var rotated = false
            for (p, q) in [(0, 1), (0, 2), (1, 2)] {
                let alpha = (a[p] * a[p]).sum(), beta = (a[q] * a[q]).sum(), gamma = (a[p] * a[q]).sum()
                guard abs(gamma) > 1e-15 * (alpha * beta).squareRoot(), gamma != 0 else { continue }
                rotated = true
                let zeta = (beta - alpha) / (2 * gamma)
                let t = (zeta >= 0 ? 1.0 : -1.0) / (abs(zeta) + (1 + zeta * zeta).squareRoot())
                let c = 1 / (1 + t * t).squareRoot(), s = c * t
                (a[p], a[q]) = (c * a[p] - s * a[q], s * a[p] + c * a[q])
                (v[p], v[q]) = (c * v[p] - s * v[q], s * v[p] + c * v[q])
            }
            if !rotated { break }
        }
        let order = [0, 1, 2].sorted { (a[$0] * a[$0]).sum() > (a[$1] * a[$1]).sum() }
        let u0 = normalized(a[order[0]]), u1 = normalized(a[order[1]] - (a[order[1]] * u0).sum() * u0)
        let sortedV = Matrix3(v[order[0]], v[order[1]], v[order[2]])
        let u = Matrix3(u0, u1, cross(u0, u1) * (sortedV.determinant < 0 ? -1 : 1))
        return u * sortedV.transposed
    }
}

func cross(_ a: SIMD3<Double>, _ b: SIMD3<Double>) -> SIMD3<Double> {
    SIMD3(a.y * b.z - a.z * b.y, a.z * b.x - a.x * b.z, a.x * b.y - a.y * b.x)
}

func normalized(_ v: SIMD3<Double>) -> SIMD3<Double> {
    let length = (v * v).sum().squareRoot()
    return length > 0 ? v / length : SIMD3(1, 0, 0)
}

/// A similarity transform: x ↦ scale · R x + t.
public struct SimilarityTransform: Sendable, Equatable {
    /// Rotation times scale, column-major (`columns[j]` is column j).
    public var rotationAndScale: [SIMD3<Double>]
    public var translation: SIMD3<Double>

    /// The uniform scale (length of the first column, as MediaPipe's `EstimateScale` reads it).
    public var scale: Double { (rotationAndScale[0] * rotationAndScale[0]).sum().squareRoot() }

    /// The 4 × 4 matrix, row-major, as MediaPipe's `facial_transformation_matrixes`.
    public var rowMajor4x4: [Double] {
        let c = rotationAndScale
        return [c[0].x, c[1].x, c[2].x, translation.x,
                c[0].y, c[1].y, c[2].y, translation.y,
                c[0].z, c[1].z, c[2].z, translation.z,
                0, 0, 0, 1]
    }
}

/// The weighted orthogonal Procrustes problem of MediaPipe's geometry pipeline (`procrustes_solver.cc`,
/// after Akca 2003): the similarity transform minimising Σ wᵢ ‖s R aᵢ + t − bᵢ‖².
enum WeightedProcrustes {
    /// Fits `source` onto `target` with per-point `weights` (non-negative, not all zero).
    static func solve(source: [SIMD3<Double>], target: [SIMD3<Double>], weights: [Double]) -> SimilarityTransform {
        precondition(source.count == target.count && source.count == weights.count && !source.isEmpty)
        let sqrtWeights = weights.map { $0.squareRoot() }
        let totalWeight = weights.reduce(0, +)
        var sourceCentre = SIMD3<Double>.zero
        for i in source.indices { sourceCentre += weights[i] * source[i] }
        sourceCentre /= totalWeight
        // Design matrix Σ (√w b)(√w (a − c))ᵀ, and the scale's two traces.
        var design = Matrix3(.zero, .zero, .zero)
        var centred: [SIMD3<Double>] = []
        centred.reserveCapacity(source.count)
        for i in source.indices {
            let a = sqrtWeights[i] * (source[i] - sourceCentre), b = sqrtWeights[i] * target[i]
            centred.append(a)
            design[0] += b * a.x
            design[1] += b * a.y
            design[2] += b * a.z
        }
        let rotation = design.nearestRotation()
        var numerator = 0.0, denominator = 0.0
        for i in source.indices {
            numerator += ((rotation * centred[i]) * (sqrtWeights[i] * target[i])).sum()
            denominator += (centred[i] * (sqrtWeights[i] * source[i])).sum()
        }
        let scale = numerator / denominator
        let rotationAndScale = Matrix3(scale * rotation[0], scale * rotation[1], scale * rotation[2])
        var translation = SIMD3<Double>.zero
        for i in source.indices { translation += weights[i] * (target[i] - rotationAndScale * source[i]) }
        translation /= totalWeight
        return SimilarityTransform(rotationAndScale: [rotationAndScale[0], rotationAndScale[1], rotationAndScale[2]], translation: translation)
    }
}
