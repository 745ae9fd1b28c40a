import Foundation
import Testing
import M2FAudio

/// The mixed-radix FFT against a direct O(n²) DFT.
struct FFTTests {
    static func naiveDFT(_ re: [Double], _ im: [Double]) -> ([Double], [Double]) {
        let n = re.count
        var outRe = [Double](repeating: 0, count: n), outIm = outRe
        for k in 0..<n {
            for t in 0..<n {
                let angle = -2 * Double.pi * Double((k * t) % n) / Double(n)
                outRe[k] += re[t] * cos(angle) - im[t] * sin(angle)
                outIm[k] += re[t] * sin(angle) + im[t] * cos(angle)
            }
        }
        return (outRe, outIm)
    }

    static func signal(_ n: Int, seed: Int) -> [Double] {
        (0..<n).map { (t: Int) -> Double in
            let a: Double = sin(Double(t * (seed + 3)) * 0.37)
            let b: Double = 0.25 * cos(Double(t * t + seed) * 0.011)
            return a + b
        }
    }

    @Test(arguments: [1, 2, 3, 4, 5, 7, 8, 12, 16, 25, 30, 49, 100, 200, 400, 243, 286])
    func complexMatchesDirectDFT(count n: Int) {
        let re = Self.signal(n, seed: 1), im = Self.signal(n, seed: 2)
        var data: [Double] = []
        for t in 0..<n { data += [re[t], im[t]] }
        var scratch = [Double](repeating: 0, count: 2 * n)
        FFTPlan(count: n).forward(&data, scratch: &scratch)
        let (expectedRe, expectedIm) = Self.naiveDFT(re, im)
        var worst = 0.0
        for k in 0..<n {
            worst = max(worst, abs(data[2 * k] - expectedRe[k]), abs(data[2 * k + 1] - expectedIm[k]))
        }
        #expect(worst < 1e-10 * Double(max(n, 1)), "n = \(n): max error \(worst)")
    }

    @Test(arguments: [2, 4, 10, 16, 50, 400, 512])
    func realMatchesDirectDFT(count n: Int) {
        let x = Self.signal(n, seed: 5)
        let fft = RealFFT(count: n)
        var real = [Double](repeating: 0, count: n / 2 + 1), imaginary = real
        var scratch = [Double](repeating: 0, count: fft.scratchCount)
        fft.transform(x, real: &real, imaginary: &imaginary, scratch: &scratch)
        let (expectedRe, expectedIm) = Self.naiveDFT(x, [Double](repeating: 0, count: n))
        var worst = 0.0
        for k in 0...n / 2 { worst = max(worst, abs(real[k] - expectedRe[k]), abs(imaginary[k] - expectedIm[k])) }
        #expect(worst < 1e-10 * Double(n), "n = \(n): max error \(worst)")
    }
}
