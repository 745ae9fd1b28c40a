import Foundation
import M2FAudio
import M2FFace
import Media2Face
import Testing

/// A listener beside a speaker who talks in 2.5 s phrases separated by 0.5 s pauses, with 2-frame dips
/// inside the phrases (stop closures) that are not pauses.
enum ListeningFixture {
    static let fps = 30.0, frames = 600
    /// Pauses start at 3, 6, 9, 12, 15 s (frame 90, 180, …) and last 15 frames.
    static let pauseStarts = [90, 180, 270, 360, 450]
    /// The pauses and the speaker's last phrase end (frame 540, then silence).
    static let phraseEnds = pauseStarts + [540]

    static var speakerLevels: [Float] {
        (0..<frames).map { f in
            if f < 15 { return -80 }  // the speaker starts at 0.5 s
            if pauseStarts.contains(where: { (0..<15).contains(f - $0) }) || f >= 540 { return -70 }
            return f % 17 < 2 ? -45 : -20  // a stop closure every 17 frames
        }
    }

    /// The speaker's gate: open through the phrases and 6 frames into each pause.
    static var speakerSpeaks: [Bool] {
        (0..<frames).map { f in
            f >= 15 && f < 546 && !pauseStarts.contains(where: { (6..<15).contains(f - $0) })
        }
    }

    /// The listener speaks in the first and last second.
    static var listening: [Bool] { (0..<frames).map { $0 >= 30 && $0 < 570 } }

    /// A still face with the eyes open and a slightly open mouth.
    static var face: FaceAnimation {
        var animation = FaceAnimation(fps: fps, frameCount: frames)
        for f in 0..<frames { animation.weights[f * ARKit.count + ARKitBlendshape.jawOpen.index] = 0.05 }
        return animation
    }

    static func listen(_ behaviour: ListeningBehaviour = ListeningBehaviour(), seed: UInt64 = 7, to face: FaceAnimation = face)
        -> (FaceAnimation, ListeningBehaviour.Plan) {
        var animation = face
        let plan = behaviour.apply(to: &animation, listening: listening, speakerLevels: speakerLevels, speakerSpeaks: speakerSpeaks, seed: seed)
        return (animation, plan)
    }
}

struct ListeningBehaviourTests {
    @Test func nodsLandInTheSpeakersPauses() {
        let (face, plan) = ListeningFixture.listen()
        // The pauses are found where they are, and the in-word dips are not taken for pauses.
        #expect(plan.pauses.map { Int(($0 * 30).rounded()) } == ListeningFixture.phraseEnds)
        #expect(plan.nods.count >= 2, "\(plan.nods.count) nods on 6 phrase ends")
        let degrees = Float(180 / Double.pi)
        for nod in plan.nods {
            // Each nod starts 0.12 s into a pause (a listener answers a phrase end).
            #expect(ListeningFixture.phraseEnds.contains { abs(nod.start - (Double($0) / 30 + 0.12)) < 1e-9 }, "nod at \(nod.start) s")
            #expect((1.0...5.0).contains(nod.degrees), "nod of \(nod.degrees)°")
            #expect((0.45...0.8).contains(nod.duration))
            // The head pitch, less the sway, peaks mid-nod at the nod's size (a raised cosine; frames sample it).
            let frames = Int(nod.start * 30)...Int((nod.start + nod.duration) * 30)
            let peak = frames.map { (face.headPose[$0].pitch - plan.headDrift[$0].pitch) * degrees }.max()!
            #expect(abs(Double(peak) - nod.degrees) < 0.05 * nod.degrees)
        }
        // Outside the nods only the sway moves the head, and nothing moves where the face speaks.
        let nodFrames = Set(plan.nods.flatMap { Int($0.start * 30)...Int(($0.start + $0.duration) * 30) + 1 })
        #expect((0..<600).filter { !nodFrames.contains($0) }.allSatisfy { face.headPose[$0].pitch == plan.headDrift[$0].pitch })
        let speaking = (0..<600).filter { !ListeningFixture.listening[$0] }
        #expect(speaking.allSatisfy { face.frame($0) == ListeningFixture.face.frame($0) })
    }

    @Test func theMouthStaysAtRestAndTheEyesBlink() {
        let (face, plan) = ListeningFixture.listen()
        let jaw = (0..<600).map { face[$0, .jawOpen] }
        #expect(jaw.allSatisfy { $0 == 0.05 })
        // Only smiles touch the mouth (back-channel), nothing opens it.
        let mouth = ARKitBlendshape.allCases.filter { ($0.rawValue.hasPrefix("mouth") || $0.rawValue.hasPrefix("jaw")) && !$0.rawValue.hasPrefix("mouthSmile") }
        #expect((0..<600).allSatisfy { f in mouth.allSatisfy { face[f, $0] == ListeningFixture.face[f, $0] } })
        // 18 s of listening at ~14 blinks per minute, none from the still model face: blinks are added,
        // each fully closing the eyes.
        let closed = (1..<600).filter { face[$0, .eyeBlinkLeft] >= 0.5 && face[$0 - 1, .eyeBlinkLeft] < 0.5 }
        #expect(!plan.blinks.isEmpty)
        #expect(closed.count == plan.blinks.count)
    }

