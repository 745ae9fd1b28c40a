import Foundation
import M2FAudio
import M2FFace
import Media2Face
import Testing

/// A two-speaker recording with cross-talk: speaker A's voice, a pause, then speaker B's, each channel
/// also carrying the other voice 20 dB down.
enum DialogueFixture {
    static let crossTalk: Float = 0.1  // −20 dB

    /// (A alone, B alone) on one timeline, equal length, 16 kHz.
    static func voices(a: [Float], b: [Float], gapSeconds: Double = 0.5) -> [[Float]] {
        let gap = Int(gapSeconds * 16_000), length = a.count + gap + b.count
        let first = a + [Float](repeating: 0, count: length - a.count)
        let second = [Float](repeating: 0, count: a.count + gap) + b
        return [first, second]
    }

    /// Each microphone: its speaker plus the other at −20 dB.
    static func microphones(_ voices: [[Float]]) -> [[Float]] {
        [zip(voices[0], voices[1]).map { $0 + crossTalk * $1 }, zip(voices[1], voices[0]).map { $0 + crossTalk * $1 }]
    }

    /// 16-bit stereo WAV bytes (left, right).
    static func stereoWAV(left: [Float], right: [Float], sampleRate: Int = 16_000) -> Data {
        var data = Data()
        func u32(_ v: Int) { withUnsafeBytes(of: UInt32(v).littleEndian) { data.append(contentsOf: $0) } }
        func u16(_ v: Int) { withUnsafeBytes(of: UInt16(v).littleEndian) { data.append(contentsOf: $0) } }
        data.append(contentsOf: Array("RIFF".utf8)); u32(36 + left.count * 4); data.append(contentsOf: Array("WAVEfmt ".utf8))
        u32(16); u16(1); u16(2); u32(sampleRate); u32(sampleRate * 4); u16(4); u16(16)
        data.append(contentsOf: Array("data".utf8)); u32(left.count * 4)
        for (l, r) in zip(left, right) {
            for v in [l, r] { u16(Int(UInt16(bitPattern: Int16(max(-1, min(1, v)) * 32_767)))) }
        }
        return data
    }

    static func correlation(_ x: [Float], _ y: [Float]) -> Float {
        let n = Float(x.count), mx = x.reduce(0, +) / n, my = y.reduce(0, +) / n
        var sxy: Float = 0, sxx: Float = 0, syy: Float = 0
        for (a, b) in zip(x, y) { sxy += (a - mx) * (b - my); sxx += (a - mx) * (a - mx); syy += (b - my) * (b - my) }
        return sxy / max(1e-12, (sxx * syy).squareRoot())
    }

    static func std(_ x: [Float]) -> Float {
        let m = x.reduce(0, +) / Float(x.count)
        return (x.map { ($0 - m) * ($0 - m) }.reduce(0, +) / Float(x.count)).squareRoot()
    }
}

/// The gate alone (no model): who speaks when, from the channels' level ratio.
struct DialogueGateTests {
    /// Noise bursts: A 0–1 s, B 1.5–2.5 s, both 3–3.5 s, cross-talk −20 dB.
    @Test func gateFollowsTheSpeakerNotTheCrossTalk() {
        var generator = SystemRandomNumberGenerator()
        func burst(_ from: Double, _ to: Double, total: Double = 4) -> [Float] {
            (0..<Int(total * 16_000)).map { i in
                let t = Double(i) / 16_000
                return t >= from && t < to ? Float.random(in: -0.3...0.3, using: &generator) : 0
            }
        }
        let a = zip(burst(0, 1), burst(3, 3.5)).map { $0 + $1 }, b = zip(burst(1.5, 2.5), burst(3, 3.5)).map { $0 + $1 }
        let mics = DialogueFixture.microphones([a, b])
        let gate = DialogueGate()
        let aSpeaks = gate.speaking(own: mics[0], other: mics[1], sampleRate: 16_000)
        let bSpeaks = gate.speaking(own: mics[1], other: mics[0], sampleRate: 16_000)
        #expect(aSpeaks.count == 120)
        func all(_ mask: [Bool], _ from: Double, _ to: Double, _ value: Bool) -> Bool {
            (Int(from * 30)..<Int(to * 30)).allSatisfy { mask[$0] == value }
        }
        #expect(all(aSpeaks, 0, 1, true) && all(aSpeaks, 1.5, 2.5, false) && all(aSpeaks, 3, 3.5, true))
        #expect(all(bSpeaks, 0, 1, false) && all(bSpeaks, 1.5, 2.5, true) && all(bSpeaks, 3, 3.5, true))
        // The hold bridges pauses shorter than 200 ms, then closes.
        #expect(all(aSpeaks, 1.3, 1.5, false))
        // Gated audio is silent where the gate is closed: A's channel holds only B's cross-talk there.
        let gated = gate.gated(mics[0], speaking: aSpeaks, sampleRate: 16_000)
        #expect(gated[(16_000 * 2)..<(16_000 * 5 / 2)].allSatisfy { $0 == 0 })
        #expect(gated[8_000] == mics[0][8_000])
    }

