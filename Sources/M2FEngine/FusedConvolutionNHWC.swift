import CImageKernels
import Foundation

/// Convolutions on raw NHWC buffers (batch 1) with the bias, a residual addition and the activation
/// fused into the store, for the face tracker's thin mobile networks: one pass over each input instead
/// of im2col + `sgemm` (which packs these products for longer than it multiplies) + a pass per epilogue.
/// The kernels are C (`Sources/CImageKernels`, AVX2 + FMA chosen at run time); work is split across cores
/// by output rows, or by output channels for products with few rows.
package enum FusedImageKernels {
    /// What is applied to each output after the bias and residual.
    package enum Epilogue {
        case none
        case relu
        /// One slope per output channel (pointer valid for the kernel's lifetime).
        case prelu(UnsafePointer<Float>)

        var c: m2f_epilogue {
            switch self {
            case .none: return m2f_epilogue(relu: 0, slopes: nil)
            case .relu: return m2f_epilogue(relu: 1, slopes: nil)
            case let .prelu(slopes): return m2f_epilogue(relu: 0, slopes: slopes)
            }
        }
    }

    /// True where the AVX2 + FMA paths run (else portable C).
    package static var usesSIMD: Bool { m2f_image_kernels_simd() != 0 }

    /// A TFLite convolution weight `[O, KH, KW, I]` (rows of `depth` = KH·KW·I) transposed to `[depth, O]`,
    /// the layout `convolveRows` reads (done once at load).
    package static func transposedWeight(_ weight: UnsafePointer<Float>, outputChannels: Int, depth: Int) -> [Float] {
        var result = [Float](repeating: 0, count: outputChannels * depth)
        for o in 0..<outputChannels {
            for k in 0..<depth { result[k * outputChannels + o] = weight[o * depth + k] }
        }
        return result
    }

    /// `portable`: the plain C path even where SIMD is available (for the tests).
    /// `output[p, n] = epilogue(bias[n] + Σ_k a[p, k] · weightT[k, n] + residual[p, n])` for `rows` rows:
    /// a 1×1 convolution (`a` = the input) or any convolution on its im2col rows.
    package static func convolveRows(
        _ a: UnsafePointer<Float>, rows: Int, depth: Int, weightT: UnsafePointer<Float>, bias: UnsafePointer<Float>?,
        outputChannels n: Int, residual: UnsafePointer<Float>?, epilogue: Epilogue, output: UnsafeMutablePointer<Float>,
        portable: Bool = false
    ) {
        let operands = UncheckedSendable((a, weightT, bias, residual, output)), e = epilogue.c
        let m2f_conv_rows = portable ? m2f_conv_rows_portable : CImageKernels.m2f_conv_rows
        if rows >= 8 {
            // Four ranges per worker, claimed one at a time: when ffmpeg or another process takes a core
            // for a while, the other worker finishes the rest instead of waiting at the join.
            Parallel.forRanges(rows, minimumPerWorker: max(1, 32_768 / max(1, depth * n)), partsPerWorker: 4) { range in
                let (a, w, b, r, o) = operands.value
                m2f_conv_rows(a, depth, w, b, n, r, e, o, range.lowerBound, range.upperBound, 0, n)
            }
        } else {
            // A product with few rows (the landmark head): split the output channels, 16 at a time.
            let panels = (n + 15) / 16
            Parallel.forRanges(panels, minimumPerWorker: max(1, 32_768 / max(1, rows * depth * 16))) { range in
                let (a, w, b, r, o) = operands.value
                m2f_conv_rows(a, depth, w, b, n, r, e, o, 0, rows, range.lowerBound * 16, min(n, range.upperBound * 16))
            }
        }
    }

    /// Depthwise convolution (multiplier 1, `weight` `[KH, KW, C]`) with the epilogue fused; rows split across cores.
    package static func depthwise(
        _ input: UnsafePointer<Float>, channels: Int, geometry g: WindowGeometry, weight: UnsafePointer<Float>,
        bias: UnsafePointer<Float>?, epilogue: Epilogue, output: UnsafeMutablePointer<Float>, portable: Bool = false
    ) {
        let operands = UncheckedSendable((input, weight, bias, output)), e = epilogue.c
        let m2f_depthwise_rows = portable ? m2f_depthwise_rows_portable : CImageKernels.m2f_depthwise_rows
        Parallel.forRanges(g.outputHeight, minimumPerWorker: max(1, 32_768 / max(1, g.outputWidth * channels * g.kernelHeight * g.kernelWidth)),
                           partsPerWorker: 4) { range in
            let (input, weight, bias, output) = operands.value
            m2f_depthwise_rows(input, g.inputHeight, g.inputWidth, channels, g.kernelHeight, g.kernelWidth, g.strideY, g.strideX,
                               g.padTop, g.padLeft, g.outputWidth, weight, bias, e, output, range.lowerBound, range.upperBound)
        }
    }
}
