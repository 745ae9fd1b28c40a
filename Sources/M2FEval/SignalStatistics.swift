import Foundation

/// Small statistics on 1-D signals shared by the metrics (Double accumulation throughout).
package enum SignalStatistics {
    /// Arithmetic mean (0 for an empty signal).
    package static func mean<C: Collection>(_ x: C) -> Double where C.Element: BinaryFloatingPoint {
        x.isEmpty ? 0 : x.reduce(0.0) { $0 + Double($1) } / Double(x.count)
    }

    /// Pearson correlation of two equally long signals; nil when fewer than 2 points or either is constant.
    package static func pearson(_ a: [Double], _ b: [Double]) -> Double? {
        precondition(a.count == b.count, "correlation needs equal lengths, got \(a.count) and \(b.count)")
        guard a.count >= 2 else { return nil }
        let ma = mean(a), mb = mean(b)
        var covariance = 0.0, va = 0.0, vb = 0.0
        for i in a.indices {
            let da = a[i] - ma, db = b[i] - mb
            covariance += da * db
            va += da * da
            vb += db * db
        }
        guard va > 1e-24, vb > 1e-24 else { return nil }
        return covariance / (va * vb).squareRoot()
    }

    /// Gaussian smoothing as `scipy.ndimage.gaussian_filter1d(x, sigma, mode="reflect", truncate=4)`:
    /// kernel radius ⌊4σ + 0.5⌋, weights exp(−k²/2σ²) normalised, edges mirrored with the edge
    /// sample repeated (d c b a | a b c d | d c b a).
    package static func gaussianSmoothed(_ x: [Double], sigma: Double) -> [Double] {
        guard sigma > 0, !x.isEmpty else { return x }
        let radius = Int(4 * sigma + 0.5)
        var kernel = (-radius...radius).map { exp(-0.5 * Double($0 * $0) / (sigma * sigma)) }
        let total = kernel.reduce(0, +)
        kernel = kernel.map { $0 / total }
        let n = x.count
        func reflected(_ i: Int) -> Int {
            // Period 2n: i ↦ i for 0..<n, 2n − 1 − i for n..<2n.
            var j = i % (2 * n)
            if j < 0 { j += 2 * n }
            return j < n ? j : 2 * n - 1 - j
        }
        return (0..<n).map { i in
            var sum = 0.0
            for k in -radius...radius { sum += kernel[k + radius] * x[reflected(i + k)] }
            return sum
        }
    }

    /// Indices of strict local minima (x[i] < x[i − 1] and x[i] < x[i + 1]); the ends are never minima
    /// (`scipy.signal.argrelextrema(x, np.less)`).
    package static func localMinima(_ x: [Double]) -> [Int] {
        guard x.count >= 3 else { return [] }
        return (1..<(x.count - 1)).filter { x[$0] < x[$0 - 1] && x[$0] < x[$0 + 1] }
    }
}
