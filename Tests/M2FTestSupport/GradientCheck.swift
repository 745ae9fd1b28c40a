import M2FEngine

/// Finite-difference gradient checks for every differentiable op.
///
/// The objective is L = Σ f(inputs) ⊙ P with a fixed random projection P, so every output element
/// matters. Central differences in Float32 with step `epsilon` carry an error of roughly
/// ε² · f‴ + rounding / ε; tests state their tolerance against the gradient's scale.
public enum GradientCheck {
    /// Largest error of the analytic gradient against central differences, relative to
    /// max(1, max |numeric gradient|), over all `inputs`.
    public static func relativeError(
        inputs: [Tensor], epsilon: Float = 1e-2, seed: UInt64 = 7, _ function: ([Tensor]) -> Tensor
    ) -> Float {
        let leaves = inputs.map { $0.contiguous().detached().requiringGrad() }
        let output = function(leaves)
        var generator = RandomGenerator(seed: seed)
        let projection = Tensor.randomNormal(output.shape, generator: &generator)
        (output * projection).sum().backward()

        var worst: Float = 0
        for (index, leaf) in leaves.enumerated() {
            let analytic = leaf.grad?.toArray() ?? [Float](repeating: 0, count: leaf.count)
            var numeric = [Float](repeating: 0, count: leaf.count)
            let values = leaf.toArray()
            for element in 0..<leaf.count {
                func objective(_ delta: Float) -> Double {
                    var shifted = values
                    shifted[element] += delta
                    var probe = leaves.map { $0.detached() }
                    probe[index] = Tensor(shifted, shape: leaf.shape)
                    let result = withoutGrad { (function(probe) * projection).toArray() }
                    return result.reduce(0.0) { $0 + Double($1) }
                }
                numeric[element] = Float((objective(epsilon) - objective(-epsilon)) / Double(2 * epsilon))
            }
            let scale = max(1, numeric.map { Swift.abs($0) }.max() ?? 0)
            for element in 0..<leaf.count {
                worst = max(worst, Swift.abs(analytic[element] - numeric[element]) / scale)
            }
        }
        return worst
    }
}
