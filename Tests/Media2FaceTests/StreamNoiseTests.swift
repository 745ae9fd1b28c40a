import M2FEngine
import Testing
import Media2Face

/// A stream's initial noise is the offline sampler's for the same seed, row by absolute frame, however
/// the rows are asked for and forgotten.
struct StreamNoiseTests {
    @Test func rowsAreTheOfflineNoiseOfTheSameFrames() {
        let (frames, width) = (40, 22)
        var generator = RandomGenerator(seed: 7)
        let offline = Tensor.randomNormal([frames, width], generator: &generator).toArray()
        var noise = FrameNoise(seed: 7, width: width)
        // Windows as a stream asks for them: overlapping, moving on, older rows forgotten.
        for (window, forgetBefore) in [(0..<9, 0), (0..<12, 3), (3..<15, 6), (6..<33, 20), (20..<40, 40)] {
            let rows = noise.rows(window)
            #expect(rows.shape == [window.count, width])
            #expect(rows.toArray() == Array(offline[(window.lowerBound * width)..<(window.upperBound * width)]), "window \(window)")
            noise.forget(before: forgetBefore)
        }
        // Forgetting past the rows drawn so far keeps the generator in step.
        var skipping = FrameNoise(seed: 7, width: width)
        skipping.forget(before: 30)
        #expect(skipping.rows(30..<40).toArray() == Array(offline[(30 * width)...]))
    }
}
