import Foundation
import M2FDataset
import M2FFace
import Testing

/// Non-speech behaviour of the teacher: ranges, determinism, emotion, blinks, silence, head motion.
@Suite struct TeacherBehaviourTests {
    let animator = TeacherAnimator()

    func animate(_ phones: [TimedPhone], duration: Double? = nil, seed: UInt64 = 1, emotion: Emotion = .neutral,
                 intensity: Double = 0, samples: [Float] = []) -> FaceAnimation {
        animator.animate(phones: phones, samples: samples, sampleRate: 16000, duration: duration ?? ((phones.last?.end ?? 0) + 0.2),
                         fps: 30, performance: TeacherPerformance(emotion: emotion, intensity: intensity, seed: seed))
    }

    func mean(_ a: FaceAnimation, _ shapes: [ARKitBlendshape]) -> Double {
        var sum = 0.0
        for f in 0..<a.frameCount { for s in shapes { sum += Double(a[f, s]) } }
        return sum / Double(max(1, a.frameCount * shapes.count))
    }

    @Test func weightsStayInRangeAndRunsAreDeterministic() throws {
        let speech = TeacherTestData.syntheticSpeech(seconds: 30, seed: 5)
        for emotion in Emotion.allCases {
            let a = animate(speech, seed: 9, emotion: emotion, intensity: 1)
            #expect(TeacherChecks.outOfRangeCount(a) == 0, "\(emotion)")
            #expect(a.frameCount == Int((a.duration * 30).rounded()))
            #expect(a.headPose.allSatisfy { $0.values.allSatisfy(\.isFinite) })
        }
        #expect(animate(speech, seed: 9, emotion: .happy, intensity: 0.7) == animate(speech, seed: 9, emotion: .happy, intensity: 0.7))
        #expect(animate(speech, seed: 9) != animate(speech, seed: 10))
    }

    @Test func emotionsMoveTheirFACSChannels() {
        let speech = TeacherTestData.syntheticSpeech(seconds: 8, seed: 3)
        let neutral = animate(speech, seed: 4)
        func rise(_ emotion: Emotion, _ shapes: [ARKitBlendshape]) -> Double {
            mean(animate(speech, seed: 4, emotion: emotion, intensity: 0.8), shapes) - mean(neutral, shapes)
        }
        let checks: [(Emotion, [ARKitBlendshape])] = [
            (.happy, [.mouthSmileLeft, .mouthSmileRight]), (.happy, [.cheekSquintLeft, .cheekSquintRight]),
            (.sad, [.browInnerUp]), (.sad, [.mouthFrownLeft, .mouthFrownRight]),
            (.angry, [.browDownLeft, .browDownRight]), (.angry, [.mouthPressLeft, .mouthPressRight]),
            (.surprised, [.browOuterUpLeft, .browOuterUpRight]), (.surprised, [.eyeWideLeft, .eyeWideRight]),
            (.surprised, [.jawOpen]),
            (.fearful, [.browInnerUp]), (.fearful, [.mouthStretchLeft, .mouthStretchRight]),
            (.disgusted, [.noseSneerLeft, .noseSneerRight]), (.disgusted, [.mouthUpperUpLeft, .mouthUpperUpRight]),
            (.contempt, [.mouthDimpleLeft, .mouthDimpleRight]),
        ]
        for (emotion, shapes) in checks {
            let r = rise(emotion, shapes)
            #expect(r > 0.1 || (shapes == [.jawOpen] && r > 0.04), "\(emotion) raises \(shapes.map(\.rawValue)) by only \(r)")
        }
        // Happy does not frown; sad does not smile.
        #expect(rise(.happy, [.mouthFrownLeft, .mouthFrownRight]) < 0.01)
        #expect(rise(.sad, [.mouthSmileLeft, .mouthSmileRight]) < 0.01)
        // Contempt is one-sided.
        let contempt = animate(speech, seed: 4, emotion: .contempt, intensity: 1)
        #expect(abs(mean(contempt, [.mouthDimpleLeft]) - mean(contempt, [.mouthDimpleRight])) > 0.2)
        // Intensity scales the overlay; neutral adds nothing whatever the intensity.
        #expect(rise(.happy, [.mouthSmileLeft]) > mean(animate(speech, seed: 4, emotion: .happy, intensity: 0.3), [.mouthSmileLeft]) - mean(neutral, [.mouthSmileLeft]) + 0.1)
        #expect(animate(speech, seed: 4, emotion: .neutral, intensity: 1).weights == neutral.weights)
    }

