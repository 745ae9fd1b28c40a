/// The names of the evaluation metrics of `../shared/DESIGN.md`, as they appear in `m2f eval --json`.
package enum EvaluationMetric: String, CaseIterable, Codable, Sendable {
    /// Lip vertex error (mm): per frame, the largest lip-vertex distance; mean over frames.
    case lve = "lve_mm"
    /// Upper-face dynamics deviation (×1e-5 m).
    case fdd = "fdd"
    /// Share of bilabial segments in which the lips close.
    case lipClosureRate = "lip_closure_rate"
    /// Lag (frames) that best aligns predicted and reference lip opening.
    case audioVisualOffset = "av_offset_frames"
    /// Correlation of speech loudness (dB) and lip opening.
    case slcc = "slcc"
    /// Head-motion beat alignment with audio onsets.
    case beatAlignment = "beat_alignment"
    /// Mean pairwise distance between samples with different seeds.
    case diversity = "diversity"
}
