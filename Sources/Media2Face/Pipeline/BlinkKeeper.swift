import Foundation
import M2FEngine
import M2FFace

/// Keeps the eyes blinking at a human rate. The model blinks on its own, but unevenly: a live stream
/// (few DDIM steps on a short window) averages most blinks away (2–8 per minute on held-out real clips,
/// against 19 for the tracked people), and offline runs vary by clip. Where the eyes have stayed open
/// for a chosen interval since the last blink, one blink is added; the model's own blinks are kept and
/// restart the interval.
///
/// The interval adapts to the model: if its own blinks come at rate λ (estimated as the run goes) and
/// an added blink follows any gap longer than I, blinks come at λ / (1 − e^(−λI)); I is solved so that this
/// is `targetPerMinute`, and jittered so the added blinks are not metronomic. A model that already blinks
/// at the target gets none added.
///
/// It is causal and frame by frame (the decision at a frame reads only earlier frames), so for the same
/// frames a stream and an offline run add the same blinks, and it is deterministic per seed.
package struct BlinkKeeper: Sendable {
    /// The tracked real speakers blink 19 times a minute (held-out split); conversation: ~15–25.
    static let targetPerMinute = 18.0
    /// The model's own rate before any has been seen (per minute), weighted as `priorSeconds` of run.
    static let priorPerMinute = 8.0, priorSeconds = 20.0
    /// Log-normal jitter of the interval, and its bounds in seconds.
    static let intervalSpread = 0.3, intervalRange = 1.2...30.0
    /// Eyes count as closed (a blink) at a mean eyeBlink of 0.5, as `m2f eval`'s blink counter reads them.
    static let closedLevel: Float = 0.5

    private var generator: RandomGenerator
    private var lastBlink = 0.0
    private var jitter = 1.0
    private var ownBlinks = 0
    private var addedStart: Double?
    private var wasClosed = false
    /// Start times (s) of the blinks added so far.
    package private(set) var added: [Double] = []

    package init(seed: UInt64) {
        generator = RandomGenerator(seed: seed &* 0x9E37_79B9_7F4A_7C15 &+ 0x5851_F42D_4C95_7F2D)
        jitter = nextJitter()
    }

    /// The keeper `options` ask for: nil when blinks are not added; seeded by the seed and the
    /// dialogue face's offset, so a file and a stream of the same request add the same blinks.
    package static func forRequest(_ options: AnimationOptions) -> BlinkKeeper? {
        options.addsBlinks ? BlinkKeeper(seed: options.seed &+ options.blinkSeedOffset) : nil
    }

    private mutating func nextJitter() -> Double {
        Foundation.exp(Self.intervalSpread * Double(max(-2.5, min(2.5, generator.nextNormal()))))
    }

    /// The gap after which a blink is added, for the model's own rate so far (nil: none needed).
    func interval(at time: Double) -> Double? {
        let ownRate = (Double(ownBlinks) + Self.priorPerMinute / 60 * Self.priorSeconds) / (time + Self.priorSeconds)
        let target = Self.targetPerMinute / 60
        guard ownRate < target * 0.98 else { return nil }
        let solved = -Foundation.log(1 - ownRate / target) / ownRate
        return min(max(solved * jitter, Self.intervalRange.lowerBound), Self.intervalRange.upperBound)
    }

    /// Processes one frame at `time` seconds (52 weights, canonical order), adding to its eyeBlink weights.
    package mutating func process(_ weights: inout [Float], time: Double) {
        let left = ARKitBlendshape.eyeBlinkLeft.index, right = ARKitBlendshape.eyeBlinkRight.index
        // Read as a stream emits them (clamped), so a file and a stream with the same frames agree.
        weights[left] = min(max(weights[left], 0), 1)
        weights[right] = min(max(weights[right], 0), 1)
        if let start = addedStart {
            let closure = ListeningBehaviour.blinkProfile((time - start) / ListeningBehaviour.blinkSeconds)
            weights[left] = max(weights[left], closure)
            weights[right] = max(weights[right], closure)
            if time - start >= ListeningBehaviour.blinkSeconds { addedStart = nil }
        }
        let closed = (weights[left] + weights[right]) / 2 >= Self.closedLevel
        defer { wasClosed = closed }
        if closed {
            if !wasClosed && addedStart == nil { ownBlinks += 1; lastBlink = time; jitter = nextJitter() }
            return
        }
        guard addedStart == nil, let interval = interval(at: time), time - lastBlink >= interval else { return }
        addedStart = time
        added.append(time)
        lastBlink = time
        jitter = nextJitter()
    }

    /// Runs over every frame of `animation` in order.
    package mutating func apply(to animation: inout FaceAnimation) {
        var frame = [Float](repeating: 0, count: ARKit.count)
        for f in 0..<animation.frameCount {
            let base = f * ARKit.count
            for k in 0..<ARKit.count { frame[k] = animation.weights[base + k] }
            process(&frame, time: Double(f) / animation.fps)
            for k in 0..<ARKit.count { animation.weights[base + k] = frame[k] }
        }
    }
}
