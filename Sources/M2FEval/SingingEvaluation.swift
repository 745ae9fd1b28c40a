import Foundation
import M2FFace

/// Adds up `SingingScores` for one model, clip by clip (`m2f eval singing`): what the issue asks of a
/// singing face, measured against each clip's score (`SungScore`).
/// - Held vowels: jawOpen std and speed inside held notes (≥ 0.6 s; their core, 0.15 s after the start
///   to 0.1 s before the end), against the jaw's speed over the rest of the sung frames (articulation).
/// - Loud high notes: per clip, the Pearson correlation over notes of the note's mean jawOpen with its
///   loudness (dB) and with its pitch (MIDI), averaged over clips.
/// - Breaths: mean jawOpen, mean lip gap and share of closed-lip frames inside breath pauses.
/// - Vibrato: jawOpen motion in 4–8 Hz (`SingingMeasures.bandMotion`) on each vibrato note's core
///   (0.35 s after the start, when the vibrato is in, to 0.1 s before the end) against the same note
///   of the same melody sung without vibrato.
package struct SingingEvaluation: Sendable {
    private let signals = FaceSignals()
    private var clips = 0, notes = 0, heldNotes = 0, breaths = 0
    private var heldStd = Mean(), heldSpeed = Mean(), otherSpeed = Mean(), heldJaw = Mean(), heldGap = Mean()
    private var loudnessCorrelation = Mean(), pitchCorrelation = Mean()
    private var breathJaw = Mean(), breathGap = Mean(), breathClosed = Mean()
    /// Band motion per (melody, note index), from the clips with vibrato and from those without.
    private var withVibrato: [String: (rms: Double, share: Double?)] = [:]
    private var withoutVibrato: [String: (rms: Double, share: Double?)] = [:]

    package init() {}

    package static let heldCoreOffsets = (start: 0.15, end: 0.1)
    package static let vibratoCoreOffsets = (start: 0.35, end: 0.1)

    /// Adds one clip's animation (any frame rate).
    package mutating func add(_ clip: SungClip, animation: FaceAnimation) {
        let fps = animation.fps, count = animation.frameCount
        guard count >= 2 else { return }
        let jawIndex = ARKit.index(of: "jawOpen")!
        let jaw = (0..<count).map { Double(animation.weights[$0 * ARKit.count + jawIndex]) }
        let gapMillimetres = signals.lipGap(animation).map { Double($0) * 1000 }
        add(clip.score, jaw: jaw, lipGapMillimetres: gapMillimetres, fps: fps)
    }

    /// Adds one clip from its jawOpen and lip-gap (mm) tracks at `fps`.
    package mutating func add(_ score: SungScore, jaw: [Double], lipGapMillimetres gap: [Double], fps: Double) {
        precondition(jaw.count == gap.count, "one lip gap per jawOpen frame")
        let count = jaw.count
        clips += 1
        func span(_ start: Double, _ end: Double) -> Range<Int> { SingingMeasures.frames(start: start, end: end, fps: fps, frameCount: count) }
        notes += score.notes.count
        var heldFrames = Set<Int>()
        var noteJaw: [Double] = [], noteLoudness: [Double] = [], notePitch: [Double] = []
        let hasVibrato = score.notes.contains { $0.vibrato != nil }
        for (index, note) in score.notes.enumerated() {
            let whole = span(note.start, note.end)
            if !whole.isEmpty {
                noteJaw.append(whole.reduce(0) { $0 + jaw[$1] } / Double(whole.count))
                noteLoudness.append(note.loudnessDB)
                notePitch.append(note.midi)
            }
            guard note.held else { continue }
            let core = span(note.start + Self.heldCoreOffsets.start, note.end - Self.heldCoreOffsets.end)
            guard core.count >= 2 else { continue }
            heldNotes += 1
            heldFrames.formUnion(core)
            heldStd.add(SingingMeasures.standardDeviation(jaw, core))
            heldSpeed.add(SingingMeasures.meanSpeed(jaw, frames: Array(core), fps: fps))
            heldJaw.add(core.reduce(0) { $0 + jaw[$1] } / Double(core.count))
            heldGap.add(core.reduce(0) { $0 + gap[$1] } / Double(core.count))
            let vibratoCore = span(note.start + Self.vibratoCoreOffsets.start, note.end - Self.vibratoCoreOffsets.end)
            if let motion = SingingMeasures.bandMotion(jaw, vibratoCore, fps: fps, band: SingingMeasures.vibratoBand) {
                let key = "\(score.melody)#\(index)"
                if hasVibrato {
                    if note.vibrato != nil { withVibrato[key] = motion }
                } else {
                    withoutVibrato[key] = motion
                }
            }
        }
        loudnessCorrelation.add(noteJaw.count >= 3 ? SignalStatistics.pearson(noteJaw, noteLoudness) : nil)
        pitchCorrelation.add(noteJaw.count >= 3 ? SignalStatistics.pearson(noteJaw, notePitch) : nil)
        // Articulation: the sung frames (first note's start to last note's end) outside breaths and held cores.
        let sung = span(score.notes.map(\.start).min()!, score.notes.map(\.end).max()!)
        let breathFrames = Set(score.breaths.flatMap { span($0.start, $0.end) })
        otherSpeed.add(SingingMeasures.meanSpeed(jaw, frames: sung.filter { !heldFrames.contains($0) && !breathFrames.contains($0) }, fps: fps))
        for breath in score.breaths {
            let frames = span(breath.start, breath.end)
            guard !frames.isEmpty else { continue }
            breaths += 1
            breathJaw.add(frames.reduce(0) { $0 + jaw[$1] } / Double(frames.count))
            breathGap.add(frames.reduce(0) { $0 + gap[$1] } / Double(frames.count))
            let closed = frames.filter { gap[$0] < Double(LipGeometry.closedThresholdMillimetres) }.count
            breathClosed.add(Double(closed) / Double(frames.count))
        }
    }

    package var scores: SingingScores {
        let paired = withVibrato.keys.sorted().compactMap { key in withoutVibrato[key].map { (withVibrato[key]!, $0) } }
        func mean(_ x: [Double]) -> Double? { x.isEmpty ? nil : x.reduce(0, +) / Double(x.count) }
        let vibratoRMS = mean(paired.map(\.0.rms)), plainRMS = mean(paired.map(\.1.rms))
        return SingingScores(
            clips: clips, notes: notes, held_notes: heldNotes, vibrato_pairs: paired.count, breaths: breaths,
            held_jaw_std: heldStd.value, held_jaw_speed: heldSpeed.value, articulation_jaw_speed: otherSpeed.value,
            held_to_articulation_speed: heldSpeed.value.flatMap { h in otherSpeed.value.flatMap { $0 > 0 ? h / $0 : nil } },
            held_jaw_mean: heldJaw.value, held_lip_gap_mm: heldGap.value,
            jaw_loudness_correlation: loudnessCorrelation.value, jaw_pitch_correlation: pitchCorrelation.value,
            breath_jaw_mean: breathJaw.value, breath_lip_gap_mm: breathGap.value, breath_closed_share: breathClosed.value,
            vibrato_band_rms: vibratoRMS, plain_band_rms: plainRMS,
            vibrato_band_ratio: vibratoRMS.flatMap { v in plainRMS.flatMap { $0 > 0 ? v / $0 : nil } },
            vibrato_band_share: mean(paired.compactMap(\.0.share)), plain_band_share: mean(paired.compactMap(\.1.share)))
    }
}

