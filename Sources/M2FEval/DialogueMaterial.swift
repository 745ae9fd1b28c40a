import Foundation
import M2FFace

/// A two-speaker conversation built from recordings of two people speaking alone (the test material of
/// `m2f eval dialogue`): turns alternate A, B, A, B…, each turn one of the speaker's clips cut to at most
/// `maximumTurnSeconds` at its quietest frame in the last 2 s before that, with `gapSeconds` of silence
/// between turns. Every turn is brought to the same RMS level so neither voice dominates, and each
/// microphone carries its own speaker plus the other at `crossTalkGain` (−20 dB), as headset or lapel
/// microphones in one room do. The tracked face of each turn (when the clips come from video) travels
/// with it, on the same timeline.
package struct DialogueMaterial: Sendable {
    /// One recording of one speaker: 16 kHz audio and, for a clip imported from video, its tracked face.
    package struct Recording: Sendable {
        package var samples: [Float]
        package var face: FaceAnimation?
        package init(samples: [Float], face: FaceAnimation?) { (self.samples, self.face) = (samples, face) }
    }

    package struct Turn: Sendable {
        package var speaker: Int
        /// Frames of the material at `fps`.
        package var frames: Range<Int>
        /// The tracked face of the turn (its frames), if the recording had one.
        package var face: FaceAnimation?
    }

    package static let sampleRate = 16_000
    package static let crossTalkGain: Float = 0.1, turnRMS: Float = 0.05
    package static let maximumTurnSeconds = 8.0, gapSeconds = 0.6

    /// Each speaker's clean voice on the conversation's timeline [2][S].
    package private(set) var voices: [[Float]] = [[], []]
    /// Each speaker's microphone: own voice plus the other's cross-talk [2][S].
    package private(set) var microphones: [[Float]] = [[], []]
    package private(set) var turns: [Turn] = []
    package let fps: Double

    /// - Parameters: the two speakers' recordings (used in order, alternately, a long one over several
    ///   turns, until either speaker runs out or the conversation reaches `seconds`).
    package init(speakerA: [Recording], speakerB: [Recording], seconds: Double, fps: Double = 30) {
        self.fps = fps
        let rate = Double(Self.sampleRate), gap = [Float](repeating: 0, count: Int(Self.gapSeconds * rate))
        // Each speaker's recordings as a queue; a recording longer than a turn gives several turns.
        var queues = [speakerA[...], speakerB[...]], speaker = 0
        while let recording = queues[speaker].first, Double(voices[0].count) / rate < seconds {
            let cut = Self.cut(recording.samples, fps: fps)
            let frameCount = Int((Double(cut) / rate * fps).rounded(.down))
            let rest = Recording(samples: Array(recording.samples[cut...]),
                                 face: recording.face.flatMap { $0.frameCount > frameCount ? try? $0.trimmed(frames: frameCount..<$0.frameCount) : nil })
            queues[speaker].removeFirst()
            if rest.samples.count > Int(rate) { queues[speaker].insert(rest, at: queues[speaker].startIndex) }
            guard cut > Int(0.5 * rate) else { continue }  // too short for a turn
            let start = voices[0].count
            let level = Self.rms(recording.samples[..<cut])
            let gain = level > 1e-6 ? Self.turnRMS / level : 0
            voices[speaker] += recording.samples[..<cut].map { $0 * gain }
            voices[1 - speaker] += [Float](repeating: 0, count: cut)
            let first = Int((Double(start) / rate * fps).rounded())
            let face = recording.face.flatMap { try? $0.trimmed(frames: 0..<min(frameCount, $0.frameCount)) }
            turns.append(Turn(speaker: speaker, frames: first..<(first + (face?.frameCount ?? frameCount)), face: face))
            for k in 0..<2 { voices[k] += gap }
            speaker = 1 - speaker
        }
        microphones = [zip(voices[0], voices[1]).map { $0 + Self.crossTalkGain * $1 },
                       zip(voices[1], voices[0]).map { $0 + Self.crossTalkGain * $1 }]
    }

    /// Per frame (`frameCount` frames), whether `speaker` holds a turn.
    package func speaks(_ speaker: Int, frameCount: Int) -> [Bool] {
        var mask = [Bool](repeating: false, count: frameCount)
        for turn in turns where turn.speaker == speaker {
            for f in turn.frames where f < frameCount { mask[f] = true }
        }
        return mask
    }

    /// How many turns each speaker has.
    package var turnCounts: [Int] { [0, 1].map { k in turns.filter { $0.speaker == k }.count } }

    /// The length of a recording's turn in samples: all of it up to `maximumTurnSeconds`, else cut at the
    /// quietest frame of the 2 s before that limit (a pause, so the turn ends on a phrase).
    static func cut(_ samples: [Float], fps: Double) -> Int {
        let rate = Double(sampleRate), limit = Int(maximumTurnSeconds * rate)
        guard samples.count > limit else { return samples.count }
        let hop = Int(rate / fps), from = limit - Int(2 * rate)
        var best = limit, quietest = Float.infinity
        for start in stride(from: from, to: limit - hop, by: hop) {
            let level = rms(samples[start..<(start + hop)])
            if level < quietest { (quietest, best) = (level, start + hop / 2) }
        }
        return best
    }

    static func rms(_ x: ArraySlice<Float>) -> Float {
        x.isEmpty ? 0 : (x.reduce(0) { $0 + $1 * $1 } / Float(x.count)).squareRoot()
    }
}
