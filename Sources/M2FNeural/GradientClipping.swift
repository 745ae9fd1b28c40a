import Foundation
import M2FEngine

/// Scales all gradients together so their global L2 norm is at most `maxNorm`, like PyTorch's
/// `clip_grad_norm_` (coefficient maxNorm / (norm + 1e-6), applied only when below 1).
///
/// Parameters without a gradient are ignored. When the norm is not finite the gradients are left
/// untouched, so the caller can skip the step.
/// - Returns: the global norm before clipping.
@discardableResult
public func clipGradientNorm(_ parameters: [Parameter], maxNorm: Float) -> Float {
    precondition(maxNorm > 0, "maxNorm \(maxNorm) must be positive")
    var total: Double = 0
    for parameter in parameters {
        guard let gradient = parameter.grad else { continue }
        let g = withoutGrad { gradient.detached().contiguous() }
        withExtendedLifetime(g) {
            let p = g.basePointer
            var sum: Double = 0
            for i in 0..<g.count { sum += Double(p[i]) * Double(p[i]) }
            total += sum
        }
    }
    let norm = Float(total.squareRoot())
    guard norm.isFinite else { return norm }
    let coefficient = maxNorm / (norm + 1e-6)
    if coefficient < 1 {
        for parameter in parameters {
            guard let gradient = parameter.grad else { continue }
            parameter.setGradient(withoutGrad { gradient.detached() * coefficient })
        }
    }
    return norm
}
