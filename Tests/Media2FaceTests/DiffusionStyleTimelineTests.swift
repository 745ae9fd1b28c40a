import M2FEngine
import Testing
import Media2Face

/// The style timeline: per-frame weights with gradient-mask fades.
@Suite struct DiffusionStyleTimelineTests {
    let happy = StyleCondition.emotion(.happy, intensity: 1)
    let sad = StyleCondition.emotion(.sad, intensity: 1)

    @Test func rowsSumToOneAndFadesAreGradual() throws {
        // 10 s at 30 fps: happy 0–5 s, sad 5–10 s, crossfading over 1 s around 5 s.
        let timeline = try StyleTimeline(segments: [StyleSegment(start: 0, end: 5, fade: 1, condition: happy),
                                                    StyleSegment(start: 5, end: 10, fade: 1, condition: sad)],
                                         frameCount: 300, fps: 30)
        #expect(timeline.conditions == [happy, sad, .none])
        let w = timeline.weights.toArray()
        for frame in 0..<300 { #expect(Swift.abs(w[frame * 3] + w[frame * 3 + 1] + w[frame * 3 + 2] - 1) < 1e-5) }
        #expect(w[0] == 1 && w[299 * 3 + 1] == 1)                         // clip ends keep full weight
        #expect(Swift.abs(w[150 * 3] - 0.5) < 0.05 && Swift.abs(w[150 * 3 + 1] - 0.5) < 0.05)  // middle of the fade
        let happyCurve = (0..<300).map { w[$0 * 3] }
        #expect(zip(happyCurve, happyCurve.dropFirst()).allSatisfy { $1 <= $0 + 1e-6 })   // only falls
        #expect(zip(happyCurve, happyCurve.dropFirst()).map { $0 - $1 }.max()! < 0.06)    // over ~30 frames
        #expect(timeline.hasStyle)
    }

    /// A segment cut at a window's end (a stream hop: 183/30 − 57/30 = 4.199999999999999 s of a 4.2 s
    /// window) keeps full weight to the last frame instead of fading out over its last fade/2.
    @Test func aSegmentCutAtTheWindowEndDoesNotFadeThere() throws {
        let end = 183.0 / 30 - 57.0 / 30
        #expect(end < 4.2)
        let timeline = try StyleTimeline(segments: [StyleSegment(start: 0, end: end, fade: 0.5, condition: happy)], frameCount: 126, fps: 30)
        #expect(timeline.weights.toArray()[125 * 2] == 1)
    }

    @Test func uncoveredFramesGoToTheBackground() throws {
        let timeline = try StyleTimeline(segments: [StyleSegment(start: 2, end: 3, fade: 0, condition: happy)], frameCount: 150, fps: 30)
        let w = timeline.weights.toArray()
        #expect(w[0] == 0 && w[1] == 1)             // frame 0: background (.none)
        #expect(w[75 * 2] == 1 && w[75 * 2 + 1] == 0)
        let none = try StyleTimeline(segments: [], frameCount: 10, fps: 30)
        #expect(!none.hasStyle && none.conditions == [.none])
    }

    @Test func frameTokensMixTheConditionTokens() throws {
        let timeline = try StyleTimeline(segments: [StyleSegment(start: 0, end: 1, fade: 0.5, condition: happy)], frameCount: 60, fps: 30)
        let tokens = Tensor([1, 0, 0, 1], shape: [2, 2])    // happy = (1, 0), none = (0, 1)
        let mixed = timeline.frameTokens(tokens).toArray()
        for frame in 0..<60 { #expect(Swift.abs(mixed[frame * 2] + mixed[frame * 2 + 1] - 1) < 1e-5) }
    }

    @Test func badSegmentsAreTypedErrors() {
        #expect(throws: DiffusionError.self) {
            _ = try StyleTimeline(segments: [StyleSegment(start: 3, end: 2, condition: happy)], frameCount: 10, fps: 30)
        }
        #expect(throws: DiffusionError.self) {
            _ = try StyleTimeline(segments: [StyleSegment(start: 0, end: .nan, condition: happy)], frameCount: 10, fps: 30)
        }
        #expect(throws: DiffusionError.self) {
            _ = try StyleTimeline(segments: [StyleSegment(start: 0, end: 1, fade: -1, condition: happy)], frameCount: 10, fps: 30)
        }
    }
}
