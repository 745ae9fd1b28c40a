import M2FEngine
import M2FTestSupport
import Media2Face
import Testing

/// With the neutral rest, `neutral` is the rest itself: at any intensity, alone, as a blend or as a
/// segment of a timeline, it gives the no-style output bit for bit, and a timeline's uncovered time is
/// the calm face, not the null token's (issue 17, "controls that do what they say").
@Suite struct NeutralRestTests {
    static let options = DiffusionSamplerTests.options

    static func motion(_ style: [StyleSegment], options: GenerationOptions = Self.options) throws -> GeneratedMotion {
        try DiffusionSamplerTests.generator().generate(audioFeatures: DiffusionSamplerTests.audio, style: style, options: options)
    }

    static func whole(_ condition: StyleCondition) -> [StyleSegment] {
        [StyleSegment(start: 0, end: 100.0 / 30, fade: 0, condition: condition)]
    }

    @Test("neutral at any intensity, or a blend of neutral parts, is no style bit for bit")
    func neutralIsNoStyle() throws {
        for asTrained in [false, true] {
            var options = Self.options
            options.emotionIntensityAsTrained = asTrained
            let none = try Self.motion([], options: options)
            let calm: [StyleCondition] = [.emotion(.neutral, intensity: 0), .emotion(.neutral, intensity: 0.3), .emotion(.neutral, intensity: 1),
                                          .blend([WeightedStyle(.emotion(.neutral, intensity: 1), weight: 0.6)])]
            for condition in calm {
                let styled = try Self.motion(Self.whole(condition), options: options)
                #expect(styled.weights.toArray() == none.weights.toArray(), "\(condition), intensity as trained \(asTrained)")
                #expect(styled.headPose.toArray() == none.headPose.toArray(), "\(condition), intensity as trained \(asTrained)")
            }
        }
    }

    /// A timeline whose only segment is neutral rests everywhere; before, the time it left uncovered
    /// went to the null token (the average face of every style in training) at full strength.
    @Test("a neutral segment, and the time around it, is the calm face")
    func neutralSegmentIsTheRest() throws {
        let none = try Self.motion([])
        let segment = try Self.motion([StyleSegment(start: 0.5, end: 2, fade: 0.5, condition: .emotion(.neutral, intensity: 1))])
        #expect(segment.weights.toArray() == none.weights.toArray())
    }

    /// Happy for the first second, then nothing or neutral: the same animation (the rest is the rest,
    /// whatever it is called); and the push away from the rest still shows where happy is.
    @Test("uncovered time and a neutral segment after a style are the same rest")
    func uncoveredTimeRestsOnNeutral() throws {
        let happy = StyleSegment(start: 0, end: 1, fade: 0.4, condition: .emotion(.happy, intensity: 1))
        let alone = try Self.motion([happy])
        let thenNeutral = try Self.motion([happy, StyleSegment(start: 1, end: 100.0 / 30, fade: 0.4, condition: .emotion(.neutral, intensity: 0.5))])
        #expect(Closeness.maxAbsoluteError(alone.weights, thenNeutral.weights) <= 1e-5)
        let none = try Self.motion([])
        #expect(Closeness.maxAbsoluteError(alone.weights, none.weights) > 1e-3, "happy should move the face")
    }

    @Test("fades between a style and the rest lower the strength, not the token")
    func fadeIntoTheRest() throws {
        let happy = StyleCondition.emotion(.happy, intensity: 1)
        let timeline = try StyleTimeline(segments: [StyleSegment(start: 0, end: 1, fade: 0.5, condition: happy)], frameCount: 60, fps: 30)
        let guidance = StyleGuidance(timeline: timeline, intensityInGuidance: true, neutralRest: true)
        let weights = timeline.weights.toArray(), tokenWeights = guidance.tokenWeights.toArray(), strengths = guidance.strengths!.toArray()
        #expect(guidance.tokenConditions == [happy, .emotion(.neutral, intensity: 0)])
        for frame in 0..<60 {
            #expect(abs(strengths[frame] - weights[frame * 2] * StyleTimeline.guidanceStrength(.happy, intensity: 1)) < 1e-6)
            #expect(tokenWeights[frame * 2] == (weights[frame * 2] > 0 ? 1 : 0), "frame \(frame): the pushing token is happy's alone")
        }
        // The null rest keeps the old mixing: no style pushes with strength 1 and the null token.
        let null = StyleGuidance(timeline: timeline, intensityInGuidance: true, neutralRest: false)
        #expect(null.tokenConditions == [happy, .none] && null.strengths!.toArray() == timeline.strengths.toArray())
    }
}
