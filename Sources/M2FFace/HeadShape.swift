import Foundation

/// Landmarks and the implicit surface of the default head (metres, origin at the head–neck pivot).
///
/// The skin is the zero set of `field`, a smooth union of ellipsoids, capsules and lip tubes; the
/// grid in `HeadBuilder` finds it by casting rays from `rayOrigin`, a point inside the head from
/// which the whole surface is visible.
struct HeadShape: Sendable {
    let identity: HeadIdentity
    /// Horizontal scale of the broad shapes.
    let widthScale: Float
    let noseScale: Float
    let lipScale: Float
    /// How far the chin drops (metres).
    let chinDrop: Float

    let rayOrigin = SIMD3<Float>(0, 0.082, 0.012)
    /// Left eye centre (+X); the right eye mirrors it.
    let eyeCenter: SIMD3<Float>
    let eyeRadius: Float = 0.012
    let corneaHeight: Float = 0.0008
    /// Radius of the sphere the eyelids lie on.
    let lidRadius: Float = 0.0136
    /// Height of the lip line.
    let mouthY: Float = 0.030
    /// Half the mouth width (lip corner |x|).
    let mouthHalfWidth: Float
    /// Jaw hinge: the axis is +X through this point.
    let hinge = SIMD3<Float>(0, 0.074, -0.006)
    /// Largest jaw opening (jawOpen = 1), radians.
    let jawOpenAngle: Float = 0.30

    init(identity: HeadIdentity) {
        let id = identity.clamped
        self.identity = id
        widthScale = 1 + 0.07 * id.faceWidth
        noseScale = 1 + 0.2 * id.noseSize
        lipScale = 1 + 0.3 * id.lipThickness
        chinDrop = 0.008 * id.jawLength
        eyeCenter = SIMD3(0.032 + 0.003 * id.eyeSpacing, 0.100, 0.068)
        mouthHalfWidth = 0.025 * widthScale
    }

    /// Front z of the lip contact line at height mouthY, by x (the dental arch).
    func lipArchZ(_ x: Float) -> Float { 0.101 - 19 * x * x }

    // MARK: Signed-distance helpers (approximate distances; negative inside)

    @inline(__always) func ellipsoid(_ p: SIMD3<Float>, _ c: SIMD3<Float>, _ r: SIMD3<Float>) -> Float {
        let q = (p - c) / r
        let k0 = length(q)
        let k1 = length((p - c) / (r * r))
        return k1 > 1e-12 ? k0 * (k0 - 1) / k1 : -min(r.x, min(r.y, r.z))
    }

    @inline(__always) func sphere(_ p: SIMD3<Float>, _ c: SIMD3<Float>, _ r: Float) -> Float { length(p - c) - r }

    /// Distance to a segment a–b swept by a radius interpolated from ra to rb.
    @inline(__always) func capsule(_ p: SIMD3<Float>, _ a: SIMD3<Float>, _ b: SIMD3<Float>, _ ra: Float, _ rb: Float) -> Float {
        let ab = b - a
        let t = min(max(dot(p - a, ab) / dot(ab, ab), 0), 1)
        return length(p - (a + ab * t)) - mix(ra, rb, t)
    }

    /// Polynomial smooth minimum (union) with blend width k.
    @inline(__always) func smin(_ a: Float, _ b: Float, _ k: Float) -> Float {
        let h = max(k - abs(a - b), 0) / k
        return min(a, b) - h * h * k * 0.25
    }

    /// Smooth subtraction of b from a.
    @inline(__always) func ssub(_ a: Float, _ b: Float, _ k: Float) -> Float { -smin(-a, b, k) }

    /// A lip tube along the mouth arc: `yOffset` above the lip line, `radius` at the centre.
    func lipTube(_ p: SIMD3<Float>, yOffset: Float, zOffset: Float, radius: Float) -> Float {
        let w = mouthHalfWidth
        if abs(p.x) > w + 0.02 || abs(p.y - mouthY) > 0.03 { return 1 }
        var best: Float = 1
        let segments = 12
        var previous = SIMD3<Float>.zero, previousRadius: Float = 0
        for s in 0...segments {
            let x = -w + 2 * w * Float(s) / Float(segments)
            let taper = max(0, 1 - (x / w) * (x / w)).squareRoot()
            let point = SIMD3<Float>(x, mouthY + yOffset * (0.35 + 0.65 * taper), lipArchZ(x) + zOffset)
            let r = radius * (0.25 + 0.75 * taper)
            if s > 0 { best = min(best, capsule(p, previous, point, previousRadius, r)) }
            previous = point
            previousRadius = r
        }
        return best
    }

