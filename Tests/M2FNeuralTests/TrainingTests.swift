import M2FEngine
import M2FNeural
import Testing

/// End to end: a 2-layer transformer (width 32, 2 heads) learns to reverse a sequence of tokens with
/// AdamW, warmup + cosine, gradient clipping and EMA, deterministically from its seeds.
@Suite struct TrainingTests {
    /// Token embedding + learned positions → encoder → vocabulary logits.
    final class Reverser: Module {
        static let vocabulary = 8
        static let length = 6
        /// `embed.weight` [V, C]
        let embed: Embedding
        /// `position` [T, C]
        let position: Parameter
        /// `encoder.layers.{0,1}.*`, `encoder.norm.*`
        let encoder: TransformerEncoder
        /// `head.{weight [V, C], bias [V]}`
        let head: Linear
        var isTraining = false

        init(seed: UInt64) {
            var g = RandomGenerator(seed: seed)
            let block = TransformerBlockConfiguration(width: 32, numHeads: 2, mlpHiddenSize: 64)
            embed = Embedding(count: Self.vocabulary, dimensions: 32, generator: &g)
            position = Parameter(.randomNormal([Self.length, 32], std: 0.5, generator: &g))
            encoder = TransformerEncoder(TransformerStackConfiguration(block: block, numLayers: 2, finalNorm: true), generator: &g)
            head = Linear(inputSize: 32, outputSize: Self.vocabulary, generator: &g)
        }

        var ownParameters: [(key: String, parameter: Parameter)] { [("position", position)] }
        var children: [(key: String, module: any Module)] { [("embed", embed), ("encoder", encoder), ("head", head)] }

        /// ids [B·T] as [B, T] → logits [B·T, V]
        func callAsFunction(_ ids: [Int], batch: Int) -> Tensor {
            let x = embed(ids, shape: [batch, Self.length]) + position.value   // [B, T, C]
            return head(encoder(x)).reshaped([batch * Self.length, Self.vocabulary])
        }
    }

    /// A batch of random sequences and their reversals.
    static func batch(_ size: Int, generator: inout RandomGenerator) -> (ids: [Int], targets: [Int]) {
        var ids: [Int] = []
        var targets: [Int] = []
        for _ in 0..<size {
            let sequence = (0..<Reverser.length).map { _ in generator.nextInt(below: Reverser.vocabulary) }
            ids += sequence
            targets += sequence.reversed()
        }
        return (ids, targets)
    }

    /// Trains for `steps` and returns the final training loss and the EMA model's held-out loss.
    static func train(steps: Int) throws -> (trainLoss: Float, evalLoss: Float, initialEvalLoss: Float) {
        let model = Reverser(seed: 42)
        var data = RandomGenerator(seed: 7)
        var heldOut = RandomGenerator(seed: 99)
        let test = batch(64, generator: &heldOut)
        func evaluate(_ m: Reverser) -> Float {
            withoutGrad { Loss.crossEntropy(logits: m(test.ids, batch: 64), targets: test.targets).item() }
        }
        let initial = evaluate(model)
        let optimizer = AdamW(namedParameters: model.namedParameters(),
                              configuration: AdamWConfiguration(learningRate: 3e-3, weightDecay: 0.01),
                              decayWhere: { !$0.hasSuffix("bias") && !$0.contains("norm") })
        let schedule = WarmupCosineSchedule(peakLearningRate: 3e-3, warmupSteps: 20, totalSteps: steps, minimumLearningRate: 3e-4)
        let ema = ExponentialMovingAverage(model, decay: 0.9)
        model.train()
        var loss: Float = .nan
        for step in 0..<steps {
            let (ids, targets) = batch(32, generator: &data)
            let value = Loss.crossEntropy(logits: model(ids, batch: 32), targets: targets)
            model.zeroGrad()
            value.backward()
            clipGradientNorm(model.parameters(), maxNorm: 1)
            optimizer.learningRate = schedule.learningRate(at: step)
            optimizer.step()
            ema.update()
            loss = value.item()
        }
        let averaged = Reverser(seed: 1)
        try ema.copy(to: averaged)
        return (loss, evaluate(averaged), initial)
    }

    @Test func learnsToReverseDeterministically() throws {
        let first = try Self.train(steps: 300)
        print("reverse: initial \(first.initialEvalLoss), train \(first.trainLoss), EMA eval \(first.evalLoss)")
        #expect(first.initialEvalLoss > 1.8)     // chance is ln 8 ≈ 2.08
        #expect(first.trainLoss < 0.1)
        #expect(first.evalLoss < 0.1)
        let second = try Self.train(steps: 300)
        #expect(second.trainLoss == first.trainLoss)
        #expect(second.evalLoss == first.evalLoss)
    }
}
