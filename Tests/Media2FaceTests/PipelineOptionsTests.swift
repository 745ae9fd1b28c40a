import Foundation
import Media2Face
import Testing

/// Run options and configuration are checked before any work, with the allowed range in the message.
struct PipelineOptionsTests {
    /// 10 steps, guidance 0.5 / 1 (chosen on the validation split, not the paper's 2.5 / 1.5), head pose
    /// on; the pipeline and the sampler share them.
    @Test func defaultsAreTheMeasuredOnes() throws {
        let options = AnimationOptions()
        #expect(options.audioGuidance == 0.5 && options.styleGuidance == 1 && options.steps == 10 && options.headPose)
        #expect(SamplingOptions().audioGuidance == options.audioGuidance && SamplingOptions().styleGuidance == options.styleGuidance
                && SamplingOptions().steps == options.steps)
        try options.validate()
        try Media2FacePipelineConfiguration().validate()
    }

    @Test(arguments: [(Float(-1), Float(1.5)), (2.5, 25), (.nan, 1.5), (2.5, .infinity)])
    func outOfRangeGuidance(audio: Float, style: Float) {
        #expect {
            try AnimationOptions(audioGuidance: audio, styleGuidance: style).validate()
        } throws: { error in
            guard case let .invalidOption(name, _, allowed) = error as? PipelineError else { return false }
            return name.hasSuffix("-guidance") && allowed.contains("0 … 20")
        }
    }

    @Test func outOfRangeSteps() {
        #expect(throws: PipelineError.self) { try AnimationOptions(steps: 0).validate() }
        #expect(throws: PipelineError.self) { try AnimationOptions(steps: 501).validate(maximumSteps: 500) }
        #expect(throws: Never.self) { try AnimationOptions(steps: 500).validate(maximumSteps: 500) }
    }

    @Test func configurationRoundTripsThroughJSON() throws {
        let configuration = Media2FacePipelineConfiguration(modelDirectory: "Models/media2face", chunkSeconds: 120)
        let data = try JSONEncoder().encode(configuration)
        #expect(try JSONDecoder().decode(Media2FacePipelineConfiguration.self, from: data) == configuration)
        let options = AnimationOptions(steps: 10, seed: 42, headPose: false)
        #expect(try JSONDecoder().decode(AnimationOptions.self, from: JSONEncoder().encode(options)) == options)
        #expect(throws: PipelineError.self) { try Media2FacePipelineConfiguration(chunkSeconds: 5).validate() }
        #expect(throws: PipelineError.self) { try Media2FacePipelineConfiguration(chunkSeconds: 20, chunkOverlapSeconds: 6).validate() }
    }
}
