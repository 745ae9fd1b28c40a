import Foundation

/// A mixed-radix complex FFT (Stockham autosort, natural order in and out) for any length, and a real
/// FFT for even lengths built on a complex FFT of half the length.
///
/// Radices 4 and 2 have unrolled butterflies; any other prime factor p runs a direct p-point DFT with
/// precomputed roots, O(p) per element, so lengths should be smooth (Whisper's real 400-point FFT runs
/// a 200-point complex one: 4·2·5·5).
/// Double precision throughout: the log-mel it feeds is compared with a float64 reference.
public struct FFTPlan: Sendable {
    /// Transform length.
    public let count: Int
    /// Radices in the order the stages apply them.
    public let radices: [Int]
    /// Per stage: W_n^(q·j) for q < n/p, j < p, as (re, im) pairs, n the stage's sub-length.
    private let twiddles: [[Double]]
    /// Per stage: e^(−2πi·j/p) for j < p, interleaved (used by the generic butterfly).
    private let roots: [[Double]]

    public init(count: Int) {
        precondition(count > 0, "FFT length must be positive")
        self.count = count
        var radices: [Int] = []
        var rest = count
        for p in [4, 2, 3, 5] { while rest % p == 0 { radices.append(p); rest /= p } }
        var p = 7
        while rest > 1 {
            while rest % p == 0 { radices.append(p); rest /= p }
            p += 2
        }
        self.radices = radices
        var twiddles: [[Double]] = []
        var n = count
        for p in radices {
            let m = n / p
            var table = [Double](repeating: 0, count: 2 * m * p)
            for q in 0..<m {
                for j in 0..<p {
                    let angle = -2 * Double.pi * Double(q * j) / Double(n)
                    table[2 * (q * p + j)] = cos(angle)
                    table[2 * (q * p + j) + 1] = sin(angle)
                }
            }
            twiddles.append(table)
            n = m
        }
        self.twiddles = twiddles
        roots = radices.map { p -> [Double] in
            var table: [Double] = []
            for j in 0..<p {
                let angle: Double = -2 * Double.pi * Double(j) / Double(p)
                table += [cos(angle), sin(angle)]
            }
            return table
        }
    }

    /// In-place forward DFT X[k] = Σ x[t]·e^(−2πi·kt/n) of interleaved (re, im) `data`; `scratch` holds 2·count.
    public func forward(_ data: UnsafeMutablePointer<Double>, scratch: UnsafeMutablePointer<Double>) {
        var x = data, y = scratch
        var n = count, s = 1
        for (stage, p) in radices.enumerated() {
            let m = n / p
            twiddles[stage].withUnsafeBufferPointer { w in
                roots[stage].withUnsafeBufferPointer { root in
                    Self.butterflies(p: p, m: m, s: s, x: x, y: y, w: w.baseAddress!, root: root.baseAddress!)
                }
            }
            swap(&x, &y)
            n = m
            s *= p
        }
        if x != data { data.update(from: x, count: 2 * count) }
    }

    /// One Stockham stage: y[r + s(pq + j)] = W_n^(qj) Σ_k x[r + s(q + km)] W_p^(jk).
    private static func butterflies(
        p: Int, m: Int, s: Int, x: UnsafeMutablePointer<Double>, y: UnsafeMutablePointer<Double>,
        w: UnsafePointer<Double>, root: UnsafePointer<Double>
    ) {
        let sm = s * m
        for q in 0..<m {
            let tw = w + 2 * q * p
            for r in 0..<s {
                let input = 2 * (r + s * q)
                let output = 2 * (r + s * p * q)
                switch p {
                case 2:
                    let ar = x[input], ai = x[input + 1]
                    let br = x[input + 2 * sm], bi = x[input + 2 * sm + 1]
                    y[output] = ar + br; y[output + 1] = ai + bi
                    let dr = ar - br, di = ai - bi
                    y[output + 2 * s] = dr * tw[2] - di * tw[3]
                    y[output + 2 * s + 1] = dr * tw[3] + di * tw[2]
                case 4:
                    let a0r = x[input], a0i = x[input + 1]
                    let a1r = x[input + 2 * sm], a1i = x[input + 2 * sm + 1]
                    let a2r = x[input + 4 * sm], a2i = x[input + 4 * sm + 1]
                    let a3r = x[input + 6 * sm], a3i = x[input + 6 * sm + 1]
                    let t0r = a0r + a2r, t0i = a0i + a2i, t1r = a0r - a2r, t1i = a0i - a2i
                    let t2r = a1r + a3r, t2i = a1i + a3i, t3r = a1r - a3r, t3i = a1i - a3i
                    // j = 0..3 with W_4 = −i: (t0 + t2), (t1 − i·t3), (t0 − t2), (t1 + i·t3)
                    y[output] = t0r + t2r; y[output + 1] = t0i + t2i
                    twiddle(t1r + t3i, t1i - t3r, tw + 2, y + output + 2 * s)
                    twiddle(t0r - t2r, t0i - t2i, tw + 4, y + output + 4 * s)
                    twiddle(t1r - t3i, t1i + t3r, tw + 6, y + output + 6 * s)
                default:
                    generic(p: p, sm: sm, s: s, x: x + input, y: y + output, tw: tw, root: root)
                }
            }
        }
    }

