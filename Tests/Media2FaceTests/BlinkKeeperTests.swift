import Foundation
import M2FFace
@testable import Media2Face
import Testing

/// `BlinkKeeper`: blinks added where the model leaves the eyes open, toward 18 per minute in all.
struct BlinkKeeperTests {
    static let fps = 30.0

    /// Rising edges of the mean eyeBlink through 0.5 (as `m2f eval` counts blinks), in frames.
    static func blinkStarts(_ animation: FaceAnimation) -> [Int] {
        let closed = (0..<animation.frameCount).map { (animation[$0, .eyeBlinkLeft] + animation[$0, .eyeBlinkRight]) / 2 >= 0.5 }
        return (1..<closed.count).filter { closed[$0] && !closed[$0 - 1] }
    }

    /// `minutes` of a face whose own blinks (4 frames closed) start every `every` frames (nil: never).
    static func face(minutes: Double, blinkingEvery every: Int?) -> FaceAnimation {
        var animation = FaceAnimation(fps: fps, frameCount: Int(minutes * 60 * fps))
        guard let every else { return animation }
        for start in stride(from: every, to: animation.frameCount - 4, by: every) {
            for f in start..<start + 4 { animation[f, .eyeBlinkLeft] = 0.9; animation[f, .eyeBlinkRight] = 0.9 }
        }
        return animation
    }

    @Test func eyesThatNeverCloseBlinkAtAHumanRate() {
        var animation = Self.face(minutes: 10, blinkingEvery: nil)
        var keeper = BlinkKeeper(seed: 3)
        keeper.apply(to: &animation)
        let starts = Self.blinkStarts(animation)
        let perMinute = Double(starts.count) / 10
        #expect((15...21).contains(perMinute), "\(perMinute) blinks per minute")
        // Not metronomic, never closer than 1.2 s; a blink shuts both eyes fully and opens them again.
        let gaps = zip(starts.dropFirst(), starts).map { Double($0 - $1) / Self.fps }
        #expect(gaps.min()! >= 1.2)
        let mean = gaps.reduce(0, +) / Double(gaps.count)
        let std = (gaps.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(gaps.count)).squareRoot()
        #expect(std / mean > 0.15, "gap spread \(std / mean)")
        let peak = (starts[0]..<starts[0] + 8).map { animation[$0, .eyeBlinkLeft] }.max()!
        #expect(peak == 1 && animation[starts[0] + 12, .eyeBlinkLeft] == 0)
        #expect(animation.weights.indices.allSatisfy { k in
            [ARKitBlendshape.eyeBlinkLeft.index, ARKitBlendshape.eyeBlinkRight.index].contains(k % ARKit.count) || animation.weights[k] == 0 })
    }

    @Test func aModelThatBlinksEnoughGetsNoneAdded() {
        let own = Self.face(minutes: 5, blinkingEvery: 90)  // 20 per minute
        var animation = own
        var keeper = BlinkKeeper(seed: 3)
        keeper.apply(to: &animation)
        // At most the first one or two, while the keeper has not yet seen the model's rate.
        #expect(keeper.added.count <= 2, "\(keeper.added)")
        // A model that blinks every 8 s gets blinks in between, toward 18 per minute.
        var sparse = Self.face(minutes: 5, blinkingEvery: 240)
        var second = BlinkKeeper(seed: 3)
        second.apply(to: &sparse)
        let perMinute = Double(Self.blinkStarts(sparse).count) / 5
        #expect((15...21).contains(perMinute), "\(perMinute) blinks per minute")
    }

    @Test func causalAndDeterministic() {
        let face = Self.face(minutes: 2, blinkingEvery: 400)
        var whole = face, again = face, other = face
        var a = BlinkKeeper(seed: 9), b = BlinkKeeper(seed: 9), c = BlinkKeeper(seed: 10)
        a.apply(to: &whole)
        b.apply(to: &again)
        c.apply(to: &other)
        #expect(whole.weights == again.weights)
        #expect(whole.weights != other.weights)
        // Frame by frame (as a stream emits them) the first half comes out as in the whole run.
        var stepwise = BlinkKeeper(seed: 9)
        for f in 0..<face.frameCount / 2 {
            var frame = Array(face.frame(f))
            stepwise.process(&frame, time: Double(f) / Self.fps)
            #expect(frame == Array(whole.frame(f)))
        }
    }

    @Test(.enabled(if: PipelineFixtures.hasTrainedModel)) func thePipelineOnlyAddsToTheEyelids() async throws {
        let pipeline = try await LoadedPipelines.trained.value
        let hello = try WAVFile.samples(of: PipelineFixtures.example)
        let samples = hello + hello + hello  // 21 s: long enough that the keeper has gaps to fill
        var options = AnimationOptions()
        let kept = try await pipeline.animate(samples: samples, source: "hello", request: AnimationRequest(audioPath: "hello", options: options)).animation
        options.addsBlinks = false
        let own = try await pipeline.animate(samples: samples, source: "hello", request: AnimationRequest(audioPath: "hello", options: options)).animation
        let eyes = [ARKitBlendshape.eyeBlinkLeft.index, ARKitBlendshape.eyeBlinkRight.index]
        #expect(kept.headPose == own.headPose)
        for k in kept.weights.indices {
            if eyes.contains(k % ARKit.count) { #expect(kept.weights[k] >= own.weights[k]) } else { #expect(kept.weights[k] == own.weights[k]) }
        }
        #expect(kept.weights != own.weights, "no blink was added in 21 s")
        #expect(Self.blinkStarts(kept).count > Self.blinkStarts(own).count)
        #expect(own.metadata["addedBlinks"] == "off" && kept.metadata["addedBlinks"] == nil)
    }
}
