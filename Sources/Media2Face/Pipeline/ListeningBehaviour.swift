import Foundation
import M2FEngine
import M2FFace

/// How a face listens in a dialogue while the other speaks: small nods timed to the speaker's pauses,
/// now and then a back-channel expression (a slight smile or brow raise) with a nod, an attentive gaze
/// (eyes held on the speaker with small saccades), blinks at a human rate and a slow sway of the head
/// (`ListeningHeadDrift.swift`). Added on top of the model's own idle motion, only inside listening
/// stretches and never across a switch, so the face is unchanged where it speaks and the motion starts
/// and ends at rest. Deterministic for a seed.
///
/// The amounts come from tracked real speakers (`data/realface-ship`, 14 speakers, 4.8 min, measured
/// with `m2f eval dialogue`'s nod and blink detectors): head-pitch nods of 2.2° median prominence
/// (p25 1.8°, p75 3.2°) and 0.37 s half-height width (about 0.6 s end to end); 13.8 blinks per minute.
public struct ListeningBehaviour: Codable, Sendable, Equatable, Hashable {
    /// Scales the nods, the head sway, the back-channel expressions and the gaze pull; 0 turns all listening motion
    /// off (the face listens with the model's idle motion only, as before), 1 is the measured amount.
    public var amount: Float

    public init(amount: Float = 1) { self.amount = amount }

    public static let off = ListeningBehaviour(amount: 0)
    public static let amountRange: ClosedRange<Float> = 0...2

    /// Median nod size (degrees of head pitch, face tipping down) and the log-normal spread around it.
    static let nodDegrees = 2.2, nodLogSigma = 0.3
    /// A nod's duration end to end (a raised cosine, so its half-height width is half of it).
    static let nodSeconds: ClosedRange<Double> = 0.45...0.8
    /// A listener nods on this share of the speaker's pauses, at most one nod per `nodSpacing` seconds,
    /// `nodDelay` after the pause starts (listeners answer a phrase end, they do not anticipate it).
    static let nodChance = 0.7, nodSpacing = 2.0, nodDelay = 0.12
    /// A pause: the speaker's level `pauseDrop` dB under their speech level for `pauseSeconds`, after at
    /// least `phraseSeconds` of speech.
    static let pauseDrop: Float = 15, pauseSeconds = 0.15, phraseSeconds = 0.6
    /// Share of nods that come with a back-channel expression, its length and peak weights.
    static let backChannelChance = 0.35, backChannelSeconds = 1.2
    static let smilePeak: Float = 0.12, browPeak: Float = 0.10
    /// Blinks per minute while listening (the model's own count: only the missing rate is added, where
    /// the model leaves a gap) and an added blink's length.
    static let blinksPerMinute = 14.0, blinkSeconds = 0.25
    /// Gaze: how strongly the eyes are held on the speaker (straight ahead) and the saccade targets'
    /// spread (radians) and fixation lengths.
    static let gazePull: Float = 0.7, saccadeSpread: (yaw: Float, pitch: Float) = (0.025, 0.015)
    static let fixationSeconds: ClosedRange<Double> = 0.6...1.6, saccadeSeconds = 0.05
    /// eyeLook* weight 1 at these gaze angles (radians), as the teacher's rig mapping.
    static let lookSideAngle: Float = 0.45, lookUpAngle: Float = 0.36, lookDownAngle: Float = 0.40
    /// Frames of the ramp, inside each listening stretch, that blends the gaze pull in and out.
    static let rampFrames = 9

    /// What was added, in seconds: for tests and the animation's metadata.
    public struct Plan: Sendable, Equatable {
        public struct Nod: Sendable, Equatable { public var start: Double, duration: Double, degrees: Double }
        public struct Expression: Sendable, Equatable { public var start: Double, smile: Bool }
        /// The speaker's pauses that could take a nod (start times).
        public var pauses: [Double] = []
        public var nods: [Nod] = []
        public var expressions: [Expression] = []
        /// Start times of the blinks added (the model's own are kept).
        public var blinks: [Double] = []
        /// The slow head sway added per frame (radians, zero where the face speaks; `ListeningHeadDrift`),
        /// empty for a still-head run.
        public var headDrift: [HeadPose] = []

