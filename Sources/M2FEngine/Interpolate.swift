/// Linear resampling along one axis (PyTorch's `interpolate(mode="linear", align_corners=False)`).
extension Tensor {
    /// Resamples `axis` to `length` samples, treating samples as cell centres.
    public func interpolatedLinear(axis: Int, length: Int) -> Tensor {
        let a = Shape.normalize(axis: axis, rank: rank)
        let source = shape[a]
        precondition(source > 0 && length > 0, "interpolate: axis \(a) of \(shape) to length \(length)")
        if source == length { return self }
        let scale = Float(source) / Float(length)
        var lower = [Int](repeating: 0, count: length)
        var upper = [Int](repeating: 0, count: length)
        var weights = [Float](repeating: 0, count: length)
        for i in 0..<length {
            let position = Swift.max(0, scale * (Float(i) + 0.5) - 0.5)
            let i0 = Swift.min(Int(position), source - 1)
            lower[i] = i0
            upper[i] = Swift.min(i0 + 1, source - 1)
            weights[i] = position - Float(i0)
        }
        var weightShape = [Int](repeating: 1, count: rank)
        weightShape[a] = length
        let lambda = Tensor(weights, shape: weightShape)
        return gathered(axis: a, indices: lower) * (1 - lambda) + gathered(axis: a, indices: upper) * lambda
    }
}
