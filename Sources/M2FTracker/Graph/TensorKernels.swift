import Foundation

/// A fused activation (`ActivationFunctionType` in the TFLite schema).
struct Activation {
    let code: Int

    init(code: Int, fail: (String) -> TrackerError) throws {
        guard [0, 1, 2, 3].contains(code) else { throw fail("fused activation \(code) is not supported") }
        self.code = code
    }

    /// NONE, RELU, RELU_N1_TO_1, RELU6 in place.
    func apply(_ values: UnsafeMutablePointer<Float>, count: Int) {
        switch code {
        case 1: for i in 0..<count { values[i] = max(values[i], 0) }
        case 2: for i in 0..<count { values[i] = min(max(values[i], -1), 1) }
        case 3: for i in 0..<count { values[i] = min(max(values[i], 0), 6) }
        default: break
        }
    }
}

enum UnaryFunction: String {
    case relu = "RELU", logistic = "LOGISTIC", negate = "NEG", squareRoot = "SQRT", reciprocalSquareRoot = "RSQRT"
}

enum BinaryFunction: String {
    case add = "ADD", subtract = "SUB", multiply = "MUL", divide = "DIV", squaredDifference = "SQUARED_DIFFERENCE"

    @inline(__always) func callAsFunction(_ a: Float, _ b: Float) -> Float {
        switch self {
        case .add: return a + b
        case .subtract: return a - b
        case .multiply: return a * b
        case .divide: return a / b
        case .squaredDifference: return (a - b) * (a - b)
        }
    }
}

/// NumPy broadcasting of two operands to the output shape, as per-axis element strides over four axes
/// (a stride of 0 repeats the operand along that axis).
struct BroadcastPlan {
    let shape: [Int]
    let stridesA: [Int], stridesB: [Int]
    /// Both operands have the output's shape: one flat loop.
    let sameShape: Bool

    init(_ a: [Int], _ b: [Int], output: [Int], fail: (String) -> TrackerError) throws {
        guard output.count <= 4, a.count <= output.count, b.count <= output.count else { throw fail("ranks \(a) \(b) → \(output)") }
        func padded(_ s: [Int]) -> [Int] { Array(repeating: 1, count: 4 - s.count) + s }
        let o = padded(output), pa = padded(a), pb = padded(b)
        func strides(_ s: [Int]) throws -> [Int] {
            var result = [0, 0, 0, 0], step = 1
            for axis in (0..<4).reversed() {
                guard s[axis] == o[axis] || s[axis] == 1 else { throw fail("\(a) and \(b) do not broadcast to \(output)") }
                result[axis] = s[axis] == 1 ? 0 : step
                step *= s[axis]
            }
            return result
        }
        shape = o
        stridesA = try strides(pa)
        stridesB = try strides(pb)
        sameShape = pa == o && pb == o
    }
}

/// The element selection of a STRIDED_SLICE, resolved to start, step and length per axis (four axes).
struct SlicePlan {
    let inputShape: [Int]
    let start: [Int], step: [Int], length: [Int]
    var count: Int { length.reduce(1, *) }

