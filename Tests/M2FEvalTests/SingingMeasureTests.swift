import Foundation
import M2FEval
import Testing

/// `m2f eval singing`'s measures on constructed tracks whose answers follow by hand (exact DFT bins,
/// Parseval), and the score reader on bad input.
@Suite("Singing measures (m2f eval singing)")
struct SingingMeasureTests {
    static let fps = 30.0

    static func sine(amplitude: Double, hz: Double, frames: Int, offset: Double = 0) -> [Double] {
        (0..<frames).map { offset + amplitude * sin(2 * Double.pi * hz * Double($0) / fps) }
    }

    /// A cosine centred on the window: over whole cycles it is orthogonal to a constant and to a line, so
    /// detrending leaves it exactly as it is (a sine is not orthogonal to a line).
    static func centredCosine(amplitude: Double, hz: Double, frames: Int, offset: Double = 0) -> [Double] {
        let centre = Double(frames - 1) / 2
        return (0..<frames).map { offset + amplitude * cos(2 * Double.pi * hz * (Double($0) - centre) / fps) }
    }

    @Test("frames of a span: start ≤ f / fps < end, clipped to the track")
    func spans() {
        #expect(SingingMeasures.frames(start: 0.1, end: 0.5, fps: 30, frameCount: 100) == 3..<15)
        #expect(SingingMeasures.frames(start: 0, end: 1 / 30.0, fps: 30, frameCount: 100) == 0..<1)
        #expect(SingingMeasures.frames(start: 3, end: 9, fps: 30, frameCount: 100) == 90..<100)
        #expect(SingingMeasures.frames(start: 5, end: 9, fps: 30, frameCount: 100).isEmpty)
    }

    @Test("band motion: a 6 Hz sine on an exact bin is all in 4–8 Hz with RMS A/√2; 2 Hz and a ramp are not")
    func bandMotion() throws {
        // 30 frames at 30 fps: bins are 1 Hz apart, so 6 Hz and 2 Hz are exact bins.
        let inBand = Self.centredCosine(amplitude: 0.1, hz: 6, frames: 30, offset: 0.4)
        let a = try #require(SingingMeasures.bandMotion(inBand, 0..<30, fps: Self.fps, band: 4...8))
        #expect(abs(a.rms - 0.1 / 2.0.squareRoot()) < 1e-9)
        #expect(abs(try #require(a.share) - 1) < 1e-9)
        let outOfBand = Self.centredCosine(amplitude: 0.1, hz: 2, frames: 30)
        let b = try #require(SingingMeasures.bandMotion(outOfBand, 0..<30, fps: Self.fps, band: 4...8))
        #expect(b.rms < 1e-9 && (b.share ?? 1) < 1e-12)
        // Both: the band keeps the 6 Hz part, the share is 0.1² / (0.1² + 0.2²) = 0.2.
        let both = zip(inBand, Self.centredCosine(amplitude: 0.2, hz: 2, frames: 30)).map { $0 + $1 }
        let c = try #require(SingingMeasures.bandMotion(both, 0..<30, fps: Self.fps, band: 4...8))
        #expect(abs(c.rms - 0.1 / 2.0.squareRoot()) < 1e-9)
        #expect(abs(try #require(c.share) - 0.2) < 1e-9)
        // A sine on the same bin leaks into the line that detrending removes: a little less than A/√2.
        let leaky = try #require(SingingMeasures.bandMotion(Self.sine(amplitude: 0.1, hz: 6, frames: 30), 0..<30, fps: Self.fps, band: 4...8))
        #expect(leaky.rms < a.rms && leaky.rms > 0.95 * a.rms)
        // A drift (a straight line) is removed first: no motion at all.
        let ramp = (0..<30).map { 0.2 + 0.01 * Double($0) }
        let d = try #require(SingingMeasures.bandMotion(ramp, 0..<30, fps: Self.fps, band: 4...8))
        #expect(d.rms < 1e-9 && d.share == nil)
        // Too short to tell.
        #expect(SingingMeasures.bandMotion(inBand, 0..<7, fps: Self.fps, band: 4...8) == nil)
    }

    @Test("std and speed: a square wave 0.2/0.4 has std 0.1 and speed 0.2 · fps per step")
    func steadiness() throws {
        let square = (0..<10).map { $0 % 2 == 0 ? 0.2 : 0.4 }
        #expect(abs(try #require(SingingMeasures.standardDeviation(square, 0..<10)) - 0.1) < 1e-12)
        #expect(abs(try #require(SingingMeasures.meanSpeed(square, frames: Array(0..<10), fps: 30)) - 6) < 1e-9)
        // Only pairs with both frames inside count: frames 0, 1 and 5 give one pair.
        #expect(abs(try #require(SingingMeasures.meanSpeed(square, frames: [0, 1, 5], fps: 30)) - 6) < 1e-9)
        #expect(SingingMeasures.meanSpeed(square, frames: [0, 2, 4], fps: 30) == nil)
    }