    @Test func blinkRateIsHumanOverMinutes() {
        var blinks = 0, minutes = 0.0
        var durations: [Double] = []
        for seed in UInt64(0)..<4 {
            let speech = TeacherTestData.syntheticSpeech(seconds: 60, seed: 100 + seed)
            let a = animate(speech, duration: 60, seed: seed)
            blinks += TeacherChecks.blinkCount(a)
            minutes += a.duration / 60
            // Durations: frames with any closure at a blink.
            var run = 0
            for f in 0..<a.frameCount {
                if a[f, .eyeBlinkLeft] > 0.05 { run += 1 } else if run > 0 { durations.append(Double(run) / 30); run = 0 }
            }
        }
        let rate = Double(blinks) / minutes
        print("teacher: \(blinks) blinks in \(minutes) min = \(String(format: "%.1f", rate))/min; durations \(durations.min()!)–\(durations.max()!) s")
        #expect(rate >= 10 && rate <= 20)
        #expect(durations.min()! >= 0.06 && durations.max()! <= 0.45)
        // A listening minute blinks too.
        let listening = animate([], duration: 60, seed: 77)
        let listeningRate = Double(TeacherChecks.blinkCount(listening))
        #expect(listeningRate >= 8 && listeningRate <= 22)
    }

    @Test func blinksGatherAtPhraseBoundaries() {
        var atBoundary = 0, total = 0, boundaryTime = 0.0, speechTime = 0.0
        for seed in UInt64(0)..<4 {
            let speech = TeacherTestData.syntheticSpeech(seconds: 60, seed: 200 + seed)
            let a = animate(speech, duration: 60, seed: seed)
            let boundaries = speech.indices.dropFirst().filter { speech[$0].phone == "pau" && speech[$0 - 1].phone != "pau" }.map { speech[$0].start }
            var closed = false
            for f in 0..<a.frameCount {
                let value = a[f, .eyeBlinkLeft]
                if value >= 0.5 && !closed {
                    total += 1
                    let t = Double(f) / 30
                    if boundaries.contains(where: { t >= $0 && t <= $0 + 0.4 }) { atBoundary += 1 }
                }
                closed = value >= 0.5
            }
            boundaryTime += 0.4 * Double(boundaries.count)
            speechTime += 60
        }
        let share = Double(atBoundary) / Double(total), chance = boundaryTime / speechTime
        print("teacher: \(atBoundary)/\(total) blinks within 0.4 s after a phrase boundary (chance \(String(format: "%.2f", chance)))")
        #expect(share > 2 * chance)
    }

    @Test func silenceHasNoMouthChatter() {
        for phones in [[], [TimedPhone(phone: "pau", start: 0, end: 20)]] {
            let a = animate(phones, duration: 20, seed: 3)
            let jaw = (0..<a.frameCount).map { Double(a[$0, .jawOpen]) }
            let m = jaw.reduce(0, +) / Double(jaw.count)
            let variance = jaw.map { ($0 - m) * ($0 - m) }.reduce(0, +) / Double(jaw.count)
            let steps = (1..<jaw.count).map { abs(jaw[$0] - jaw[$0 - 1]) }.max()!
            let lipShapes: [ARKitBlendshape] = [.mouthPucker, .mouthFunnel, .mouthStretchLeft, .mouthLowerDownLeft, .mouthUpperUpLeft, .mouthClose, .tongueOut]
            print("teacher: silence jawOpen mean \(m), variance \(variance), largest step \(steps)")
            #expect(m > 0.002 && m < 0.05, "relaxed jaw, barely parted")
            #expect(variance < 1e-4)
            #expect(steps < 0.003)
            #expect(mean(a, lipShapes) < 0.005)
            // Still alive: blinks and a moving head and eyes.
            #expect(TeacherChecks.blinkCount(a) >= 2)
            let yaw = a.headPose.map(\.yaw)
            #expect(yaw.max()! - yaw.min()! > 0.005)
            #expect(Set(a.eyePose!.map(\.leftYaw)).count > 10)
        }
    }

    @Test func unknownPhonesAndOddTimingsAreTolerated() {
        let phones = [TimedPhone(phone: "AA1", start: 0.1, end: 0.3), TimedPhone(phone: "xx", start: 0.3, end: 0.4),
                      TimedPhone(phone: "b", start: 0.5, end: 0.45), TimedPhone(phone: "iy", start: .nan, end: 1),
                      TimedPhone(phone: "m", start: 0.6, end: 0.7), TimedPhone(phone: "sil", start: 0.7, end: 0.9)]
        let a = animate(phones, duration: 1.2)
        #expect(a.frameCount == 36)
        #expect(TeacherChecks.outOfRangeCount(a) == 0)
        // AA1 is aa: the jaw opens; m still closes.
        #expect(a[6, .jawOpen] > 0.3)
        #expect(TeacherChecks.bilabialClosure(a, phones: [phones[4]]).closed == 1)
        #expect(animate([], duration: 0).frameCount == 0)
    }

