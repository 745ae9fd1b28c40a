import ArgumentParser
import Foundation
import M2FEval
import Media2Face

/// `m2f eval singing`: models on sung clips with known notes (`make singing-data`): held vowels, the jaw
/// on loud and high notes, breath pauses and jaw chatter on vibrato (`SingingEvaluation`).
struct EvalSingingCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "singing",
        abstract: "Held vowels, loud/high-note jaw, breath pauses and vibrato chatter of models on sung clips.",
        discussion: """
            The folder holds <name>.wav clips with <name>.notes.json scores (notes with pitch, loudness, held and \
            vibrato flags; breath pauses). scripts/singing/make_singing.sh (make singing-data) makes five melodies \
            from the LibriVox clips of data/human-speech, each sung with and without vibrato, into data/singing. \
            --compare adds more model folders, measured in the same run; each is measured with singing mode \
            (m2f animate --singing) off and on unless --modes says otherwise.

            Example: m2f eval singing --compare Models/media2face-synthetic
            """)

    @Option(help: "Folder of sung .wav clips with .notes.json scores.")
    var dir = "data/singing"

    @Option(help: "Another Media2Face model folder to measure beside --model (repeatable).")
    var compare: [String] = []

    @Option(help: "Singing mode settings to measure each model with: off, on or off,on.")
    var modes = "off,on"

    @OptionGroup var evaluation: EvalRunOptions

    @OptionGroup var models: ModelFolderOptions

    /// The singing-mode settings of --modes, in order.
    var singingModes: [Bool] {
        get throws {
            let parts = modes.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            guard !parts.isEmpty, parts.allSatisfy({ $0 == "off" || $0 == "on" }) else {
                throw ValidationError("--modes \(modes): use off, on or off,on")
            }
            return parts.map { $0 == "on" }
        }
    }

    func validate() throws {
        _ = try singingModes
    }

    func run() async throws {
        let singingModes = try singingModes
        let clips = try SungClip.load(directory: URL(fileURLWithPath: dir))
        let bar = ProgressBar(enabled: !evaluation.quiet)
        var detection = HeldVowelDetection()
        for clip in clips {
            let frameCount = Int(Double(clip.samples.count) / 16_000 * 30)
            detection.add(clip.score, runs: SungVowelHold().heldVowels(samples: clip.samples, fps: 30, frameCount: frameCount),
                          fps: 30, frameCount: frameCount)
        }
        let folders = [models.model] + compare.map { Optional($0) }
        var columns: [SingingReport.Column] = []
        for (m, folder) in folders.enumerated() {
            bar.message("loading \(folder ?? "the default model")…")
            let pipeline = try await Media2FacePipeline.load(
                configuration: Media2FacePipelineConfiguration(modelDirectory: folder, gnpfaDirectory: models.gnpfa))
            for singing in singingModes {
                var options = self.evaluation.animationOptions
                options.singing = singing
                var evaluation = SingingEvaluation()
                for (index, clip) in clips.enumerated() {
                    bar.update(stage: "model \(m + 1)/\(folders.count)\(singing ? " --singing" : "")", done: index, total: clips.count)
                    let animation = try await pipeline.animate(samples: clip.samples, source: clip.id,
                                                               request: AnimationRequest(audioPath: clip.id, options: options)).animation
                    evaluation.add(clip, animation: animation)
                }
                columns.append(SingingReport.Column(model: folder ?? "default", singing: singing, scores: evaluation.scores))
            }
        }
        bar.finish()
        let report = SingingReport(folder: dir, held_vowel_recall: detection.recall, held_vowel_precision: detection.precision, columns: columns)
        try evaluation.emit(report) { report.table }
    }
}

/// The JSON of `m2f eval singing`: one column per model.
struct SingingReport: Codable {
    struct Column: Codable {
        var model: String
        /// Singing mode (m2f animate --singing) on or off.
        var singing: Bool
        var scores: SingingScores
        var name: String { String(model.suffix(singing ? 14 : 24)) + (singing ? " --singing" : "") }
    }
    var folder: String
    /// Singing mode's held-vowel detector against the scores (`HeldVowelDetection`), at 30 fps.
    var held_vowel_recall: Double?
    var held_vowel_precision: Double?
    var columns: [Column]

    var table: String {
        func value(_ x: Double?, _ digits: Int = 3) -> String { x.map { String(format: "%.\(digits)f", $0) } ?? "—" }
        let rows: [(String, (SingingScores) -> String)] = [
            ("held jawOpen std", { value($0.held_jaw_std) }),
            ("held jawOpen speed /s", { value($0.held_jaw_speed) }),
            ("articulation jaw speed /s", { value($0.articulation_jaw_speed) }),
            ("held ÷ articulation speed", { value($0.held_to_articulation_speed) }),
            ("held jawOpen mean", { value($0.held_jaw_mean) }),
            ("held lip gap mm", { value($0.held_lip_gap_mm, 2) }),
            ("jaw ↔ loudness r", { value($0.jaw_loudness_correlation) }),
            ("jaw ↔ pitch r", { value($0.jaw_pitch_correlation) }),
            ("breath jawOpen mean", { value($0.breath_jaw_mean) }),
            ("breath lip gap mm", { value($0.breath_lip_gap_mm, 2) }),
            ("breath closed share", { value($0.breath_closed_share) }),
            ("4–8 Hz jaw RMS, vibrato", { value($0.vibrato_band_rms, 4) }),
            ("4–8 Hz jaw RMS, same notes plain", { value($0.plain_band_rms, 4) }),
            ("vibrato ÷ plain", { value($0.vibrato_band_ratio, 2) }),
            ("4–8 Hz share, vibrato / plain", { "\(value($0.vibrato_band_share, 2)) / \(value($0.plain_band_share, 2))" }),
        ]
        let first = columns.first?.scores
        var lines = ["singing: \(first?.clips ?? 0) clips of \(folder), \(first?.notes ?? 0) notes (\(first?.held_notes ?? 0) held, "
                     + "\(first?.vibrato_pairs ?? 0) vibrato/plain pairs), \(first?.breaths ?? 0) breaths",
                     "held-vowel detector (--singing): recall \(value(held_vowel_recall)) of held-note core frames, "
                     + "precision \(value(held_vowel_precision)) (flagged frames inside notes)",
                     "measure".padding(toLength: 34, withPad: " ", startingAt: 0)
                        + columns.map { $0.name.padding(toLength: 26, withPad: " ", startingAt: 0) }.joined()]
        for (name, read) in rows {
            lines.append(name.padding(toLength: 34, withPad: " ", startingAt: 0) + columns.map { read($0.scores).padding(toLength: 26, withPad: " ", startingAt: 0) }.joined())
        }
        return lines.joined(separator: "\n")
    }
}
