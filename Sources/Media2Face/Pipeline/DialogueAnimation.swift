import Foundation
import M2FAudio
import M2FFace

/// Who speaks when in a two-speaker recording with a microphone per speaker. Each channel also carries
/// the other voice (cross-talk, typically 15–25 dB lower), so a speaker counts as speaking only while
/// their own channel is loud *relative to the other*; hysteresis and a hold keep the gate from
/// chattering between syllables.
public struct DialogueGate: Sendable, Equatable {
    /// Gate frames per second (the animation's rate, so one decision per frame).
    public var fps: Double = 30
    /// Own level minus the other channel's level (dB) above which a closed gate opens. Both talking at
    /// once gives about 0 dB, the other's cross-talk alone about −20 dB.
    public var openRatio: Float = -6
    /// Own minus other (dB) below which an open gate starts to close.
    public var closeRatio: Float = -12
    /// Own level (dBFS) below which a channel is silent whatever the ratio (room tone, pauses).
    public var silenceFloor: Float = -50
    /// Frames an open gate stays open after its condition fails (bridges the gaps between words).
    public var holdFrames = 6

    public init() {}

    /// RMS level in dBFS of each 1/fps frame of `samples` (`count` frames; missing audio is silent).
    public func levels(_ samples: [Float], sampleRate: Int, count: Int) -> [Float] {
        let hop = Double(sampleRate) / fps
        return (0..<count).map { frame in
            let start = min(samples.count, Int(Double(frame) * hop)), end = min(samples.count, Int(Double(frame + 1) * hop))
            guard end > start else { return -120 }
            var sum = 0.0
            for i in start..<end { sum += Double(samples[i]) * Double(samples[i]) }
            return Float(10 * log10(max(sum / Double(end - start), 1e-12)))
        }
    }

    /// Per frame, whether the owner of `own` speaks (`other` is the other speaker's channel).
    public func speaking(own: [Float], other: [Float], sampleRate: Int) -> [Bool] {
        let count = Int((Double(max(own.count, other.count)) / Double(sampleRate) * fps).rounded(.up))
        let mine = levels(own, sampleRate: sampleRate, count: count), theirs = levels(other, sampleRate: sampleRate, count: count)
        var open = false, held = 0
        return (0..<count).map { f in
            let ratio = mine[f] - theirs[f], audible = mine[f] > silenceFloor
            if audible && ratio > openRatio {
                open = true; held = 0
            } else if open && (!audible || ratio < closeRatio) {
                held += 1
                if held > holdFrames { open = false; held = 0 }
            }
            return open
        }
    }

    /// `samples` silenced where `speaking` is false, with 10 ms ramps at each switch (no clicks).
    public func gated(_ samples: [Float], speaking: [Bool], sampleRate: Int) -> [Float] {
        let gains = Self.smoothed(speaking, samplesPerFrame: Double(sampleRate) / fps, count: samples.count,
                                  rampSamples: max(1, sampleRate / 100))
        return zip(samples, gains).map { $0 * $1 }
    }

    /// A 0/1 per-frame mask as per-sample gains with linear ramps of `rampSamples`.
    static func smoothed(_ mask: [Bool], samplesPerFrame: Double, count: Int, rampSamples: Int) -> [Float] {
        var gains = (0..<count).map { i -> Float in
            let frame = Int(Double(i) / samplesPerFrame)
            return frame < mask.count && mask[frame] ? 1 : 0
        }
        // A moving average over the ramp turns each step into a linear ramp.
        guard rampSamples > 1, count > 0 else { return gains }
        var prefix = [Float](repeating: 0, count: count + 1)
        for i in 0..<count { prefix[i + 1] = prefix[i] + gains[i] }
        let half = rampSamples / 2
        for i in 0..<count {
            let lo = max(0, i - half), hi = min(count, i + half + 1)
            gains[i] = (prefix[hi] - prefix[lo]) / Float(hi - lo)
        }
        return gains
    }
}

/// One face of a dialogue: its animation and the frames where its speaker speaks.
public struct DialogueTrack: Sendable {
    public var result: AnimationResult
    /// Per animation frame: true where this speaker talks, false where the face listens.
    public var speaking: [Bool]
}

