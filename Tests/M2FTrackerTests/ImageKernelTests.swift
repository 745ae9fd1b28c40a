import Foundation
import M2FEngine
@testable import M2FTracker
import Testing

/// The fused channels-last kernels against direct loops over the definition (seeded random data), on both
/// the SIMD and the portable C paths.
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

    /// x < 0 ? slope · x : x.
    static func prelu(_ x: Float, _ slope: Float) -> Float { x < 0 ? x * slope : x }

    @Test("fused convolution (im2col where needed) with residual and PReLU matches the direct convolution, SIMD and portable",
          arguments: [(3, 2, true, 10), (1, 1, false, 24), (2, 2, false, 16), (5, 2, true, 1), (1, 1, false, 42)])
    func convolution(kernel: Int, stride: Int, same: Bool, outputChannels: Int) {
        let channels = 6, side = 13
        let g = WindowGeometry(inputHeight: side, inputWidth: side, kernelHeight: kernel, kernelWidth: kernel, strideY: stride, strideX: stride, same: same)
        let input = Self.random(side * side * channels, seed: 1), weight = Self.random(outputChannels * kernel * kernel * channels, seed: 2)
        let bias = Self.random(outputChannels, seed: 3), slopes = Self.random(outputChannels, seed: 8)
        let rows = g.outputHeight * g.outputWidth, depth = kernel * kernel * channels
        let residual = Self.random(rows * outputChannels, seed: 9)
        let direct = Self.direct(input, channels: channels, geometry: g, weight: weight, bias: bias, outputChannels: outputChannels)
        let expected = direct.indices.map { Self.prelu(direct[$0] + residual[$0], slopes[$0 % outputChannels]) }
        var columns = [Float](repeating: 0, count: rows * depth)
        ImageKernels.im2col(input, channels: channels, geometry: g, into: &columns)
        let transposed = weight.withUnsafeBufferPointer {
            FusedImageKernels.transposedWeight($0.baseAddress!, outputChannels: outputChannels, depth: depth)
        }
        for portable in [false, true] {
            var output = [Float](repeating: .nan, count: expected.count)
            slopes.withUnsafeBufferPointer { alpha in
                FusedImageKernels.convolveRows(g.isPointwise ? input : columns, rows: rows, depth: depth, weightT: transposed, bias: bias,
                                               outputChannels: outputChannels, residual: residual, epilogue: .prelu(alpha.baseAddress!),
                                               output: &output, portable: portable)
            }
            let error = zip(output, expected).map { abs($0 - $1) }.max()!
            #expect(error < 1e-4, "portable \(portable): max error \(error)")
        }
        // One output row (the landmark head's shape): the channels are split instead of the rows.
        var single = [Float](repeating: .nan, count: outputChannels)
        FusedImageKernels.convolveRows(columns, rows: 1, depth: depth, weightT: transposed, bias: bias, outputChannels: outputChannels,
                                       residual: nil, epilogue: .relu, output: &single)
        #expect(zip(single, direct.prefix(outputChannels)).allSatisfy { abs($0 - max($1, 0)) < 1e-4 })
    }

    @Test("fused depthwise convolution with PReLU matches the per-channel definition, SIMD and portable",
          arguments: [(1, 16), (2, 5), (1, 13), (2, 32)])
    func depthwise(stride: Int, channels: Int) {
        let side = 9
        let g = WindowGeometry(inputHeight: side, inputWidth: side, kernelHeight: 3, kernelWidth: 3, strideY: stride, strideX: stride, same: true)
        let input = Self.random(side * side * channels, seed: 4), weight = Self.random(9 * channels, seed: 5)
        let bias = Self.random(channels, seed: 6), slopes = Self.random(channels, seed: 7)
        for portable in [false, true] {
            var output = [Float](repeating: .nan, count: g.outputHeight * g.outputWidth * channels)
            slopes.withUnsafeBufferPointer { alpha in
                FusedImageKernels.depthwise(input, channels: channels, geometry: g, weight: weight, bias: bias,
                                            epilogue: .prelu(alpha.baseAddress!), output: &output, portable: portable)
            }
            var error: Float = 0
            for y in 0..<g.outputHeight {
                for x in 0..<g.outputWidth {
                    for c in 0..<channels {
                        var sum = bias[c]
                        for ky in 0..<3 {
                            for kx in 0..<3 {
                                let iy = y * stride + ky - g.padTop, ix = x * stride + kx - g.padLeft
                                guard iy >= 0, iy < side, ix >= 0, ix < side else { continue }
                                sum += weight[(ky * 3 + kx) * channels + c] * input[(iy * side + ix) * channels + c]
                            }
                        }
                        error = max(error, abs(output[(y * g.outputWidth + x) * channels + c] - Self.prelu(sum, slopes[c])))
                    }
                }
            }
            #expect(error < 1e-5, "portable \(portable): max error \(error)")
        }
    }
}