        public init() {}
    }

    /// Adds listening motion to `animation` where `listening` is true. `speakerLevels` is the other
    /// speaker's level per frame (dBFS, `DialogueGate.levels`) and `speakerSpeaks` their gate; with
    /// `nods` false the head pose is left alone (a still-head run). Returns what was added.
    @discardableResult
    public func apply(to animation: inout FaceAnimation, listening: [Bool], speakerLevels: [Float], speakerSpeaks: [Bool],
                      seed: UInt64, nods: Bool = true) -> Plan {
        let frames = animation.frameCount, fps = animation.fps
        precondition(listening.count == frames && speakerLevels.count == frames && speakerSpeaks.count == frames,
                     "one listening flag and speaker level per frame")
        guard amount > 0, frames > 0 else { return Plan() }
        let runs = Self.runs(listening)
        func fits(_ start: Double, _ length: Double) -> Bool {  // inside one listening run, 0.1 s from its ends
            runs.contains { Double($0.lowerBound) / fps + 0.1 <= start && start + length <= Double($0.upperBound) / fps - 0.1 }
        }
        var plan = Plan()
        plan.pauses = Self.pauses(levels: speakerLevels, speaks: speakerSpeaks, fps: fps)
        var random = Self.generator(seed, stream: 1)
        for pause in plan.pauses {
            let start = pause + Self.nodDelay
            guard Double(random.nextUniform()) < Self.nodChance else { continue }
            if let last = plan.nods.last, start - last.start < Self.nodSpacing { continue }
            let duration = Self.nodSeconds.lowerBound + Double(random.nextUniform()) * (Self.nodSeconds.upperBound - Self.nodSeconds.lowerBound)
            let degrees = Double(amount) * Self.nodDegrees * exp(Self.nodLogSigma * Double(random.nextNormal()))
            let expression = Double(random.nextUniform()) < Self.backChannelChance, smile = random.nextUniform() < 0.5
            guard fits(start, max(duration, expression ? Self.backChannelSeconds : 0)) else { continue }
            if nods { plan.nods.append(.init(start: start, duration: duration, degrees: degrees)) }
            if expression { plan.expressions.append(.init(start: start, smile: smile)) }
        }
        plan.blinks = Self.addedBlinks(animation, runs: runs, fits: fits, generator: Self.generator(seed, stream: 2))
        if nods { plan.headDrift = Self.headDrift(listening: listening, fps: fps, amount: amount, generator: Self.generator(seed, stream: 4)) }
        render(plan, into: &animation, listening: listening, gaze: Self.gaze(frames: frames, fps: fps, generator: Self.generator(seed, stream: 3)))
        return plan
    }

    /// Writes the plan's nods, expressions and blinks and the gaze pull into the animation.
    func render(_ plan: Plan, into animation: inout FaceAnimation, listening: [Bool], gaze: [(yaw: Float, pitch: Float)]) {
        let fps = animation.fps, count = ARKit.count
        func bump(_ t: Double, _ start: Double, _ length: Double) -> Float {  // raised cosine, 0 outside
            t <= start || t >= start + length ? 0 : Float(0.5 * (1 - cos(2 * Double.pi * (t - start) / length)))
        }
        let radians = Float.pi / 180
        let pull = Self.inwardRamp(listening, frames: Self.rampFrames)
        let scale = min(amount, 1)
        for f in 0..<animation.frameCount {
            let t = Double(f) / fps
            for nod in plan.nods { animation.headPose[f].pitch += Float(nod.degrees) * radians * bump(t, nod.start, nod.duration) }
            if listening[f], f < plan.headDrift.count {
                let drift = plan.headDrift[f]
                animation.headPose[f].yaw += drift.yaw
                animation.headPose[f].pitch += drift.pitch
                animation.headPose[f].roll += drift.roll
            }
            func add(_ shape: ARKitBlendshape, _ value: Float) {
                let i = f * count + shape.index
                animation.weights[i] = min(1, animation.weights[i] + value)
            }
            for expression in plan.expressions {
                let v = amount * bump(t, expression.start, Self.backChannelSeconds)
                guard v > 0 else { continue }
                if expression.smile {
                    add(.mouthSmileLeft, v * Self.smilePeak); add(.mouthSmileRight, v * Self.smilePeak)
                } else {
                    add(.browInnerUp, v * Self.browPeak); add(.browOuterUpLeft, v * Self.browPeak); add(.browOuterUpRight, v * Self.browPeak)
                }
            }
            for start in plan.blinks {
                let v = Self.blinkProfile((t - start) / Self.blinkSeconds)
                add(.eyeBlinkLeft, max(0, v - animation[f, .eyeBlinkLeft])); add(.eyeBlinkRight, max(0, v - animation[f, .eyeBlinkRight]))
            }
            let p = Self.gazePull * scale * pull[f]
            guard p > 0 else { continue }
            for (shape, target) in Self.lookWeights(yaw: gaze[f].yaw, pitch: gaze[f].pitch) {
                let i = f * count + shape.index
                animation.weights[i] = (1 - p) * animation.weights[i] + p * target
            }
        }
    }
}