    /// A 3 s clip: notes 0–0.3 s (short), 0.5–2 s (held, vibrato in the vibrato rendering), a breath 2–3 s.
    static func score(vibrato: Bool) -> SungScore {
        SungScore(melody: "m", notes: [
            SungNote(start: 0, end: 0.3, midi: 50, loudnessDB: -20, held: false),
            SungNote(start: 0.3, end: 0.5, midi: 52, loudnessDB: -15, held: false),
            SungNote(start: 0.5, end: 2, midi: 55, loudnessDB: -10, held: true,
                     vibrato: vibrato ? SungVibrato(rateHz: 6, depthSemitones: 0.7) : nil),
        ], breaths: [SungBreath(start: 2, end: 3)])
    }

    @Test("a face that holds the vowel, opens with loudness and pitch, rests in the breath and chatters only with vibrato")
    func evaluation() throws {
        // jawOpen: 0.1 on the first note, 0.3 on the second, 0.5 held (plus 6 Hz chatter of 0.05 with
        // vibrato), 0 in the breath; the lips closed (0 mm) in the breath, 10 mm elsewhere.
        func jaw(vibrato: Bool) -> [Double] {
            (0..<90).map { f in
                let t = Double(f) / Self.fps
                if t < 0.3 { return 0.1 } else if t < 0.5 { return 0.3 } else if t < 2 {
                    return 0.5 + (vibrato ? 0.05 * sin(2 * Double.pi * 6 * t) : 0)
                }
                return 0
            }
        }
        let gap = (0..<90).map { Double($0) / Self.fps < 2 ? 10.0 : 0 }
        var evaluation = SingingEvaluation()
        evaluation.add(Self.score(vibrato: true), jaw: jaw(vibrato: true), lipGapMillimetres: gap, fps: Self.fps)
        evaluation.add(Self.score(vibrato: false), jaw: jaw(vibrato: false), lipGapMillimetres: gap, fps: Self.fps)
        let s = evaluation.scores
        #expect(s.clips == 2 && s.notes == 6 && s.held_notes == 2 && s.breaths == 2 && s.vibrato_pairs == 1)
        #expect(abs(try #require(s.held_jaw_mean) - 0.5) < 0.01)
        #expect(abs(try #require(s.jaw_loudness_correlation) - 1) < 1e-3)  // 0.1, 0.3, 0.5 vs -20, -15, -10: linear
        #expect(try #require(s.jaw_pitch_correlation) > 0.99)
        #expect(try #require(s.breath_closed_share) == 1 && s.breath_jaw_mean == 0)
        // The vibrato note's core (0.85–1.9 s, 32 frames) holds 6 Hz of amplitude 0.05: RMS ≈ 0.035; the
        // plain one none.
        #expect(abs(try #require(s.vibrato_band_rms) - 0.05 / 2.0.squareRoot()) < 0.006)
        #expect(try #require(s.plain_band_rms) < 1e-9)
        #expect(s.plain_band_share == nil)  // nothing moves at all on the plain note
        // Held std: 0 plain, 0.05/√2 with vibrato; the mean of the two.
        #expect(abs(try #require(s.held_jaw_std) - 0.05 / 2.0.squareRoot() / 2) < 0.004)
    }

    @Test("held-vowel detection: recall over held-note cores, precision over notes")
    func heldVowelDetection() {
        // At 30 fps: a held note 1–2 s (core frames 35..<57), a short note 3–3.3 s (frames 90..<99).
        let score = SungScore(melody: "m", notes: [SungNote(start: 1, end: 2, midi: 50, loudnessDB: -3, held: true),
                                                   SungNote(start: 3, end: 3.3, midi: 52, loudnessDB: -3, held: false)], breaths: [])
        var detection = HeldVowelDetection()
        // 11 of the 22 core frames, 5 frames of the short note, 4 frames in no note.
        detection.add(score, runs: [35..<46, 90..<95, 110..<114], fps: Self.fps, frameCount: 120)
        #expect(detection.recall == 0.5)
        #expect(detection.precision == 0.8)
        #expect(HeldVowelDetection().recall == nil && HeldVowelDetection().precision == nil)
    }

    @Test("bad scores name the file and the problem")
    func badScores() {
        #expect(throws: SungClipError.badScore("a.notes.json", reason: "no notes")) {
            try SungScore.decode(Data(#"{"melody":"m","notes":[],"breaths":[]}"#.utf8), source: "a.notes.json", seconds: 3)
        }
        let outside = #"{"melody":"m","notes":[{"start":1,"end":9,"vowel":"aa","midi":50,"loudness_db":-3,"held":true}],"breaths":[]}"#
        #expect(throws: SungClipError.badScore("b.notes.json", reason: "note from 1.0 to 9.0 s is not inside the 3.00 s clip")) {
            try SungScore.decode(Data(outside.utf8), source: "b.notes.json", seconds: 3)
        }
        #expect(throws: SungClipError.self) { try SungScore.decode(Data("[1".utf8), source: "c.notes.json", seconds: 3) }
        #expect(throws: SungClipError.noFolder("/nonexistent/singing")) {
            try SungClip.load(directory: URL(fileURLWithPath: "/nonexistent/singing"))
        }
    }
}