extension Media2FacePipeline {
    /// The two voices of a dialogue at 16 kHz, equal length: two files (one speaker each) or one stereo
    /// WAV (left = first speaker, right = second).
    public func loadDialogue(_ paths: [String]) throws -> [[Float]] {
        var voices: [[Float]]
        switch paths.count {
        case 2:
            voices = try paths.map { try loadAudio($0).samples }
        case 1:
            let path = paths[0]
            guard path.lowercased().hasSuffix(".wav") else {
                throw PipelineError.unsupportedAudio(file: path, detail: "a one-file dialogue must be a stereo WAV (a speaker per channel); give two files otherwise")
            }
            let left = try WAVReader.read(path: path, channel: 0)
            guard left.sourceChannels == 2 else {
                throw PipelineError.unsupportedAudio(file: path, detail: "a one-file dialogue needs 2 channels (a speaker each), it has \(left.sourceChannels)")
            }
            let right = try WAVReader.read(path: path, channel: 1)
            let resample = left.sampleRate == 16_000 ? { $0 } : Resampler(from: left.sampleRate).callAsFunction
            voices = [resample(left.samples), resample(right.samples)]
        default:
            throw PipelineError.invalidOption(name: "--dialogue", value: "\(paths.count) files", allowed: "two files or one stereo WAV")
        }
        let length = voices.map(\.count).max()!
        return voices.map { $0 + [Float](repeating: 0, count: length - $0.count) }
    }

    /// Animates both faces of a two-speaker dialogue: each face speaks on its own voice, gated by
    /// `gate` so the other's cross-talk moves nothing, and listens while the other speaks: mouth at rest,
    /// the model's idle blinks and head motion, plus `listening`'s nods on the speaker's pauses,
    /// back-channel expressions, attentive gaze and blinks (`ListeningBehaviour.off` leaves only the
    /// model's idle motion). `request` gives the style and options for both; face k's listening motion
    /// is seeded by the request's seed and k.
    public func animateDialogue(_ voices: [[Float]], sources: [String], request: AnimationRequest, gate: DialogueGate = DialogueGate(),
                                listening: ListeningBehaviour = ListeningBehaviour(),
                                progress: @escaping @Sendable (PipelineProgress) -> Void = { _ in }) async throws -> [DialogueTrack] {
        precondition(voices.count == 2 && sources.count == 2, "a dialogue has two voices")
        let speaking = [gate.speaking(own: voices[0], other: voices[1], sampleRate: 16_000),
                        gate.speaking(own: voices[1], other: voices[0], sampleRate: 16_000)]
        var tracks: [DialogueTrack] = []
        for (me, other) in [(0, 1), (1, 0)] {
            let audio = gate.gated(voices[me], speaking: speaking[me], sampleRate: 16_000)
            var faceRequest = request
            faceRequest.options.blinkSeedOffset = UInt64(me)
            var result = try await animate(samples: audio, source: sources[me], request: faceRequest, progress: progress)
            let frames = result.animation.frameCount
            func perFrame(_ mask: [Bool]) -> [Bool] { (0..<frames).map { $0 < mask.count && mask[$0] } }
            let mask = perFrame(speaking[me])
            Self.restMouth(&result.animation, speaking: mask)
            var note = "speaker \(me + 1) of 2, \(mask.filter { $0 }.count) of \(frames) frames speaking"
            if listening.amount > 0 {
                let plan = listening.apply(to: &result.animation, listening: mask.map { !$0 },
                                           speakerLevels: gate.levels(voices[other], sampleRate: 16_000, count: frames),
                                           speakerSpeaks: perFrame(speaking[other]),
                                           seed: request.options.seed &+ UInt64(me + 1), nods: request.options.headPose)
                note += String(format: "; listening %.2f: %ld nods, %ld back-channel expressions, %ld blinks added",
                               listening.amount, plan.nods.count, plan.expressions.count, plan.blinks.count)
            }
            result.animation.metadata["dialogue"] = note
            tracks.append(DialogueTrack(result: result, speaking: mask))
        }
        return tracks
    }

    /// The mouth and jaw channels.
    static let mouthChannels = ARKit.all.filter { $0.rawValue.hasPrefix("jaw") || $0.rawValue.hasPrefix("mouth") }.map(\.index)

    /// Holds the mouth at the face's own resting pose (median of its listening frames) where it listens,
    /// crossfaded over 3 frames at each switch so lips neither snap shut nor pop open.
    static func restMouth(_ animation: inout FaceAnimation, speaking: [Bool]) {
        let frames = animation.frameCount
        let listening = (0..<frames).filter { !speaking[$0] }
        guard !listening.isEmpty else { return }
        let weight = DialogueGate.smoothed(speaking, samplesPerFrame: 1, count: frames, rampSamples: 3)
        for k in mouthChannels {
            let values = listening.map { animation.weights[$0 * ARKit.count + k] }.sorted()
            let rest = values[values.count / 2]
            for f in 0..<frames where weight[f] < 1 {
                let i = f * ARKit.count + k
                animation.weights[i] = weight[f] * animation.weights[i] + (1 - weight[f]) * rest
            }
        }
    }
}