    init(shape: [Int], begin: [Int], end: [Int], strides: [Int], options: [String: Int], fail: (String) -> TrackerError) throws {
        let rank = shape.count
        guard rank <= 4, begin.count == rank, end.count == rank, strides.count == rank, strides.allSatisfy({ $0 != 0 }) else {
            throw fail("slice bounds \(begin) \(end) \(strides) for \(shape)")
        }
        guard (options["ellipsis_mask"] ?? 0) == 0, (options["new_axis_mask"] ?? 0) == 0 else { throw fail("ellipsis and new-axis masks are not supported") }
        let beginMask = options["begin_mask"] ?? 0, endMask = options["end_mask"] ?? 0, shrinkMask = options["shrink_axis_mask"] ?? 0
        var start: [Int] = [], length: [Int] = []
        for axis in 0..<rank {
            let size = shape[axis], step = strides[axis]
            func clamp(_ v: Int) -> Int { step > 0 ? min(max(v, 0), size) : min(max(v, -1), size - 1) }
            var first = beginMask >> axis & 1 == 1 ? (step > 0 ? 0 : size - 1) : clamp(begin[axis] < 0 ? begin[axis] + size : begin[axis])
            var stop = endMask >> axis & 1 == 1 ? (step > 0 ? size : -1) : clamp(end[axis] < 0 ? end[axis] + size : end[axis])
            if shrinkMask >> axis & 1 == 1 {
                first = begin[axis] < 0 ? begin[axis] + size : begin[axis]
                guard first >= 0, first < size else { throw fail("shrink index \(begin[axis]) outside \(size)") }
                stop = first + step.signum()
            }
            start.append(first)
            length.append(max(0, (stop - first + step - step.signum()) / step))
        }
        let pad = 4 - rank
        inputShape = Array(repeating: 1, count: pad) + shape
        self.start = Array(repeating: 0, count: pad) + start
        self.step = Array(repeating: 1, count: pad) + strides
        self.length = Array(repeating: 1, count: pad) + length
    }
}

/// Small-tensor kernels of the graph runner (the blendshape MLP-Mixer, the detector's heads).
enum TensorKernels {
    static func unary(_ function: UnaryFunction, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int) {
        switch function {
        case .relu: for i in 0..<count { y[i] = max(x[i], 0) }
        case .logistic: for i in 0..<count { y[i] = 1 / (1 + exp(-x[i])) }
        case .negate: for i in 0..<count { y[i] = -x[i] }
        case .squareRoot: for i in 0..<count { y[i] = x[i].squareRoot() }
        case .reciprocalSquareRoot: for i in 0..<count { y[i] = 1 / x[i].squareRoot() }
        }
    }

    static func binary(_ f: BinaryFunction, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>,
                       plan: BroadcastPlan) {
        if plan.sameShape {
            let count = plan.shape.reduce(1, *)
            switch f {
            case .add: for i in 0..<count { y[i] = a[i] + b[i] }
            case .multiply: for i in 0..<count { y[i] = a[i] * b[i] }
            default: for i in 0..<count { y[i] = f(a[i], b[i]) }
            }
            return
        }
        let s = plan.shape, sa = plan.stridesA, sb = plan.stridesB
        let n = s[3], stepA = sa[3], stepB = sb[3]
        var out = y
        for i0 in 0..<s[0] {
            for i1 in 0..<s[1] {
                for i2 in 0..<s[2] {
                    // One row of the last axis, the function chosen once per row (the blendshape model's
                    // layer norms broadcast [97, 1] and [64] over [97, 64] rows).
                    let rowA = a + (i0 * sa[0] + i1 * sa[1] + i2 * sa[2]), rowB = b + (i0 * sb[0] + i1 * sb[1] + i2 * sb[2])
                    switch f {
                    case .add: for i in 0..<n { out[i] = rowA[i * stepA] + rowB[i * stepB] }
                    case .subtract: for i in 0..<n { out[i] = rowA[i * stepA] - rowB[i * stepB] }
                    case .multiply: for i in 0..<n { out[i] = rowA[i * stepA] * rowB[i * stepB] }
                    default: for i in 0..<n { out[i] = f(rowA[i * stepA], rowB[i * stepB]) }
                    }
                    out += n
                }
            }
        }
    }

    /// Joins `parts` (pointer, values per outer index) along one axis.
    static func concatenate(_ parts: [(UnsafePointer<Float>, Int)], outer: Int, into y: UnsafeMutablePointer<Float>) {
        var out = y
        for o in 0..<outer {
            for (pointer, size) in parts {
                out.update(from: pointer + o * size, count: size)
                out += size
            }
        }
    }

