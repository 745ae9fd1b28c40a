import Foundation
import Testing
import M2FFace

@Suite struct FaceAnimationTests {
    @Test func resampleKeepsDurationAndInterpolates() throws {
        var animation = FaceAnimation(fps: 30, frameCount: 31)
        for f in 0..<31 { animation[f, .jawOpen] = Float(f) / 30 }
        let up = try animation.resampled(to: 60)
        #expect(up.frameCount == 62)
        #expect(up.fps == 60)
        #expect(abs(up[1, .jawOpen] - 0.5 / 30) < 1e-6)
        #expect(abs(up[60, .jawOpen] - 1) < 1e-6)
        let down = try animation.resampled(to: 15)
        #expect(down.frameCount == 16)
        #expect(abs(down[2, .jawOpen] - 4 / 30) < 1e-6)
        #expect(throws: FaceError.self) { try animation.resampled(to: 0) }
    }

    @Test func trimAndConcat() throws {
        let a = makeAnimation(frames: 20, seed: 1)
        let b = makeAnimation(frames: 10, seed: 2)
        let middle = try a.trimmed(frames: 5..<15)
        #expect(middle.frameCount == 10)
        #expect(Array(middle.frame(0)) == Array(a.frame(5)))
        #expect(middle.headPose[9] == a.headPose[14])
        let joined = try a.concatenated(with: b)
        #expect(joined.frameCount == 30)
        #expect(Array(joined.frame(25)) == Array(b.frame(5)))
        #expect(joined.eyePose?.count == 30)
        let bySeconds = try a.trimmed(seconds: 0.1, to: 0.5)
        #expect(bySeconds.frameCount == 12)
        #expect(throws: FaceError.self) { try a.trimmed(frames: 10..<25) }
        // Different rates: the tail is resampled to the head's rate.
        let fast = try b.resampled(to: 60)
        #expect(try a.concatenated(with: fast).frameCount == 30)
    }

    @Test func validationClampsAndCounts() throws {
        var animation = FaceAnimation(fps: 30, frameCount: 3)
        animation[0, .jawOpen] = 1.5
        animation[1, .jawOpen] = -0.2
        animation[2, .eyeBlinkLeft] = 0.5
        let (clean, report) = try animation.validated()
        #expect(report.clampedCount == 2)
        #expect(report.clampedPerShape[ARKitBlendshape.jawOpen.index] == 2)
        #expect(clean[0, .jawOpen] == 1)
        #expect(clean[1, .jawOpen] == 0)
        #expect(clean[2, .eyeBlinkLeft] == 0.5)
    }

    @Test func validationRejectsNaNWithFrameAndChannel() {
        var animation = FaceAnimation(fps: 30, frameCount: 5)
        animation[3, .mouthPucker] = .nan
        #expect(throws: FaceError.nonFinite(frame: 3, channel: "mouthPucker")) { try animation.validated() }
        var pose = FaceAnimation(fps: 30, frameCount: 5)
        pose.headPose[2].pitch = .infinity
        #expect(throws: FaceError.nonFinite(frame: 2, channel: "headPitch")) { try pose.validated() }
        let message = FaceError.nonFinite(frame: 3, channel: "mouthPucker").localizedDescription
        #expect(message.contains("frame 3") && message.contains("mouthPucker") && message.contains("NaN"))
    }

    @Test func quaternionOfYawIsAboutY() {
        let q = HeadPose(yaw: .pi / 2).quaternion
        #expect(abs(q.y - sin(Float.pi / 4)) < 1e-6 && abs(q.w - cos(Float.pi / 4)) < 1e-6)
        #expect(abs(q.x) < 1e-7 && abs(q.z) < 1e-7)
    }
}
