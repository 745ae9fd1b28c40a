import Foundation
import M2FEngine

/// What a step applies to its output before storing it: nothing, ReLU, or PReLU with one slope per channel.
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

    /// The same activation as the fused convolution kernels' epilogue.
    var fused: FusedImageKernels.Epilogue {
        switch self {
        case .none: return .none
        case .relu: return .relu
        case let .prelu(alpha): return .prelu(alpha)
        }
    }
}

/// Carries pointers into `Parallel` workers, which write disjoint rows.
struct SharedPointers<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}

/// The activation pass of steps whose kernel has no fused epilogue (additions the convolutions did not absorb).
enum TrackerKernels {
    /// `activation` in place over `pixels` rows of `channels` values (rows split across cores).
    static func activate(_ values: UnsafeMutablePointer<Float>, pixels: Int, channels: Int, activation: OutputActivation) {
        if case .none = activation { return }
        let data = SharedPointers(values), epilogue = SharedPointers(activation)
        Parallel.forRows(pixels, rowLength: channels) { rows in
            for pixel in rows { epilogue.value.apply(data.value + pixel * channels, channels: channels) }
        }
    }
}
