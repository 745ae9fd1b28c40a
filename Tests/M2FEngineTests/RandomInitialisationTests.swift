import M2FEngine
import Testing

/// `withoutRandomInitialisation`: zeros without drawing inside, the usual draws outside and after.
@Suite("Random initialisation switch")
struct RandomInitialisationTests {
    @Test("inside: zeros, generator untouched; after: the same draws as without the detour")
    func zerosInsideDrawsAfter() {
        var plain = RandomGenerator(seed: 3), detour = RandomGenerator(seed: 3)
        let expected = Tensor.randomNormal([4, 5], generator: &plain).toArray()
        let (normal, uniform) = withoutRandomInitialisation {
            (Tensor.randomNormal([4, 5], std: 3, generator: &detour), Tensor.randomUniform([7], lower: 1, upper: 2, generator: &detour))
        }
        #expect(normal.shape == [4, 5] && normal.toArray().allSatisfy { $0 == 0 })
        #expect(uniform.shape == [7] && uniform.toArray().allSatisfy { $0 == 0 })
        #expect(RandomInitialisation.drawsValues)
        #expect(Tensor.randomNormal([4, 5], generator: &detour).toArray() == expected)
    }
}
