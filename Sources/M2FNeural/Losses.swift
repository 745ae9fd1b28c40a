import M2FEngine

/// Training losses. Each returns a scalar (rank-0) tensor with gradients, reduced by the **mean over all
/// elements** (PyTorch's `reduction="mean"`), so the value does not depend on batch size.
public enum Loss {
    /// mean((prediction − target)²); both the same shape.
    public static func meanSquaredError(_ prediction: Tensor, _ target: Tensor) -> Tensor {
        precondition(prediction.shape == target.shape, "mse: prediction \(prediction.shape) vs target \(target.shape)")
        return (prediction - target).square().mean()
    }

    /// mean(|prediction − target|); both the same shape.
    public static func l1(_ prediction: Tensor, _ target: Tensor) -> Tensor {
        precondition(prediction.shape == target.shape, "l1: prediction \(prediction.shape) vs target \(target.shape)")
        return (prediction - target).abs().mean()
    }

    /// Huber-style smooth L1 (PyTorch's `smooth_l1_loss`): with d = prediction − target,
    /// mean(|d| < β ? 0.5·d²/β : |d| − 0.5·β). β = 0 is plain L1.
    public static func smoothL1(_ prediction: Tensor, _ target: Tensor, beta: Float = 1) -> Tensor {
        precondition(prediction.shape == target.shape, "smooth L1: prediction \(prediction.shape) vs target \(target.shape)")
        precondition(beta >= 0, "smooth L1: beta \(beta) must be ≥ 0")
        if beta == 0 { return l1(prediction, target) }
        // With a = |d| and c = min(a, β): 0.5·c²/β + (a − c) equals both branches, and its gradient too.
        let a = (prediction - target).abs()
        let c = a.clamped(0, beta)
        return (c.square() * (0.5 / beta) + (a - c)).mean()
    }

    /// KL(N(μ, σ²) ‖ N(0, I)) of a diagonal Gaussian with `logVariance` = log σ²:
    /// −0.5 · mean(1 + logσ² − μ² − σ²), the mean taken over **all** elements (batch and latent axes).
    /// Multiply by the latent size for the per-sample sum that VAE papers write.
    public static func gaussianKLDivergence(mean mu: Tensor, logVariance: Tensor) -> Tensor {
        precondition(mu.shape == logVariance.shape, "KL: mean \(mu.shape) vs log-variance \(logVariance.shape)")
        return ((1 + logVariance - mu.square() - logVariance.exp()).mean()) * -0.5
    }

    /// Cross-entropy of logits [N, V] against class ids (N of them, each in 0..<V): mean over N of
    /// −log softmax(logits)[target].
    public static func crossEntropy(logits: Tensor, targets: [Int]) -> Tensor {
        precondition(logits.rank == 2 && logits.shape[0] == targets.count,
                     "cross-entropy: logits \(logits.shape) for \(targets.count) targets")
        let classes = logits.shape[1]
        let oneHot = Tensor(shape: logits.shape) { p, n in
            p.initialize(repeating: 0, count: n)
            for (row, target) in targets.enumerated() {
                precondition(target >= 0 && target < classes, "cross-entropy: target \(target) not in 0..<\(classes)")
                p[row * classes + target] = 1
            }
        }
        return (logits.logSoftmax() * oneHot).sum() * (-1 / Float(targets.count))
    }
}
