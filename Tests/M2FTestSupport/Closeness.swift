import M2FEngine

/// Comparing tensors with stated tolerances.
public enum Closeness {
    /// max |a − b| / max(1, max |b|): the error relative to the reference's scale.
    public static func relativeError(_ actual: Tensor, _ expected: Tensor) -> Float {
        precondition(actual.shape == expected.shape, "compare \(actual.shape) with \(expected.shape)")
        let a = actual.toArray()
        let b = expected.toArray()
        var worst: Float = 0
        var scale: Float = 1
        for i in a.indices {
            if !a[i].isFinite || !b[i].isFinite {
                if a[i] != b[i] && !(a[i].isNaN && b[i].isNaN) { return .infinity }
                continue
            }
            worst = max(worst, Swift.abs(a[i] - b[i]))
            scale = max(scale, Swift.abs(b[i]))
        }
        return worst / scale
    }

    /// Largest plain absolute difference.
    public static func maxAbsoluteError(_ actual: Tensor, _ expected: Tensor) -> Float {
        precondition(actual.shape == expected.shape, "compare \(actual.shape) with \(expected.shape)")
        return zip(actual.toArray(), expected.toArray()).map { Swift.abs($0 - $1) }.max() ?? 0
    }
}