    /// out = (re, im) · (tw[0], tw[1]).
    @inline(__always)
    private static func twiddle(_ re: Double, _ im: Double, _ tw: UnsafePointer<Double>, _ out: UnsafeMutablePointer<Double>) {
        out[0] = re * tw[0] - im * tw[1]
        out[1] = re * tw[1] + im * tw[0]
    }

    /// Any radix: a direct p-point DFT per butterfly, then the stage twiddle.
    private static func generic(
        p: Int, sm: Int, s: Int, x: UnsafeMutablePointer<Double>, y: UnsafeMutablePointer<Double>,
        tw: UnsafePointer<Double>, root: UnsafePointer<Double>
    ) {
        for j in 0..<p {
            var sr = 0.0, si = 0.0
            for k in 0..<p {
                let e = (j * k) % p
                let c = root[2 * e], d = root[2 * e + 1]
                let ar = x[2 * k * sm], ai = x[2 * k * sm + 1]
                sr += ar * c - ai * d
                si += ar * d + ai * c
            }
            let c = tw[2 * j], d = tw[2 * j + 1]
            y[2 * s * j] = sr * c - si * d
            y[2 * s * j + 1] = sr * d + si * c
        }
    }
}

/// Real-input FFT of even length n: X[k] for k = 0…n/2 from one complex FFT of length n/2.
public struct RealFFT: Sendable {
    /// Transform length (even).
    public let count: Int
    private let half: FFTPlan
    /// e^(−2πi·k/n) for k = 0…n/2, interleaved.
    private let rotation: [Double]

    public init(count: Int) {
        precondition(count >= 2 && count % 2 == 0, "RealFFT needs an even length, got \(count)")
        self.count = count
        half = FFTPlan(count: count / 2)
        var rotation: [Double] = []
        for k in 0...count / 2 {
            let angle: Double = -2 * Double.pi * Double(k) / Double(count)
            rotation += [cos(angle), sin(angle)]
        }
        self.rotation = rotation
    }

    /// Number of Doubles `transform` needs in `scratch`.
    public var scratchCount: Int { 2 * count }

    /// Writes X[k] = Σ x[t] e^(−2πi·kt/n), k = 0…n/2, to `real` and `imaginary` (n/2 + 1 each).
    public func transform(
        _ input: UnsafePointer<Double>, real: UnsafeMutablePointer<Double>, imaginary: UnsafeMutablePointer<Double>,
        scratch: UnsafeMutablePointer<Double>
    ) {
        let h = count / 2
        // Pack z[t] = x[2t] + i·x[2t+1] into the first n doubles of scratch.
        let z = scratch, work = scratch + count
        z.update(from: input, count: count)
        half.forward(z, scratch: work)
        rotation.withUnsafeBufferPointer { w in
            for k in 0...h {
                let a = k % h, b = (h - k) % h
                let zr = z[2 * a], zi = z[2 * a + 1]
                let cr = z[2 * b], ci = -z[2 * b + 1]
                // even = (Z[k] + conj Z[h−k]) / 2, odd = (Z[k] − conj Z[h−k]) / (2i)
                let er = 0.5 * (zr + cr), ei = 0.5 * (zi + ci)
                let or = 0.5 * (zi - ci), oi = -0.5 * (zr - cr)
                let c = w[2 * k], d = w[2 * k + 1]
                real[k] = er + or * c - oi * d
                imaginary[k] = ei + or * d + oi * c
            }
        }
    }
}