    /// Zero padding: `before[axis]` zeros ahead of each axis (the rest of the output shape is after).
    static func pad(_ x: UnsafePointer<Float>, shape: [Int], before: [Int], into y: UnsafeMutablePointer<Float>, outputShape: [Int]) {
        let lead = 4 - shape.count
        let s = Array(repeating: 1, count: lead) + shape, o = Array(repeating: 1, count: lead) + outputShape
        let b = Array(repeating: 0, count: lead) + before
        y.update(repeating: 0, count: o.reduce(1, *))
        var source = x
        for i0 in 0..<s[0] {
            for i1 in 0..<s[1] {
                for i2 in 0..<s[2] {
                    let row = (((i0 + b[0]) * o[1] + i1 + b[1]) * o[2] + i2 + b[2]) * o[3] + b[3]
                    (y + row).update(from: source, count: s[3])
                    source += s[3]
                }
            }
        }
    }

    /// `y = x.permuted(permutation)` for rank ≤ 4.
    static func transpose(_ x: UnsafePointer<Float>, shape: [Int], permutation: [Int], into y: UnsafeMutablePointer<Float>) {
        let lead = 4 - shape.count
        let s = Array(repeating: 1, count: lead) + shape
        let p = Array(0..<lead) + permutation.map { $0 + lead }
        var strides = [0, 0, 0, 1]
        for axis in (0..<3).reversed() { strides[axis] = strides[axis + 1] * s[axis + 1] }
        let o = p.map { s[$0] }, t = p.map { strides[$0] }
        var out = 0
        for i0 in 0..<o[0] {
            for i1 in 0..<o[1] {
                for i2 in 0..<o[2] {
                    let base = i0 * t[0] + i1 * t[1] + i2 * t[2]
                    for i3 in 0..<o[3] {
                        y[out] = x[base + i3 * t[3]]
                        out += 1
                    }
                }
            }
        }
    }

    /// Sums over `axes` (the output keeps the other axes in order), times `scale` (1/n for a mean).
    static func reduceSum(_ x: UnsafePointer<Float>, shape: [Int], axes: [Int], into y: UnsafeMutablePointer<Float>, count: Int, scale: Float) {
        let lead = 4 - shape.count
        let s = Array(repeating: 1, count: lead) + shape
        let reduced = Array(repeating: false, count: lead) + shape.indices.map { axes.contains($0) }
        var strides = [0, 0, 0, 0], step = 1
        for axis in (0..<4).reversed() where !reduced[axis] {
            strides[axis] = step
            step *= s[axis]
        }
        y.update(repeating: 0, count: count)
        var source = x
        let n = s[3], lastStride = strides[3]
        for i0 in 0..<s[0] {
            for i1 in 0..<s[1] {
                for i2 in 0..<s[2] {
                    let target = y + (i0 * strides[0] + i1 * strides[1] + i2 * strides[2])
                    if lastStride == 0 {
                        // Reducing the last axis (layer norms' means): one sum per row.
                        var sum: Float = 0
                        for i in 0..<n { sum += source[i] }
                        target[0] += sum
                    } else {
                        for i in 0..<n { target[i * lastStride] += source[i] }
                    }
                    source += n
                }
            }
        }
        if scale != 1 { for i in 0..<count { y[i] *= scale } }
    }

    static func slice(_ x: UnsafePointer<Float>, plan: SlicePlan, into y: UnsafeMutablePointer<Float>) {
        let s = plan.inputShape
        let strides = [s[1] * s[2] * s[3], s[2] * s[3], s[3], 1]
        var out = 0
        for i0 in 0..<plan.length[0] {
            let a0 = (plan.start[0] + i0 * plan.step[0]) * strides[0]
            for i1 in 0..<plan.length[1] {
                let a1 = a0 + (plan.start[1] + i1 * plan.step[1]) * strides[1]
                for i2 in 0..<plan.length[2] {
                    let a2 = a1 + (plan.start[2] + i2 * plan.step[2]) * strides[2]
                    for i3 in 0..<plan.length[3] {
                        y[out] = x[a2 + plan.start[3] + i3 * plan.step[3]]
                        out += 1
                    }
                }
            }
        }
    }
}
