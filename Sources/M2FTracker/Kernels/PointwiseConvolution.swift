import Foundation
import M2FEngine

/// What a kernel applies to its output before storing it: nothing, ReLU, or PReLU with one slope per channel.
enum OutputActivation {
    case none
    case relu
    case prelu(UnsafePointer<Float>)

    /// Applies the activation to `count` channels of one pixel in place.
    @inline(__always)
    func apply(_ row: UnsafeMutablePointer<Float>, channels: Int) {
        switch self {
        case .none: break
        case .relu: for c in 0..<channels { row[c] = max(row[c], 0) }
        case let .prelu(alpha): for c in 0..<channels { let x = row[c]; row[c] = x < 0 ? x * alpha[c] : x }
        }
    }
}

/// Carries pointers into `Parallel` workers, which write disjoint rows.
struct SharedPointers<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}

/// The tracker's epilogue kernels beside the engine's `ImageKernels`.
enum TrackerKernels {
    /// Largest K·N for which a 1×1 convolution uses `pointwise` instead of `sgemm`: 0, since measured on the
    /// landmark network the pixel loop lost to `sgemm` (74 vs 54 ms a frame under load); kept, tested, for tuning.
    static let pointwiseLimit = 0

    /// `activation` in place over `pixels` rows of `channels` values (rows split across cores).
    static func activate(_ values: UnsafeMutablePointer<Float>, pixels: Int, channels: Int, activation: OutputActivation) {
        if case .none = activation { return }
        let data = SharedPointers(values), epilogue = SharedPointers(activation)
        Parallel.forRows(pixels, rowLength: channels) { rows in
            for pixel in rows { epilogue.value.apply(data.value + pixel * channels, channels: channels) }
        }
    }

    /// A 1×1 convolution with few channels, pixel by pixel: `output[p, n] = bias[n] + Σ_k input[p, k] · weightT[k, n]`,
    /// then `activation`. `weightT` is the weight transposed to `[K, N]` once at load, so the inner loop runs
    /// over N contiguous outputs (vectorised). For the thin products of mobile networks (K, N ≤ 64 over
    /// thousands of pixels) this beats `sgemm`, whose packing dominates at these sizes.
    static func pointwise(
        _ input: UnsafePointer<Float>, pixels: Int, inputChannels: Int, weightT: UnsafePointer<Float>,
        bias: UnsafePointer<Float>?, outputChannels: Int, activation: OutputActivation, output: UnsafeMutablePointer<Float>
    ) {
        let source = SharedPointers(input), target = SharedPointers(output)
        let weights = SharedPointers(weightT), offsets = SharedPointers(bias), epilogue = SharedPointers(activation)
        let k = inputChannels, n = outputChannels
        Parallel.forRows(pixels, rowLength: k * n / 4) { range in
            for p in range {
                let out = target.value + p * n
                let x = source.value + p * k
                if let b = offsets.value { out.update(from: b, count: n) } else { out.update(repeating: 0, count: n) }
                for i in 0..<k {
                    let value = x[i], w = weights.value + i * n
                    for j in 0..<n { out[j] += value * w[j] }
                }
                epilogue.value.apply(out, channels: n)
            }
        }
    }
}
