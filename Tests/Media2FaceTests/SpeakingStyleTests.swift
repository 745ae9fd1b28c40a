import Foundation
import M2FEngine
import M2FFace
import Media2Face
import Testing

/// The speaking-style dials: what each scales, their mixing over time, the file keys and the flag ranges.
@Suite struct SpeakingStyleTests {
    /// One frame with the jaw, a smile, a blink and gaze set, and a head pose.
    static func frame() -> (weights: [Float], pose: [Float]) {
        var weights = [Float](repeating: 0, count: ARKit.count)
        weights[ARKitBlendshape.jawOpen.index] = 0.3
        weights[ARKitBlendshape.mouthClose.index] = 0.6
        weights[ARKitBlendshape.mouthSmileLeft.index] = 0.4
        weights[ARKitBlendshape.browInnerUp.index] = 0.2
        weights[ARKitBlendshape.eyeBlinkLeft.index] = 0.9
        weights[ARKitBlendshape.eyeLookUpLeft.index] = 0.5
        return (weights, [0.1, -0.05, 0.02, 0.01, 0, 0])
    }

    @Test func articulationScalesTheSpeechChannelsOnly() {
        var (weights, pose) = Self.frame()
        SpeakingStyle.apply([SpeakingStyle(articulation: 2)], weights: &weights, pose: &pose)
        #expect(weights[ARKitBlendshape.jawOpen.index] == 0.6)
        #expect(weights[ARKitBlendshape.mouthClose.index] == 1, "clamped to the ARKit range")
        #expect(weights[ARKitBlendshape.mouthSmileLeft.index] == 0.4 && weights[ARKitBlendshape.browInnerUp.index] == 0.2)
        #expect(weights[ARKitBlendshape.eyeBlinkLeft.index] == 0.9 && weights[ARKitBlendshape.eyeLookUpLeft.index] == 0.5)
        #expect(pose == Self.frame().pose)
    }

    @Test func energyScalesExpressionArticulationAndHeadButNotBlinksOrGaze() {
        var (weights, pose) = Self.frame()
        SpeakingStyle.apply([SpeakingStyle(articulation: 1, energy: 0.5, headMotion: 1)], weights: &weights, pose: &pose)
        #expect(abs(weights[ARKitBlendshape.jawOpen.index] - 0.15) < 1e-6)
        #expect(abs(weights[ARKitBlendshape.mouthSmileLeft.index] - 0.2) < 1e-6)
        #expect(abs(weights[ARKitBlendshape.browInnerUp.index] - 0.1) < 1e-6)
        #expect(weights[ARKitBlendshape.eyeBlinkLeft.index] == 0.9 && weights[ARKitBlendshape.eyeLookUpLeft.index] == 0.5)
        #expect(zip(pose, Self.frame().pose).allSatisfy { abs($0 - 0.5 * $1) < 1e-7 })
    }

    @Test func headMotionZeroIsAStillHeadFacingTheCamera() {
        var (weights, pose) = Self.frame()
        SpeakingStyle.apply([SpeakingStyle(headMotion: 0)], weights: &weights, pose: &pose)
        #expect(pose.allSatisfy { $0 == 0 })
        #expect(weights == Self.frame().weights)
    }

    @Test func timelineDialsFollowTheSegmentsAndTheirFades() throws {
        let loud = SpeakingStyle(articulation: 2, energy: 1.5, headMotion: 3)
        let timeline = try StyleTimeline(segments: [StyleSegment(start: 0, end: 1, fade: 0.4, condition: .none, speaking: loud)],
                                         frameCount: 60, fps: 30)
        let dials = try #require(timeline.speaking)
        #expect(dials[0] == loud && dials[59] == .neutral)
        let articulation = dials.map(\.articulation)
        #expect(zip(articulation, articulation.dropFirst()).allSatisfy { $1 <= $0 + 1e-6 }, "falls from 2 to 1 across the fade")
        #expect(articulation[30] > 1.2 && articulation[30] < 1.8)
        #expect(!timeline.hasStyle, "dials alone add no style token")
        let plain = try StyleTimeline(segments: [StyleSegment(start: 0, end: 1, condition: .emotion(.happy, intensity: 1))], frameCount: 60, fps: 30)
        #expect(plain.speaking == nil)
        #expect(throws: DiffusionError.self) {
            try StyleTimeline(segments: [StyleSegment(start: 0, end: 1, condition: .none, speaking: SpeakingStyle(articulation: .nan))], frameCount: 30, fps: 30)
        }
    }

    @Test func timelineFileReadsDialsAloneOrWithAStyle() throws {
        let file = try StyleTimelineFile.parse(Data("""
            {"segments": [{"start": 0, "end": 2, "articulation": 0.5},
                          {"start": 2, "end": 4, "emotion": "happy", "headMotion": 3, "energy": 1.5}]}
            """.utf8), file: "t.json")
        #expect(file.segments[0].style == .none && file.segments[0].speaking == SpeakingDials(articulation: 0.5))
        #expect(file.segments[1].speaking == SpeakingDials(energy: 1.5, headMotion: 3))
        for (json, named) in [(#"[{"start": 0, "end": 2, "energy": 5}]"#, "segments[0].energy"),
                              (#"[{"start": 0, "end": 2, "headMotion": "big"}]"#, "segments[0].headMotion"),
                              (#"[{"start": 0, "end": 2}]"#, "segments[0]")] {
            do {
                _ = try StyleTimelineFile.parse(Data(json.utf8), file: "t.json")
                Issue.record("\(json) was accepted")
            } catch {
                #expect(error.localizedDescription.contains("t.json") && error.localizedDescription.contains(named), "\(error.localizedDescription)")
            }
        }
    }

    @Test func dialFlagsOutOfRangeAreRefusedByName() {
        for (dials, flag) in [(SpeakingDials(articulation: 2.5), "--articulation"), (SpeakingDials(energy: -1), "--energy"),
                              (SpeakingDials(headMotion: .infinity), "--head-motion")] {
            var options = AnimationOptions()
            options.speaking = dials
            do {
                try options.validate()
                Issue.record("\(dials) was accepted")
            } catch {
                #expect(error.localizedDescription.contains(flag), "\(error.localizedDescription)")
            }
        }
        var fine = AnimationOptions()
        fine.speaking = SpeakingDials(articulation: 0, energy: 2, headMotion: 4)
        #expect(throws: Never.self) { try fine.validate() }
    }

    @Test func explicitDialsOverrideTheTextsOnly() {
        let fromText = SpeakingStyle(articulation: 0.5, energy: 0.7, headMotion: 0.7)
        #expect(SpeakingDials(energy: 1.2).overriding(fromText) == SpeakingStyle(articulation: 0.5, energy: 1.2, headMotion: 0.7))
        #expect(SpeakingDials(articulation: 2).over(SpeakingDials(articulation: 1, energy: 0.5)) == SpeakingDials(articulation: 2, energy: 0.5))
    }
}