extension ListeningBehaviour {
    /// Start times (s) of the speaker's pauses: `pauseSeconds` under their speech level − `pauseDrop`
    /// after `phraseSeconds` of speech within their turn.
    static func pauses(levels: [Float], speaks: [Bool], fps: Double) -> [Double] {
        let spoken = zip(levels, speaks).filter { $0.1 }.map(\.0).sorted()
        guard !spoken.isEmpty else { return [] }
        let quiet = spoken[spoken.count / 2] - pauseDrop
        let needQuiet = Int((pauseSeconds * fps).rounded(.up)), needSpeech = Int((phraseSeconds * fps).rounded())
        var result: [Double] = [], speech = 0, f = 0
        while f < levels.count {
            if levels[f] >= quiet { speech += 1; f += 1; continue }
            var end = f
            while end < levels.count && levels[end] < quiet { end += 1 }
            if end - f < needQuiet {  // a dip inside a word or between words: the phrase goes on
                speech += end - f
            } else {
                if speech >= needSpeech && speaks[max(0, f - 1)] { result.append(Double(f) / fps) }
                speech = 0
            }
            f = end
        }
        return result
    }

    /// Blinks added so that listening runs blink at about `blinksPerMinute`: the model's own blinks in
    /// them count, the rest come at the missing rate (intervals uniform in 0.5–1.5 × the mean: a short
    /// conversation gets about its rate, not a Poisson count's spread), kept only where the model has no
    /// blink within 1.5 s, 1.5 s after the last added one, and where the blink fits the run.
    static func addedBlinks(_ animation: FaceAnimation, runs: [Range<Int>], fits: (Double, Double) -> Bool,
                            generator: RandomGenerator) -> [Double] {
        var random = generator
        let fps = animation.fps, duration = animation.duration, window = Int(1.5 * fps)
        let closed = (0..<animation.frameCount).map { (animation[$0, .eyeBlinkLeft] + animation[$0, .eyeBlinkRight]) / 2 >= 0.5 }
        let listeningMinutes = Double(runs.reduce(0) { $0 + $1.count }) / fps / 60
        let modelBlinks = runs.reduce(0) { count, run in count + run.dropFirst().filter { closed[$0] && !closed[$0 - 1] }.count }
        let missing = blinksPerMinute - Double(modelBlinks) / max(listeningMinutes, 1e-9)
        guard missing > 0.5 else { return [] }
        let meanInterval = 60 / missing
        var t = Double(random.nextUniform()) * meanInterval, added: [Double] = []
        while t < duration {
            let f = Int(t * fps)
            let nearModelBlink = closed[max(0, f - window)..<min(closed.count, f + window + 1)].contains(true)
            if !nearModelBlink && fits(t, blinkSeconds) && added.last.map({ t - $0 >= 1.5 }) ?? true { added.append(t) }
            t += meanInterval * (0.5 + Double(random.nextUniform()))
        }
        return added
    }

