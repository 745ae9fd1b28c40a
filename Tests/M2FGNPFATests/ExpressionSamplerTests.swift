import GNPFATraining
import M2FEngine
import M2FFace
import Testing
import M2FGNPFA

@Suite("FACS expression sampler")
struct ExpressionSamplerTests {
    @Test func framesAreValidAndCoverEveryChannel() {
        var sampler = ExpressionSampler(seed: 5)
        let frames = sampler.batch(3000).toArray()
        #expect(frames.allSatisfy { $0 >= 0 && $0 <= 1 })
        for k in 0..<52 {
            let active = stride(from: k, to: frames.count, by: 52).filter { frames[$0] > 0.05 }.count
            #expect(active >= 10, "channel \(ARKit.names[k]) active in only \(active) of 3000 frames")
        }
        // mouthClose never exceeds jawOpen (lips closed against an open jaw).
        for f in 0..<3000 {
            #expect(frames[f * 52 + ARKitBlendshape.mouthClose.index] <= frames[f * 52 + ARKitBlendshape.jawOpen.index])
        }
    }

    @Test func reproducibleFromSeed() {
        var a = ExpressionSampler(seed: 11), b = ExpressionSampler(seed: 11), c = ExpressionSampler(seed: 12)
        let x = a.batch(20).toArray()
        #expect(x == b.batch(20).toArray())
        #expect(x != c.batch(20).toArray())
    }
}