    @Test func stereoWAVChannelsReadApart() throws {
        let url = PipelineFixtures.folder("dialogue-wav").appendingPathComponent("talk.wav")
        try DialogueFixture.stereoWAV(left: [0.5, 0.5, 0.5], right: [-0.25, -0.25, -0.25]).write(to: url)
        let left = try WAVReader.read(path: url.path, channel: 0), right = try WAVReader.read(path: url.path, channel: 1)
        #expect(abs(left.samples[1] - 0.5) < 1e-3)
        #expect(abs(right.samples[1] + 0.25) < 1e-3)
        #expect(throws: AudioError.self) { try WAVReader.read(path: url.path, channel: 2) }
    }

    @Test func aMonoFileIsNotADialogue() async throws {
        let pipeline = try await LoadedPipelines.tiny.value
        #expect(throws: PipelineError.self) { try pipeline.loadDialogue([PipelineFixtures.example]) }
    }
}

/// Two faces on the shipped model: each mouth follows its own speaker and not the other's; the listening
/// face blinks and moves its head with the mouth at rest.
@Suite(.serialized, .enabled(if: PipelineFixtures.hasTrainedModel, "needs the trained model in Models/media2face"))
struct DialogueTrainedModelTests {
    @Test func eachFaceSpeaksOnItsOwnVoiceAndListensToTheOther() async throws {
        let pipeline = try await LoadedPipelines.trained.value
        let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures/audio")
        // Two voices: flite (hello.wav) and eSpeak (a different synthesiser and speaker).
        let a = try WAVFile.samples(of: PipelineFixtures.example)
        let b = try WAVFile.samples(of: fixtures.appendingPathComponent("espeak_22050.wav").path)
        let voices = DialogueFixture.voices(a: a, b: b + b)
        let mics = DialogueFixture.microphones(voices)
        let wav = PipelineFixtures.folder("dialogue").appendingPathComponent("talk.wav")
        try DialogueFixture.stereoWAV(left: mics[0], right: mics[1]).write(to: wav)
        let loaded = try pipeline.loadDialogue([wav.path])
        let request = AnimationRequest(audioPath: wav.path, options: AnimationOptions(steps: 10))
        let tracks = try await pipeline.animateDialogue(loaded, sources: ["left", "right"], request: request)
        let gate = DialogueGate()
        for (me, track) in tracks.enumerated() {
            let face = track.result.animation, other = 1 - me
            let frames = face.frameCount
            let loudness = voices.map { gate.levels($0, sampleRate: 16_000, count: frames).map { max($0, -60) } }
            let jaw = (0..<frames).map { face[$0, .jawOpen] }
            let own = DialogueFixture.correlation(jaw, loudness[me]), cross = DialogueFixture.correlation(jaw, loudness[other])
            // Listening: the other speaks and this face does not.
            let listening = (0..<frames).filter { !track.speaking[$0] && tracks[other].speaking[$0] }
            let listeningJaw = listening.map { face[$0, .jawOpen] }.reduce(0, +) / Float(max(1, listening.count))
            let speakingJaw = (0..<frames).filter { track.speaking[$0] }.map { face[$0, .jawOpen] }
            let blinks = zip(listening.dropFirst(), listening).filter { f, previous in
                f == previous + 1 && face[f, .eyeBlinkLeft] > 0.5 && face[previous, .eyeBlinkLeft] <= 0.5
            }.count
            let degrees = Float(180 / Double.pi)
            let yawStd = DialogueFixture.std(listening.map { face.headPose[$0].yaw * degrees })
            let pitchStd = DialogueFixture.std(listening.map { face.headPose[$0].pitch * degrees })
            let eyeWide = listening.map { face[$0, .eyeBlinkLeft] }.reduce(0, +) / Float(max(1, listening.count))
            print(String(format: "{\"dialogue_face\": %ld, \"jaw_vs_own_loudness\": %.3f, \"jaw_vs_other_loudness\": %.3f, \"listening_seconds\": %.2f, \"listening_jaw_mean\": %.4f, \"speaking_jaw_mean\": %.4f, \"listening_blinks\": %ld, \"listening_head_yaw_std_deg\": %.3f, \"listening_head_pitch_std_deg\": %.3f, \"listening_eye_blink_mean\": %.3f}",
                         me, own, cross, Double(listening.count) / face.fps, listeningJaw,
                         speakingJaw.reduce(0, +) / Float(max(1, speakingJaw.count)), blinks, yawStd, pitchStd, eyeWide))
            #expect(own > 0.4, "face \(me): jaw vs its own speaker's loudness \(own)")
            #expect(cross < 0.1, "face \(me): jaw vs the other speaker's loudness \(cross)")
            #expect(listening.count > 60, "face \(me) listens for \(listening.count) frames")
            // Mouth at rest while listening: well below its speaking mean and nearly still.
            #expect(listeningJaw < 0.5 * speakingJaw.reduce(0, +) / Float(speakingJaw.count))
            #expect(DialogueFixture.std(listeningJaw.isNaN ? [] : listening.map { face[$0, .jawOpen] }) < 0.02)
            // Attentive, not frozen: the head keeps moving and the eyes stay open on average.
            #expect(yawStd + pitchStd > 0.05, "face \(me): head rotation std \(yawStd)° yaw, \(pitchStd)° pitch while listening")
            #expect(eyeWide < 0.5)
        }
    }
}

