import Foundation
import M2FEngine
import M2FNeural
import Testing

/// `loadParameters` is strict: missing, unused and mis-shaped tensors throw, naming the dotted key.
@Suite struct StrictLoadingTests {
    private func makeBlock(seed: UInt64) -> TransformerEncoderBlock {
        var g = RandomGenerator(seed: seed)
        return TransformerEncoderBlock(TransformerBlockConfiguration(width: 8, numHeads: 2), generator: &g)
    }

    @Test func roundTripCopiesEveryValue() throws {
        let source = makeBlock(seed: 1)
        let target = makeBlock(seed: 2)
        try target.loadParameters(source.parameterTensors(), source: "memory")
        for ((k1, p1), (k2, p2)) in zip(source.namedParameters(), target.namedParameters()) {
            #expect(k1 == k2)
            #expect(p1.value.toArray() == p2.value.toArray())
        }
        // Loading copies: the source's storage is not shared.
        let x = Helpers.random([1, 3, 8], seed: 3)
        #expect(source(x).toArray() == target(x).toArray())
        source.norm1.weight!.assign(.zeros([8]))
        #expect(target.norm1.weight!.value.toArray() == [Float](repeating: 1, count: 8))
    }

    @Test func missingKeyThrowsWithItsPath() {
        var tensors = makeBlock(seed: 1).parameterTensors()
        tensors["self_attn.k_proj.bias"] = nil
        #expect(throws: EngineError.missingKeys(path: "ckpt.safetensors", keys: ["self_attn.k_proj.bias"])) {
            try makeBlock(seed: 2).loadParameters(tensors, source: "ckpt.safetensors")
        }
    }

    @Test func unusedKeyThrowsWithItsPath() {
        var tensors = makeBlock(seed: 1).parameterTensors()
        tensors["mlp.fc3.weight"] = .zeros([2])
        do {
            try makeBlock(seed: 2).loadParameters(tensors, source: "ckpt.safetensors")
            Issue.record("expected an error")
        } catch {
            #expect(error as? EngineError == .unusedKeys(path: "ckpt.safetensors", keys: ["mlp.fc3.weight"]))
            #expect(error.localizedDescription.contains("mlp.fc3.weight"))
        }
    }

    @Test func misShapedTensorNamesKeyAndBothShapes() {
        var tensors = makeBlock(seed: 1).parameterTensors()
        tensors["mlp.fc1.weight"] = .zeros([32, 7])
        let target = makeBlock(seed: 2)
        let before = target.norm1.weight!.value.toArray()
        do {
            try target.loadParameters(tensors, source: "ckpt.safetensors")
            Issue.record("expected an error")
        } catch {
            #expect(error as? EngineError == .parameterShapeMismatch(
                path: "ckpt.safetensors", key: "mlp.fc1.weight", expected: [32, 8], actual: [32, 7]))
            let message = error.localizedDescription
            #expect(message.contains("mlp.fc1.weight") && message.contains("[32, 7]") && message.contains("[32, 8]"))
        }
        // Nothing is written when any check fails.
        #expect(target.norm1.weight!.value.toArray() == before)
    }

    @Test func safetensorsFileRoundTrip() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("m2f-neural-\(UInt64.random(in: 0...UInt64.max)).safetensors").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let source = makeBlock(seed: 1)
        try source.saveParameters(to: path)
        let target = makeBlock(seed: 2)
        try target.loadParameters(contentsOf: path)
        let x = Helpers.random([1, 3, 8], seed: 3)
        #expect(source(x).toArray() == target(x).toArray())
        // The loaded values live in the parameters' own storage, not in the file mapping: they stay writable.
        target.mlp.fc1.weight.assign(.zeros([32, 8]))
        #expect(target.mlp.fc1.weight.value.toArray().allSatisfy { $0 == 0 })
    }

    @Test func parameterCopiesViews() {
        let base = Tensor([1, 2, 3, 4], shape: [2, 2])
        let parameter = Parameter(base.transposed(0, 1))
        #expect(parameter.value.toArray() == [1, 3, 2, 4])
        parameter.assign(.zeros([2, 2]))
        #expect(base.toArray() == [1, 2, 3, 4])
        #expect(parameter.value.requiresGrad)
    }
}