    @Test func tenMinutesOfListeningBlinkAtAHumanRate() {
        let frames = 18_000
        var face = FaceAnimation(fps: 30, frameCount: frames)
        let plan = ListeningBehaviour().apply(to: &face, listening: [Bool](repeating: true, count: frames),
                                              speakerLevels: [Float](repeating: -20, count: frames),
                                              speakerSpeaks: [Bool](repeating: true, count: frames), seed: 3)
        // Real speakers blink 13.8 times a minute (data/realface-ship); the model face here never blinks.
        let perMinute = Double(plan.blinks.count) / 10
        #expect((11...17).contains(perMinute), "\(perMinute) blinks per minute")
        #expect(plan.nods.isEmpty)  // the speaker never pauses
    }

    @Test func deterministicScalableAndOff() {
        let (first, plan) = ListeningFixture.listen(seed: 7)
        let (again, _) = ListeningFixture.listen(seed: 7)
        #expect(first == again)
        let (other, otherPlan) = ListeningFixture.listen(seed: 8)
        #expect(other != first && otherPlan != plan)
        // Twice the amount: the same nods, twice as deep.
        let (_, doubled) = ListeningFixture.listen(ListeningBehaviour(amount: 2), seed: 7)
        #expect(doubled.nods.map(\.start) == plan.nods.map(\.start))
        for (a, b) in zip(doubled.nods, plan.nods) { #expect(abs(a.degrees - 2 * b.degrees) < 1e-9) }
        // The sway scales with the amount too.
        let (swayed, _) = ListeningFixture.listen(ListeningBehaviour(amount: 2), seed: 7)
        #expect((0..<600).allSatisfy { abs(swayed.headPose[$0].yaw - 2 * first.headPose[$0].yaw) < 1e-6 })
        // Off: the face is left exactly as it was.
        let (off, offPlan) = ListeningFixture.listen(.off)
        #expect(off == ListeningFixture.face && offPlan == ListeningBehaviour.Plan())
    }

    @Test func gazeHoldsOnTheSpeakerAndEasesInAtTheSwitch() {
        // A face looking well to the side everywhere.
        var face = ListeningFixture.face
        for f in 0..<600 { face.weights[f * ARKit.count + ARKitBlendshape.eyeLookOutLeft.index] = 0.6 }
        let (listened, _) = ListeningFixture.listen(to: face)
        let look = (0..<600).map { listened[$0, .eyeLookOutLeft] }
        #expect(look[0..<25].allSatisfy { $0 == 0.6 })  // speaking: untouched
        #expect(look[100..<500].allSatisfy { $0 < 0.3 })  // listening: held near the speaker
        // No jump larger than a tenth at the switch (a 9-frame ramp).
        #expect(zip(look.dropFirst(), look).allSatisfy { abs($0 - $1) < 0.1 })
    }

    @Test func theHeadSwaysSlowlyWhileListeningAndEasesInAtTheSwitch() {
        let degrees = 180 / Double.pi
        func std(_ x: [Double]) -> Double {
            let mean = x.reduce(0, +) / Double(x.count)
            return (x.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(x.count)).squareRoot()
        }
        var yawStd = 0.0, rollStd = 0.0, fastest = 0.0, atSwitch = 0.0
        let seeds: [UInt64] = Array(1...20), listening = 30..<570
        for seed in seeds {
            let (face, _) = ListeningFixture.listen(seed: seed)
            let yaw = face.headPose.map { Double($0.yaw) * degrees }, roll = face.headPose.map { Double($0.roll) * degrees }
            // Where the face speaks, the (still) model head is left exactly as it was.
            #expect((0..<600).filter { !listening.contains($0) }.allSatisfy { face.headPose[$0] == HeadPose.identity })
            yawStd += std(Array(yaw[listening])) / Double(seeds.count)
            rollStd += std(Array(roll[listening])) / Double(seeds.count)
            for track in [yaw, roll] {
                fastest = max(fastest, zip(track.dropFirst(), track).map { abs($0 - $1) }.max()!)
                atSwitch = max(atSwitch, abs(track[listening.lowerBound]), abs(track[listening.upperBound - 1]))
            }
        }
        // About a degree of sway over 18 s of listening (the tracked speakers' head std is 1.3–2.5°; the
        // model's listening head 0.34–0.63°), yaw more than roll.
        #expect((1.0...3.0).contains(yawStd), "yaw std \(yawStd)°")
        #expect((0.5...2.0).contains(rollStd) && rollStd < yawStd, "roll std \(rollStd)°")
        // Slow: never more than 0.5° in a frame (15°/s, the top speed of a median 2.2° nod), and it
        // starts and ends at the speaking pose.
        #expect(fastest < 0.5, "fastest \(fastest)° per frame")
        #expect(atSwitch < 0.05, "\(atSwitch)° at the switch")
    }
}
