import M2FEngine

/// An exponential moving average of a module's weights, kept as separate shadow copies:
/// shadow ← decay · shadow + (1 − decay) · weight after each `update()`.
///
/// The shadows start as copies of the weights. `copyToModel()` writes them into the tracked
/// parameters; `copy(to:)` into another module with the same keys (e.g. an evaluation copy).
public final class ExponentialMovingAverage {
    /// Weight of the old average, in [0, 1). Typical values 0.999–0.9999.
    public let decay: Float
    /// Number of `update()` calls so far.
    public private(set) var updateCount = 0
    private let keys: [String]
    private let parameters: [Parameter]
    private let shadows: [Tensor]

    public init(_ module: any Module, decay: Float) {
        precondition(decay >= 0 && decay < 1, "EMA decay \(decay) not in [0, 1)")
        self.decay = decay
        let named = module.namedParameters()
        keys = named.map(\.key)
        parameters = named.map(\.parameter)
        shadows = parameters.map { $0.snapshot() }
    }

    /// Moves every shadow towards the current weights (in place, not recorded).
    public func update() {
        let (d, rest) = (decay, 1 - decay)
        for (parameter, shadow) in zip(parameters, shadows) {
            let pw = parameter.value.basePointer, ps = shadow.basePointer
            Parallel.forRanges(shadow.count, minimumPerWorker: 65_536) { range in
                for i in range { ps[i] = d * ps[i] + rest * pw[i] }
            }
        }
        updateCount += 1
    }

    /// The averaged weights by dotted key (live views of the shadows), e.g. for saving.
    public func shadowTensors() -> [String: Tensor] {
        Dictionary(uniqueKeysWithValues: zip(keys, shadows))
    }

    /// Overwrites the tracked module's weights with the averages.
    public func copyToModel() {
        for (parameter, shadow) in zip(parameters, shadows) { parameter.assign(shadow) }
    }

    /// Loads the averages into `module`, strictly by key (see `Module.loadParameters`).
    public func copy(to module: any Module) throws {
        try module.loadParameters(shadowTensors(), source: "exponential moving average")
    }
}