/// What `m2f eval singing` reports per model (snake-case keys: the JSON it writes).
package struct SingingScores: Codable, Sendable, Equatable {
    package var clips: Int
    package var notes: Int
    package var held_notes: Int
    /// Vibrato notes measured against the same note sung without vibrato.
    package var vibrato_pairs: Int
    package var breaths: Int
    /// Mean over held notes of jawOpen's std and mean speed (per second) inside the note's core.
    package var held_jaw_std: Double?
    package var held_jaw_speed: Double?
    /// The jaw's mean speed over the other sung frames (consonants, short notes): articulation.
    package var articulation_jaw_speed: Double?
    /// held_jaw_speed ÷ articulation_jaw_speed: well below 1 when held vowels are held.
    package var held_to_articulation_speed: Double?
    /// Mean jawOpen and lip gap (mm) inside held cores: a held vowel is open.
    package var held_jaw_mean: Double?
    package var held_lip_gap_mm: Double?
    /// Mean over clips of the correlation over notes of the note's mean jawOpen with loudness and pitch.
    package var jaw_loudness_correlation: Double?
    package var jaw_pitch_correlation: Double?
    /// Inside breath pauses: mean jawOpen, mean lip gap (mm), share of frames with closed lips.
    package var breath_jaw_mean: Double?
    package var breath_lip_gap_mm: Double?
    package var breath_closed_share: Double?
    /// jawOpen RMS in 4–8 Hz on vibrato notes and on the same notes without vibrato, their ratio
    /// (≈ 1: vibrato adds no chatter), and each one's share of the note's jaw motion.
    package var vibrato_band_rms: Double?
    package var plain_band_rms: Double?
    package var vibrato_band_ratio: Double?
    package var vibrato_band_share: Double?
    package var plain_band_share: Double?
}