/// Listening motion on the tiny model's two faces: it changes only the listening frames, and turned off
/// it gives back the dialogue without it (the gated animation with the mouth at rest).
@Suite(.serialized)
struct DialogueListeningTests {
    @Test func listeningMotionTouchesOnlyTheListeningFrames() async throws {
        let pipeline = try await LoadedPipelines.tiny.value
        let a = try WAVFile.samples(of: PipelineFixtures.example)
        let voices = DialogueFixture.microphones(DialogueFixture.voices(a: a, b: a))
        let request = AnimationRequest(audioPath: "talk", options: AnimationOptions(steps: 2, seed: 5))
        let on = try await pipeline.animateDialogue(voices, sources: ["a", "b"], request: request)
        let off = try await pipeline.animateDialogue(voices, sources: ["a", "b"], request: request, listening: .off)
        let gate = DialogueGate()
        for k in 0..<2 {
            let (withListening, without) = (on[k].result.animation, off[k].result.animation)
            #expect(on[k].speaking == off[k].speaking)
            #expect(on[k].speaking.contains(true) && on[k].speaking.contains(false))
            for f in 0..<without.frameCount where on[k].speaking[f] {
                #expect(withListening.frame(f) == without.frame(f) && withListening.headPose[f] == without.headPose[f], "face \(k) frame \(f)")
            }
            #expect(withListening != without, "face \(k): listening motion added nothing")
            // Off: the gated voice's animation, every channel but the mouth's as the model made it.
            let speaking = gate.speaking(own: voices[k], other: voices[1 - k], sampleRate: 16_000)
            var faceRequest = request
            faceRequest.options.blinkSeedOffset = UInt64(k)  // each face's added blinks have their own seed
            let plain = try await pipeline.animate(samples: gate.gated(voices[k], speaking: speaking, sampleRate: 16_000), source: "plain", request: faceRequest).animation
            #expect(plain.headPose == without.headPose)
            let mouth = Set(ARKitBlendshape.allCases.filter { $0.rawValue.hasPrefix("mouth") || $0.rawValue.hasPrefix("jaw") }.map(\.index))
            for f in 0..<plain.frameCount {
                for c in 0..<ARKit.count where !mouth.contains(c) || on[k].speaking[max(0, f - 2)...min(plain.frameCount - 1, f + 2)].allSatisfy({ $0 }) {
                    #expect(plain.weights[f * ARKit.count + c] == without.weights[f * ARKit.count + c])
                }
            }
        }
    }
}