    /// A blink's closure at `u` = time from its start / `blinkSeconds`: closing over 35 %, closed
    /// for 15 %, opening over the rest, smoothstep ramps.
    static func blinkProfile(_ u: Double) -> Float {
        guard u > 0 && u < 1 else { return 0 }
        func smooth(_ x: Double) -> Double { x * x * (3 - 2 * x) }
        if u < 0.35 { return Float(smooth(u / 0.35)) }
        if u < 0.5 { return 1 }
        return Float(1 - smooth((u - 0.5) / 0.5))
    }

    /// Per frame the saccade target (yaw positive toward the face's left, pitch positive down; radians):
    /// fixations near straight ahead, `fixationSeconds` long, joined by `saccadeSeconds` smooth steps.
    static func gaze(frames: Int, fps: Double, generator: RandomGenerator) -> [(yaw: Float, pitch: Float)] {
        var random = generator
        func target() -> (Float, Float) {
            (saccadeSpread.yaw * max(-2, min(2, random.nextNormal())), saccadeSpread.pitch * max(-2, min(2, random.nextNormal())))
        }
        var previous = target(), current = previous, switchAt = 0.0
        var next = Double(random.nextUniform()) * fixationSeconds.upperBound
        return (0..<frames).map { f in
            let t = Double(f) / fps
            if t >= next {
                (previous, current, switchAt) = (current, target(), next)
                next += fixationSeconds.lowerBound + Double(random.nextUniform()) * (fixationSeconds.upperBound - fixationSeconds.lowerBound)
            }
            let x = Float(min(1, max(0, (t - switchAt) / saccadeSeconds))), blend = x * x * (3 - 2 * x)
            return (yaw: previous.0 + (current.0 - previous.0) * blend, pitch: previous.1 + (current.1 - previous.1) * blend)
        }
    }

    /// The eight eyeLook* weights for a gaze direction: toward the face's left turns the left eye out and
    /// the right eye in; down uses eyeLookDown, up eyeLookUp.
    static func lookWeights(yaw: Float, pitch: Float) -> [(ARKitBlendshape, Float)] {
        let side = min(1, abs(yaw) / lookSideAngle), down = min(1, max(0, pitch) / lookDownAngle), up = min(1, max(0, -pitch) / lookUpAngle)
        return [(.eyeLookOutLeft, yaw > 0 ? side : 0), (.eyeLookInRight, yaw > 0 ? side : 0),
                (.eyeLookInLeft, yaw < 0 ? side : 0), (.eyeLookOutRight, yaw < 0 ? side : 0),
                (.eyeLookDownLeft, down), (.eyeLookDownRight, down), (.eyeLookUpLeft, up), (.eyeLookUpRight, up)]
    }

    /// Per frame, 0 outside `mask` and rising linearly to 1 over `frames` frames inside it from each end
    /// of a run: a blend that never reaches outside the run.
    static func inwardRamp(_ mask: [Bool], frames: Int) -> [Float] {
        var ramp = [Float](repeating: 0, count: mask.count)
        for run in runs(mask) {
            for f in run { ramp[f] = min(1, Float(min(f - run.lowerBound + 1, run.upperBound - f)) / Float(frames + 1)) }
        }
        return ramp
    }

    /// The maximal runs of true values.
    package static func runs(_ mask: [Bool]) -> [Range<Int>] {
        var result: [Range<Int>] = [], start: Int?
        for (f, on) in mask.enumerated() {
            if on, start == nil { start = f }
            if !on, let s = start { result.append(s..<f); start = nil }
        }
        if let s = start { result.append(s..<mask.count) }
        return result
    }

    /// An independent random stream per behaviour, so that one drawing more numbers never shifts another.
    static func generator(_ seed: UInt64, stream: UInt64) -> RandomGenerator {
        RandomGenerator(seed: seed &* 0x9E37_79B9_7F4A_7C15 &+ stream &* 0xD1B5_4A32_D192_ED03)
    }
}
