import Foundation
import M2FFace
import Media2Face
import Testing

/// How a prompt's neighbours become one push away from the calm rest (`StylePromptReader.emotionalPush`).
@Suite struct PromptReadingTests {
    @Test func theStrongestEmotionPushesAsFarAsTheNeighboursAsk() throws {
        // Neighbours: surprised 0.5 at intensity 0.65, fearful 0.3 at 1, sad 0.2 at 0.35 (mean intensities).
        let weights: [Emotion: Float] = [.surprised: 0.5, .fearful: 0.3, .sad: 0.2]
        let intensities: [Emotion: Float] = [.surprised: 0.5 * 0.65, .fearful: 0.3 * 1, .sad: 0.2 * 0.35]
        let push = try #require(StylePromptReader.emotionalPush(weights: weights, intensities: intensities, confidence: 1))
        let e = IntensityCalibration.targetExponent
        let share = 0.5 * pow(0.65, e) + 0.3 + 0.2 * pow(0.35, e)
        #expect(push.emotion == .surprised)
        #expect(abs(push.intensity - pow(share, 1 / e)) < 1e-5)
        // Asked for that share, `--emotion surprised` at this intensity gives it: I^0.7 = share.
        #expect(abs(pow(push.intensity, e) - share) < 1e-5)
        let unsure = try #require(StylePromptReader.emotionalPush(weights: weights, intensities: intensities, confidence: 0.5))
        #expect(abs(pow(unsure.intensity, e) - 0.5 * share) < 1e-5)
    }

    @Test func neutralAndDialNeighboursPushNowhere() throws {
        #expect(StylePromptReader.emotionalPush(weights: [.neutral: 0.9], intensities: [.neutral: 0.9], confidence: 1) == nil)
        #expect(StylePromptReader.emotionalPush(weights: [:], intensities: [:], confidence: 1) == nil)
        // Half the weight on calm anchors (the rest is dial-only anchors): half the share of a lone happy one.
        let alone = try #require(StylePromptReader.emotionalPush(weights: [.happy: 1], intensities: [.happy: 1], confidence: 1))
        let diluted = try #require(StylePromptReader.emotionalPush(weights: [.happy: 0.5, .neutral: 0.3], intensities: [.happy: 0.5, .neutral: 0.3], confidence: 1))
        #expect(alone.emotion == .happy && alone.intensity == 1)
        // Below the confidence floor: intensity 0, which is no style (strength 0), never an invalid blend.
        let unknown = try #require(StylePromptReader.emotionalPush(weights: [.sad: 0.7], intensities: [.sad: 0.7], confidence: 0))
        #expect(unknown.intensity == 0 && StyleTimeline.guidanceStrength(unknown.emotion, intensity: unknown.intensity) == 0)
        #expect(diluted.emotion == .happy && abs(pow(diluted.intensity, IntensityCalibration.targetExponent) - 0.5) < 1e-5)
    }
}
