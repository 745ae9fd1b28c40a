import Foundation
import M2FFace

/// Per-model sums over the clips of an imported real-video dataset (`m2f eval real-faces`): the model's
/// animation of each clip's audio against the tracked face of the person who spoke it.
package struct RealFaceComparison: Sendable {
    package private(set) var clips = 0
    private var motion: [RealFaceMotion] = []
    private var matches: [RealFaceMouthMatch] = []

    package init() {}

    package mutating func add(_ motion: RealFaceMotion, match: RealFaceMouthMatch?) {
        clips += 1
        self.motion.append(motion)
        if let match { matches.append(match) }
    }

    /// Clip means (each clip counts once, whatever its length).
    package var scores: RealFaceScores {
        func mean(_ x: [Double?]) -> Double? {
            let present = x.compactMap { $0 }
            return present.isEmpty ? nil : present.reduce(0, +) / Double(present.count)
        }
        return RealFaceScores(
            clips: clips,
            lip_gap_correlation: mean(matches.map(\.lipGapCorrelation)),
            lip_gap_best_lag_frames: mean(matches.map { $0.bestLagFrames.map(Double.init) }),
            jaw_open_correlation: mean(matches.map(\.jawOpenCorrelation)),
            head_rotation_std_degrees: mean(motion.map(\.headRotationStdDegrees)) ?? 0,
            blinks_per_minute: mean(motion.map(\.blinksPerMinute)) ?? 0,
            rest_brow_inner_up: mean(motion.map(\.restBrowInnerUp)) ?? 0,
            rest_brow_down: mean(motion.map(\.restBrowDown)) ?? 0,
            rest_eye_wide: mean(motion.map(\.restEyeWide)) ?? 0,
            rest_smile: mean(motion.map(\.restSmile)) ?? 0,
            rest_frown: mean(motion.map(\.restFrown)) ?? 0,
            mean_jaw_open: mean(motion.map(\.meanJawOpen)) ?? 0,
            lip_closures_per_speech_minute: mean(motion.map(\.lipClosuresPerSpeechMinute)) ?? 0,
            closed_share_of_speech: mean(motion.map(\.closedShareOfSpeech)) ?? 0)
    }
}

/// What `m2f eval real-faces` prints per face source (the tracked people, then each model).
/// Snake-case keys: the JSON the command writes.
package struct RealFaceScores: Sendable, Codable, Equatable {
    package var clips: Int
    /// Nil for the tracked people themselves (nothing to match against).
    package var lip_gap_correlation: Double?
    package var lip_gap_best_lag_frames: Double?
    package var jaw_open_correlation: Double?
    package var head_rotation_std_degrees: Double
    package var blinks_per_minute: Double
    package var rest_brow_inner_up: Double
    package var rest_brow_down: Double
    package var rest_eye_wide: Double
    package var rest_smile: Double
    package var rest_frown: Double
    package var mean_jaw_open: Double
    package var lip_closures_per_speech_minute: Double
    package var closed_share_of_speech: Double
}