    /// The skin surface: negative inside the head.
    func field(_ p: SIMD3<Float>) -> Float {
        let ws = widthScale
        let q = SIMD3<Float>(abs(p.x), p.y, p.z)  // left-right symmetric
        let qs = SIMD3<Float>(q.x / ws, q.y, q.z)
        // Skull, face mass, lower face.
        var d = ellipsoid(qs, SIMD3(0, 0.112, -0.010), SIMD3(0.076, 0.100, 0.100))
        d = smin(d, ellipsoid(qs, SIMD3(0, 0.060, 0.030), SIMD3(0.056, 0.062, 0.066)), 0.03)
        d = smin(d, ellipsoid(qs, SIMD3(0, 0.022 - chinDrop * 0.5, 0.035), SIMD3(0.045, 0.045 + chinDrop * 0.5, 0.058)), 0.025)
        // Chin and jaw line.
        d = smin(d, ellipsoid(q, SIMD3(0, -0.008 - chinDrop, 0.071), SIMD3(0.021, 0.018, 0.020)), 0.02)
        d = smin(d, capsule(qs, SIMD3(0.018, -0.014 - chinDrop, 0.068), SIMD3(0.052, 0.008, -0.004), 0.011, 0.013), 0.02)
        d = smin(d, capsule(qs, SIMD3(0.052, 0.008, -0.004), SIMD3(0.058, 0.060, -0.012), 0.013, 0.012), 0.02)
        // Cheekbones and brow ridge.
        d = smin(d, ellipsoid(qs, SIMD3(0.046, 0.080, 0.058), SIMD3(0.020, 0.014, 0.022)), 0.02)
        d = smin(d, capsule(q, SIMD3(0, 0.123, 0.077), SIMD3(0.036, 0.123, 0.077), 0.012, 0.011), 0.016)
        d = smin(d, capsule(q, SIMD3(0.036, 0.123, 0.077), SIMD3(0.055 * ws, 0.119, 0.056), 0.011, 0.009), 0.016)
        // Eye sockets, then the lids over the eyeballs.
        let eye = eyeCenter
        d = ssub(d, sphere(q, SIMD3(eye.x + 0.001, eye.y + 0.001, eye.z + 0.021), 0.0175), 0.014)
        d = smin(d, sphere(q, eye, lidRadius), 0.007)
        // Nose: bridge, tip, wings, columella.
        let ns = noseScale
        let noseBase = SIMD3<Float>(0, 0.052, 0.095)
        func n(_ v: SIMD3<Float>) -> SIMD3<Float> { noseBase + (v - noseBase) * ns }
        d = smin(d, capsule(q, n(SIMD3(0, 0.114, 0.084)), n(SIMD3(0, 0.066, 0.110)), 0.0065 * ns, 0.0085 * ns), 0.012)
        d = smin(d, sphere(q, n(SIMD3(0, 0.059, 0.110)), 0.0105 * ns), 0.008)
        d = smin(d, sphere(q, n(SIMD3(0.0115, 0.0555, 0.0985)), 0.0072 * ns), 0.006)
        d = smin(d, capsule(q, n(SIMD3(0, 0.053, 0.106)), SIMD3(0, 0.047, 0.097), 0.0045 * ns, 0.004), 0.006)
        // Lips: two tubes meeting in a crease at mouthY.
        let ls = lipScale
        d = smin(d, lipTube(p, yOffset: 0.0045 * ls, zOffset: -0.004, radius: 0.0065 * ls), 0.003)
        d = smin(d, lipTube(p, yOffset: -0.0055 * ls, zOffset: -0.0045, radius: 0.0072 * ls), 0.003)
        // Ears.
        d = smin(d, ellipsoid(qs, SIMD3(0.074, 0.088, -0.014), SIMD3(0.011, 0.028, 0.017)), 0.008)
        // Neck.
        let neck = (SIMD2<Float>(q.x / 0.052, (q.z + 0.012) / 0.056) * SIMD2(q.x / 0.052, (q.z + 0.012) / 0.056)).sum().squareRoot()
        let neckSide = (neck - 1) * 0.054
        let neckCap = max(-0.20 - q.y, q.y - 0.06)
        d = smin(d, max(neckSide, neckCap), 0.035)
        return d
    }

    /// Distance along `direction` (unit) from `rayOrigin` to the skin: the first exit from inside.
    func castRay(_ direction: SIMD3<Float>) -> Float {
        var t: Float = 0.005
        let step: Float = 0.0015
        var previous = t
        while t < 0.4 {
            if field(rayOrigin + direction * t) > 0 { break }
            previous = t
            t += step
        }
        var lo = previous, hi = t
        for _ in 0..<24 {
            let mid = (lo + hi) / 2
            if field(rayOrigin + direction * mid) > 0 { hi = mid } else { lo = mid }
        }
        return (lo + hi) / 2
    }

    /// Unit direction for azimuth u (0 = +Z, positive toward +X) and elevation phi.
    func direction(u: Float, phi: Float) -> SIMD3<Float> {
        SIMD3(cos(phi) * sin(u), sin(phi), cos(phi) * cos(u))
    }

    /// (u, phi) of a point as seen from `rayOrigin`.
    func angles(of p: SIMD3<Float>) -> (u: Float, phi: Float) {
        let d = p - rayOrigin
        return (atan2(d.x, d.z), atan2(d.y, (d.x * d.x + d.z * d.z).squareRoot()))
    }

    /// A point on the left lid sphere at eye-centred azimuth beta (positive lateral) and elevation alpha.
    func lidPoint(beta: Float, alpha: Float, radius: Float? = nil) -> SIMD3<Float> {
        eyeCenter + (radius ?? lidRadius) * SIMD3(sin(beta) * cos(alpha), sin(alpha), cos(beta) * cos(alpha))
    }
}