    @Test func headNodsOnLoudVowels() {
        // "pa pa PA pa" with the third vowel 12 dB louder than the rest.
        var phones = [TimedPhone(phone: "pau", start: 0, end: 0.4)], t = 0.4
        var samples = [Float](repeating: 0, count: 16000 * 4)
        for i in 0..<4 {
            phones.append(TimedPhone(phone: "p", start: t, end: t + 0.08)); t += 0.08
            phones.append(TimedPhone(phone: "aa", start: t, end: t + 0.25))
            let gain: Float = i == 2 ? 0.4 : 0.1
            for n in Int(t * 16000)..<Int((t + 0.25) * 16000) { samples[n] = gain * sin(Float(n) * 0.1) }
            t += 0.25
            phones.append(TimedPhone(phone: "pau", start: t, end: t + 0.4)); t += 0.4
        }
        let a = animate(phones, duration: 4, emotion: .angry, intensity: 1, samples: samples)
        let loudVowel = phones[8]  // the third aa
        let nodFrame = Int((loudVowel.start + animator.configuration.head.nodPeakDelay) * 30)
        let pitch = a.headPose.map(\.pitch)
        let window = pitch[(nodFrame - 2)...(nodFrame + 2)].max()!
        let quietFrames = Int(phones[2].start * 30)
        print("teacher: head pitch at the loud vowel \(window), at a quiet one \(pitch[quietFrames])")
        #expect(window > pitch[quietFrames] + 0.01)
        // The loud vowel also opens the jaw wider than the quiet ones (same phones, same timing).
        let jawPeak = { (vowel: TimedPhone) in (Int(vowel.start * 30)...Int(vowel.end * 30)).map { a[$0, .jawOpen] }.max()! }
        #expect(jawPeak(loudVowel) > 1.05 * jawPeak(phones[5]), "loud \(jawPeak(loudVowel)) vs quiet \(jawPeak(phones[5]))")
    }

    @Test func tenSecondsAnimateInMilliseconds() {
        let speech = TeacherTestData.syntheticSpeech(seconds: 10, seed: 8)
        let samples = (0..<160_000).map { Float(sin(Double($0) * 0.05) * 0.1) }
        _ = animate(speech, duration: 10, samples: samples)
        var times: [Double] = []
        for seed in UInt64(0)..<5 {
            let start = DispatchTime.now().uptimeNanoseconds
            _ = animate(speech, duration: 10, seed: seed, emotion: .happy, intensity: 0.8, samples: samples)
            times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
        }
        let median = times.sorted()[2]
        print("teacher: a 10 s clip animates in \(String(format: "%.2f", median)) ms (median of 5)")
        #expect(median < 100)
    }

    @Test func arousalScalesHeadMotion() {
        let speech = TeacherTestData.syntheticSpeech(seconds: 20, seed: 6)
        func spread(_ emotion: Emotion) -> Double {
            let a = animate(speech, seed: 2, emotion: emotion, intensity: 1)
            let yaw = a.headPose.map { Double($0.yaw) }, roll = a.headPose.map { Double($0.roll) }
            func std(_ x: [Double]) -> Double {
                let m = x.reduce(0, +) / Double(x.count)
                return (x.map { ($0 - m) * ($0 - m) }.reduce(0, +) / Double(x.count)).squareRoot()
            }
            return std(yaw) + std(roll)
        }
        let angry = spread(.angry), sad = spread(.sad)
        print("teacher: head yaw+roll std angry \(angry) rad, sad \(sad) rad")
        #expect(angry > 1.5 * sad)
    }

    @Test func gazeWeightsFollowEyePose() {
        let a = animate(TeacherTestData.syntheticSpeech(seconds: 20, seed: 12), seed: 5)
        var checked = 0
        for f in 0..<a.frameCount {
            let yaw = a.eyePose![f].leftYaw
            if yaw > 0.02 {
                #expect(a[f, .eyeLookOutLeft] > 0 && a[f, .eyeLookInRight] > 0 && a[f, .eyeLookInLeft] == 0)
                checked += 1
            } else if yaw < -0.02 {
                #expect(a[f, .eyeLookInLeft] > 0 && a[f, .eyeLookOutRight] > 0 && a[f, .eyeLookOutLeft] == 0)
                checked += 1
            }
        }
        #expect(checked > 100, "the eyes should move away from the centre at times")
    }

    @Test func emotionRampsInAndOut() {
        let speech = TeacherTestData.syntheticSpeech(seconds: 6, seed: 4)
        let a = animate(speech, duration: 6, seed: 1, emotion: .happy, intensity: 1)
        let cheek = (0..<a.frameCount).map { a[$0, .cheekSquintLeft] }
        let middle = cheek[60..<120].reduce(0, +) / 60
        #expect(cheek[0] < 0.6 * middle && cheek[0] > 0.1 * middle)
        #expect(cheek[a.frameCount - 1] < 0.6 * middle)
    }
}

