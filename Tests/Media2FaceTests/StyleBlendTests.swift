import M2FEngine
import Media2Face
import Testing

/// A blend of conditions (how a text prompt is read through the vocabulary): its token is the weighted
/// mean of its parts' tokens, its guidance strength the weighted sum of theirs.
@Suite struct StyleBlendTests {
    @Test func blendTokenIsTheWeightedMeanOfItsParts() throws {
        var generator = RandomGenerator(seed: 7)
        let encoder = StyleEncoder(DiffusionTestHelpers.tinyConfiguration(), generator: &generator)
        let happy = StyleCondition.emotion(.happy, intensity: 1), sad = StyleCondition.emotion(.sad, intensity: 1)
        let text = StyleCondition.text(embedding: (0..<384).map { Float($0 % 7) / 7 })
        let blend = StyleCondition.blend([WeightedStyle(happy, weight: 0.1), WeightedStyle(sad, weight: 0.3), WeightedStyle(text, weight: 0.1)])
        let tokens = encoder([.none, blend, happy]).toArray()
        let parts = encoder([happy, sad, text]).toArray()
        let c = tokens.count / 3
        #expect(Array(tokens[(2 * c)...]) == Array(parts[0..<c]), "a plain condition beside a blend keeps its token")
        for i in 0..<c {
            let expected = 0.2 * parts[i] + 0.6 * parts[c + i] + 0.2 * parts[2 * c + i]   // weights normalised by their sum 0.5
            #expect(abs(tokens[c + i] - expected) < 1e-5)
        }
    }

    @Test func blendStrengthIsTheWeightedSumOfItsParts() throws {
        let blend = StyleCondition.blend([WeightedStyle(.emotion(.happy, intensity: 0.25), weight: 0.5),
                                          WeightedStyle(.emotion(.sad, intensity: 1), weight: 0.3)])
        let timeline = try StyleTimeline(segments: [StyleSegment(start: 0, end: 1, fade: 0, condition: blend)], frameCount: 30, fps: 30)
        let expected = 0.5 * StyleTimeline.guidanceStrength(.happy, intensity: 0.25) + 0.3
        #expect(abs(timeline.strengths.toArray()[0] - expected) < 1e-6)
        #expect(timeline.tokenConditions[0] == .blend([WeightedStyle(.emotion(.happy, intensity: 1), weight: 0.5),
                                                       WeightedStyle(.emotion(.sad, intensity: 1), weight: 0.3)]))
    }
}
