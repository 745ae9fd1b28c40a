import Foundation
import M2FEngine

/// Hyper-parameters of `AdamW`, with PyTorch's defaults.
public struct AdamWConfiguration: Codable, Sendable, Equatable {
    /// Step size. Default 1e-3.
    public var learningRate: Float
    /// Decay of the first-moment average. Default 0.9.
    public var beta1: Float
    /// Decay of the second-moment average. Default 0.999.
    public var beta2: Float
    /// Added to the denominator. Default 1e-8.
    public var epsilon: Float
    /// Decoupled weight decay: each step multiplies weights by 1 − lr·weightDecay. Default 0.01.
    public var weightDecay: Float

    public init(learningRate: Float = 1e-3, beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8,
                weightDecay: Float = 0.01) {
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.weightDecay = weightDecay
    }
}

/// Adam with decoupled weight decay, matching `torch.optim.AdamW` (bias-corrected moments, no AMSGrad).
///
/// For each parameter p with gradient g at its step t (counted per parameter, from 1):
/// ```
/// p ← p · (1 − lr·λ)
/// m ← β1·m + (1 − β1)·g;  v ← β2·v + (1 − β2)·g²
/// p ← p − lr / (1 − β1ᵗ) · m / (√v / √(1 − β2ᵗ) + ε)
/// ```
/// Parameters without a gradient are skipped (their step count does not advance). Updates are written
/// in place into the parameters' storage and are not recorded on the autograd tape.
public final class AdamW {
    public var configuration: AdamWConfiguration
    private let keys: [String]
    private let parameters: [Parameter]
    private var decays: [Bool]
    private var firstMoments: [Tensor]
    private var secondMoments: [Tensor]
    private var steps: [Int]

    /// The learning rate used by the next `step()` (set it from a schedule each step).
    public var learningRate: Float {
        get { configuration.learningRate }
        set { configuration.learningRate = newValue }
    }

    /// Optimises `parameters`, all with weight decay (state keys are their positions: `0.exp_avg`, …).
    public convenience init(parameters: [Parameter], configuration: AdamWConfiguration = AdamWConfiguration()) {
        self.init(keys: parameters.indices.map { "\($0)" }, parameters: parameters, configuration: configuration)
    }

    private init(keys: [String], parameters: [Parameter], configuration: AdamWConfiguration) {
        self.keys = keys
        self.configuration = configuration
        self.parameters = parameters
        self.decays = Array(repeating: true, count: parameters.count)
        self.firstMoments = parameters.map { Tensor.zeros($0.shape) }
        self.secondMoments = parameters.map { Tensor.zeros($0.shape) }
        self.steps = Array(repeating: 0, count: parameters.count)
    }

    /// Optimises a module's parameters; those whose dotted key fails `decayWhere` get no weight decay
    /// (commonly biases and norms: `{ !$0.hasSuffix("bias") && !$0.contains("norm") }`).
    public convenience init(namedParameters: [(key: String, parameter: Parameter)],
                            configuration: AdamWConfiguration = AdamWConfiguration(),
                            decayWhere: (String) -> Bool) {
        self.init(keys: namedParameters.map(\.key), parameters: namedParameters.map(\.parameter), configuration: configuration)
        decays = namedParameters.map { decayWhere($0.key) }
    }

    /// Number of updates applied to the parameter at `index` (in the order given at init).
    public func stepCount(ofParameterAt index: Int) -> Int { steps[index] }

    /// Applies one update to every parameter that has a gradient.
    public func step() {
        let c = configuration
        for index in parameters.indices {
            let parameter = parameters[index]
            guard let gradient = parameter.grad else { continue }
            precondition(gradient.shape == parameter.shape, "gradient \(gradient.shape) for parameter \(parameter.shape)")
            steps[index] += 1
            let t = Double(steps[index])
            let biasCorrection1 = 1 - Foundation.pow(Double(c.beta1), t)
            let biasCorrection2Root = Foundation.sqrt(1 - Foundation.pow(Double(c.beta2), t))
            let stepSize = Float(Double(c.learningRate) / biasCorrection1)
            let inverseCorrection2Root = Float(1 / biasCorrection2Root)
            let applyDecay = decays[index]
            let decayFactor = applyDecay ? 1 - c.learningRate * c.weightDecay : 1
            let (beta1, beta2, epsilon) = (c.beta1, c.beta2, c.epsilon)
            let g = withoutGrad { gradient.detached().contiguous() }
            let (m, v) = (firstMoments[index], secondMoments[index])
            withExtendedLifetime(g) {
                let pp = parameter.value.basePointer, pg = g.basePointer
                let pm = m.basePointer, pv = v.basePointer
                Parallel.forRanges(parameter.count, minimumPerWorker: 65_536) { range in
                    for i in range {
                        let gi = pg[i]
                        pm[i] += (gi - pm[i]) * (1 - beta1)
                        pv[i] = pv[i] * beta2 + (1 - beta2) * gi * gi
                        let denominator = pv[i].squareRoot() * inverseCorrection2Root + epsilon
                        pp[i] = pp[i] * decayFactor - stepSize * pm[i] / denominator
                    }
                }
            }
        }
    }

    /// The optimiser state for saving a training run: `<key>.exp_avg`, `<key>.exp_avg_sq` (each the
    /// parameter's shape) and `<key>.step` (a scalar), where `<key>` is the parameter's dotted key.
    public func stateTensors() -> [String: Tensor] {
        var result: [String: Tensor] = [:]
        for index in parameters.indices {
            result[keys[index] + ".exp_avg"] = firstMoments[index]
            result[keys[index] + ".exp_avg_sq"] = secondMoments[index]
            result[keys[index] + ".step"] = Tensor(scalar: Float(steps[index]))
        }
        return result
    }

    /// Restores a state saved by `stateTensors()`, strictly (missing, unused and mis-shaped tensors throw).
    public func loadState(_ tensors: [String: Tensor], source: String) throws {
        var expected: [(key: String, shape: [Int])] = []
        for index in parameters.indices {
            let shape = parameters[index].shape
            expected += [(keys[index] + ".exp_avg", shape), (keys[index] + ".exp_avg_sq", shape), (keys[index] + ".step", [])]
        }
        let missing = expected.map(\.key).filter { tensors[$0] == nil }
        if !missing.isEmpty { throw EngineError.missingKeys(path: source, keys: missing) }
        let known = Set(expected.map(\.key))
        let unused = tensors.keys.filter { !known.contains($0) }.sorted()
        if !unused.isEmpty { throw EngineError.unusedKeys(path: source, keys: unused) }
        for (key, shape) in expected where tensors[key]!.shape != shape {
            throw EngineError.parameterShapeMismatch(path: source, key: key, expected: shape, actual: tensors[key]!.shape)
        }
        for index in parameters.indices {
            firstMoments[index] = Parameter.copy(of: tensors[keys[index] + ".exp_avg"]!)
            secondMoments[index] = Parameter.copy(of: tensors[keys[index] + ".exp_avg_sq"]!)
            steps[index] = Int(tensors[keys[index] + ".step"]!.item())
        }
    }

    /// Forgets the gradients of all optimised parameters.
    public func zeroGrad() {
        for parameter in parameters { parameter.zeroGrad() }
    }
}
