import M2FEngine
import M2FNeural
import Testing

/// Training mode reaches every module; dropout acts only in training and is reproducible from the seed.
@Suite struct DropoutTests {
    private func makeEncoder() -> TransformerEncoder {
        var g = RandomGenerator(seed: 3)
        let block = TransformerBlockConfiguration(width: 8, numHeads: 2, dropout: 0.5)
        return TransformerEncoder(TransformerStackConfiguration(block: block, numLayers: 2), generator: &g)
    }

    @Test func trainAndEvalReachEveryModule() {
        let encoder = makeEncoder()
        #expect(!encoder.layers[1].dropout.isTraining)
        encoder.train()
        #expect(encoder.isTraining && encoder.layers[1].dropout.isTraining && encoder.layers[0].mlp.fc1.isTraining)
        encoder.eval()
        #expect(!encoder.layers[0].dropout.isTraining)
    }

    @Test func activeOnlyInTrainingAndSeeded() {
        let x = Helpers.random([2, 4, 8], seed: 1)
        let a = makeEncoder()
        let b = makeEncoder()
        let evalOut = a(x).toArray()
        a.train()
        b.train()
        let trainA = a(x).toArray()
        #expect(trainA != evalOut)
        #expect(trainA == b(x).toArray())
        a.eval()
        #expect(a(x).toArray() == evalOut)
    }

    @Test func zeroesAboutHalfAndRescales() {
        let dropout = Dropout(probability: 0.5, seed: 11)
        dropout.train()
        let y = dropout(.ones([10_000])).toArray()
        let kept = y.filter { $0 != 0 }
        #expect(kept.allSatisfy { $0 == 2 })
        #expect(Swift.abs(Float(kept.count) / 10_000 - 0.5) < 0.03)
    }
}
