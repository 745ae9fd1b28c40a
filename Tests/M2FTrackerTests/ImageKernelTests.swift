import Foundation
import M2FEngine
@testable import M2FTracker
import Testing

/// The channels-last kernels against direct loops over the definition (seeded random data).
@Suite("NHWC convolution kernels")
struct ImageKernelTests {
    static func random(_ count: Int, seed: UInt64) -> [Float] {
        var state = seed
        return (0..<count).map { _ in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Float(Int(state >> 40) % 2001 - 1000) / 1000
        }
    }

    /// out[y, x, o] = b[o] + Σ w[o, ky, kx, i] · in[y·s + ky − pad, x·s + kx − pad, i] (zero outside).
    static func direct(_ input: [Float], channels: Int, geometry g: WindowGeometry, weight: [Float], bias: [Float], outputChannels: Int) -> [Float] {
        var out = [Float](repeating: 0, count: g.outputHeight * g.outputWidth * outputChannels)
        for y in 0..<g.outputHeight {
            for x in 0..<g.outputWidth {
                for o in 0..<outputChannels {
                    var sum = bias[o]
                    for ky in 0..<g.kernelHeight {
                        for kx in 0..<g.kernelWidth {
                            let iy = y * g.strideY + ky - g.padTop, ix = x * g.strideX + kx - g.padLeft
                            guard iy >= 0, iy < g.inputHeight, ix >= 0, ix < g.inputWidth else { continue }
                            for i in 0..<channels {
                                sum += weight[((o * g.kernelHeight + ky) * g.kernelWidth + kx) * channels + i] * input[(iy * g.inputWidth + ix) * channels + i]
                            }
                        }
                    }
                    out[(y * g.outputWidth + x) * outputChannels + o] = sum
                }
            }
        }
        return out
    }

    @Test("im2col + sgemm and the pointwise loop match the direct convolution", arguments: [(3, 2, true), (1, 1, false), (2, 2, false), (5, 2, true)])
    func convolution(kernel: Int, stride: Int, same: Bool) {
        let channels = 6, outputChannels = 10, side = 13
        let g = WindowGeometry(inputHeight: side, inputWidth: side, kernelHeight: kernel, kernelWidth: kernel, strideY: stride, strideX: stride, same: same)
        let input = Self.random(side * side * channels, seed: 1), weight = Self.random(outputChannels * kernel * kernel * channels, seed: 2)
        let bias = Self.random(outputChannels, seed: 3)
        let expected = Self.direct(input, channels: channels, geometry: g, weight: weight, bias: bias, outputChannels: outputChannels)
        var output = [Float](repeating: .nan, count: expected.count)
        var columns = [Float](repeating: 0, count: g.outputHeight * g.outputWidth * kernel * kernel * channels)
        ImageKernels.convolve(input, channels: channels, geometry: g, weight: weight, bias: bias, outputChannels: outputChannels,
                              output: &output, columns: &columns)
        #expect(zip(output, expected).allSatisfy { abs($0 - $1) < 1e-4 })
        if g.isPointwise {
            let transposed = (0..<(channels * outputChannels)).map { weight[($0 % outputChannels) * channels + $0 / outputChannels] }
            var pointwise = [Float](repeating: .nan, count: expected.count)
            TrackerKernels.pointwise(input, pixels: side * side, inputChannels: channels, weightT: transposed, bias: bias,
                                   outputChannels: outputChannels, activation: .none, output: &pointwise)
            #expect(zip(pointwise, expected).allSatisfy { abs($0 - $1) < 1e-4 })
        }
    }

    @Test("depthwise convolution, then PReLU, matches the per-channel definition")
    func depthwise() {
        let channels = 5, side = 9
        let g = WindowGeometry(inputHeight: side, inputWidth: side, kernelHeight: 3, kernelWidth: 3, strideY: 2, strideX: 2, same: true)
        let input = Self.random(side * side * channels, seed: 4), weight = Self.random(9 * channels, seed: 5)
        let bias = Self.random(channels, seed: 6), slopes = Self.random(channels, seed: 7)
        var output = [Float](repeating: .nan, count: g.outputHeight * g.outputWidth * channels)
        ImageKernels.depthwise(input, channels: channels, geometry: g, weight: weight, bias: bias, output: &output)
        slopes.withUnsafeBufferPointer { alpha in
            TrackerKernels.activate(&output, pixels: g.outputHeight * g.outputWidth, channels: channels, activation: .prelu(alpha.baseAddress!))
        }
        for y in 0..<g.outputHeight {
            for x in 0..<g.outputWidth {
                for c in 0..<channels {
                    var sum = bias[c]
                    for ky in 0..<3 {
                        for kx in 0..<3 {
                            let iy = y * 2 + ky - g.padTop, ix = x * 2 + kx - g.padLeft
                            guard iy >= 0, iy < side, ix >= 0, ix < side else { continue }
                            sum += weight[(ky * 3 + kx) * channels + c] * input[(iy * side + ix) * channels + c]
                        }
                    }
                    let expected = sum < 0 ? sum * slopes[c] : sum
                    #expect(abs(output[(y * g.outputWidth + x) * channels + c] - expected) < 1e-5)
                }
            }
        }
    }
}
