import ArgumentParser
import Foundation
import M2FDataset
import M2FEval
import M2FFace
import Media2Face

/// `m2f eval dialogue`: two faces on a two-speaker conversation built from real recordings.
struct EvalDialogueCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dialogue",
        abstract: "Two faces on a conversation of two real speakers: own voice vs cross-talk, and listening behaviour.",
        discussion: """
            The conversation is built from two speakers of --data (a dataset imported from video, m2f dataset \
            import-video): their clips alternate as turns of at most 8 s with 0.6 s gaps, evened in level, and each \
            speaker's microphone also carries the other at -20 dB (DialogueMaterial). Each model animates it three \
            ways: "ungated" (each microphone animated alone, as two plain m2f animate runs would), "no listening" \
            (m2f animate --dialogue --listening-motion 0) and "dialogue" (the default --dialogue). Per face: \
            correlation of jawOpen and lip gap with its own and the other's loudness, and over the listening frames \
            the lip gap against the other's loudness, blinks and nods per minute, head-rotation std and the share \
            of frames with the mouth at rest. The tracked people's own figures over their turns come first.

            Example: m2f eval dialogue --data data/realface --compare Models/media2face-synthetic
            """)

    @Option(help: "Dataset imported from real video (m2f dataset import-video).")
    var data: String

    @Option(help: "The two speakers (the clips' voice field), comma-separated; default the two English speakers with the most audio.")
    var speakers: String?

    @Option(parsing: .unconditional, help: "Length of the conversation in seconds (shorter if a speaker runs out of clips).")
    var seconds = 60.0

    @Option(help: "Write the conversation's two microphones as a stereo WAV here (input for m2f animate --dialogue).")
    var saveAudio: String?

    @Option(help: "Another Media2Face model folder to measure beside --model (repeatable).")
    var compare: [String] = []

    @OptionGroup var evaluation: EvalRunOptions

    @OptionGroup var models: ModelFolderOptions

    func validate() throws {
        try OptionRange.check(seconds, "--seconds", 5...3600)
        if let speakers, speakers.split(separator: ",").count != 2 { throw ValidationError("--speakers \(speakers): give two voices, comma-separated") }
    }

    func run() async throws {
        let reader = try DatasetReader(directory: URL(fileURLWithPath: data))
        let voices = try chooseSpeakers(reader)
        var recordings: [[DialogueMaterial.Recording]] = [[], []]
        for (k, voice) in voices.enumerated() {
            for record in reader.records where record.voice == voice {
                let arrays = try reader.arrays(of: record)
                var face = arrays.animation(fps: record.fps)
                if face.fps != 30 { face = try face.resampled(to: 30) }
                recordings[k].append(.init(samples: arrays.audio.toArray(), face: face))
            }
        }
        let material = DialogueMaterial(speakerA: recordings[0], speakerB: recordings[1], seconds: seconds)
        if let saveAudio { try WAVWriter.write(channels: material.microphones, sampleRate: DialogueMaterial.sampleRate, to: URL(fileURLWithPath: saveAudio)) }
        let bar = ProgressBar(enabled: !evaluation.quiet)
        let signals = FaceSignals()
        let people = [0, 1].map { k in
            DialoguePersonMeasures(turns: material.turns.filter { $0.speaker == k }.compactMap { turn in
                turn.face.map { face in
                    let audio = Array(material.voices[k][(turn.frames.lowerBound * 16_000 / 30)...])
                    return (face: face, loudness: LipSyncMetrics.loudness(samples: audio, sampleRate: 16_000, fps: 30, frameCount: face.frameCount), lipGap: signals.lipGap(face))
                }
            })
        }
        var results: [DialogueReport.Model] = []
        for folder in [models.model] + compare.map({ Optional($0) }) {
            bar.message("loading \(folder ?? "the default model")…")
            let pipeline = try await Media2FacePipeline.load(
                configuration: Media2FacePipelineConfiguration(modelDirectory: folder, gnpfaDirectory: models.gnpfa))
            let request = AnimationRequest(audioPath: "dialogue", options: evaluation.animationOptions)
            var variants: [DialogueReport.Variant] = []
            for variant in ["ungated", "no listening", "dialogue"] {
                bar.update(stage: "\(folder ?? "default"): \(variant)", done: variants.count, total: 3)
                var faces: [FaceAnimation]
                if variant == "ungated" {
                    faces = []
                    for k in 0..<2 { faces.append(try await pipeline.animate(samples: material.microphones[k], source: "mic \(k + 1)", request: request).animation) }
                } else {
                    let listening = variant == "dialogue" ? ListeningBehaviour() : .off
                    faces = try await pipeline.animateDialogue(material.microphones, sources: ["mic 1", "mic 2"], request: request, listening: listening)
                        .map(\.result.animation)
                }
                variants.append(.init(name: variant, faces: faces.enumerated().map { k, face in measure(face, speaker: k, material) }))
            }
            results.append(.init(folder: folder ?? "default", variants: variants))
        }
        bar.finish()
        let report = DialogueReport(dataset: data, speakers: voices, seconds: Double(material.voices[0].count) / 16_000,
                                    turns: material.turnCounts, people: people, models: results)
        try evaluation.emit(report) { report.table }
    }

    /// Face `speaker`'s measures against the material's clean voices and turns.
    func measure(_ face: FaceAnimation, speaker: Int, _ material: DialogueMaterial) -> DialogueFaceMeasures {
        let frames = face.frameCount
        let loudness = material.voices.map { LipSyncMetrics.loudness(samples: $0, sampleRate: 16_000, fps: face.fps, frameCount: frames) }
        return DialogueFaceMeasures(face, ownLoudness: loudness[speaker], otherLoudness: loudness[1 - speaker],
                                    speaks: material.speaks(speaker, frameCount: frames), otherSpeaks: material.speaks(1 - speaker, frameCount: frames),
                                    lipGap: FaceSignals().lipGap(face))
    }

    /// --speakers, or the two English voices with the most audio.
    func chooseSpeakers(_ reader: DatasetReader) throws -> [String] {
        let seconds = Dictionary(reader.records.map { ($0.voice, $0.duration) }, uniquingKeysWith: +)
        if let speakers {
            let chosen = speakers.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }
            for voice in chosen where seconds[voice] == nil {
                throw ValidationError("\(data): no clips of speaker \"\(voice)\"; its speakers: \(seconds.keys.sorted().joined(separator: ", "))")
            }
            return chosen
        }
        let english = Dictionary(reader.records.filter { $0.language.hasPrefix("en") }.map { ($0.voice, $0.duration) }, uniquingKeysWith: +)
        let ranked = english.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.map(\.key)
        guard ranked.count >= 2 else { throw ValidationError("\(data): a dialogue needs two English speakers, it has \(ranked.count)") }
        return Array(ranked.prefix(2))
    }
}
