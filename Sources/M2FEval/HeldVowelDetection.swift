import Foundation

/// How well singing mode's held-vowel detector (`SungVowelHold.heldVowels`) agrees with sung clips'
/// scores (`m2f eval singing`), summed over clips: recall is the share of held-note core frames (0.15 s
/// after the start to 0.1 s before the end, as `SingingEvaluation`) it flags, precision the share of
/// flagged frames that lie inside a note (any note: a short note's vowel is a vowel too).
package struct HeldVowelDetection: Sendable {
    private var coreFrames = 0, foundCoreFrames = 0, flaggedFrames = 0, flaggedInNotes = 0

    package init() {}

    /// Adds one clip: its score and the detector's runs (frames at `fps`, `frameCount` of them).
    package mutating func add(_ score: SungScore, runs: [Range<Int>], fps: Double, frameCount: Int) {
        let flagged = Set(runs.flatMap { $0 })
        var inNotes = Set<Int>(), cores = Set<Int>()
        for note in score.notes {
            inNotes.formUnion(SingingMeasures.frames(start: note.start, end: note.end, fps: fps, frameCount: frameCount))
            guard note.held else { continue }
            cores.formUnion(SingingMeasures.frames(start: note.start + SingingEvaluation.heldCoreOffsets.start,
                                                   end: note.end - SingingEvaluation.heldCoreOffsets.end, fps: fps, frameCount: frameCount))
        }
        coreFrames += cores.count
        foundCoreFrames += cores.intersection(flagged).count
        flaggedFrames += flagged.count
        flaggedInNotes += flagged.intersection(inNotes).count
    }

    /// Share of held-note core frames flagged; nil without held notes.
    package var recall: Double? { coreFrames > 0 ? Double(foundCoreFrames) / Double(coreFrames) : nil }
    /// Share of flagged frames inside notes; nil when nothing was flagged.
    package var precision: Double? { flaggedFrames > 0 ? Double(flaggedInNotes) / Double(flaggedFrames) : nil }
}
