import Foundation
import M2FAudio
import M2FFace
import Media2Face

/// `m2f eval controls`: do the style controls do what they say? Emotion intensity over its range, text
/// prompts (held-out paraphrases and everyday words; the vocabulary reading against the bare MiniLM
/// embedding, the shipped behaviour, in the same run), the speaking-style dials, and the keyframe beside
/// a range constraint. Every figure is a mean over `clips` with one seed.
package struct ControlSuite {
    package let pipeline: Media2FacePipeline
    /// (name, 16 kHz mono samples).
    package let clips: [(name: String, samples: [Float])]
    package let options: AnimationOptions

    package init(pipeline: Media2FacePipeline, clips: [(name: String, samples: [Float])], options: AnimationOptions) {
        self.pipeline = pipeline
        self.clips = clips
        self.options = options
    }

    /// An audio file as a clip: 16 kHz mono through `AudioLoader` (WAV, or anything ffmpeg reads).
    package static func clip(_ path: String) throws -> (name: String, samples: [Float]) {
        (name: path, samples: try AudioLoader().load(path: path).samples)
    }

    package static let intensities: [Float] = [0, 0.25, 0.5, 0.75, 1]
    /// (emotion, channel) pairs of the intensity table.
    package static let intensityChannels: [(Emotion, ControlChannel)] = [
        (.happy, .smile), (.sad, .frown), (.sad, .brow_inner_up), (.angry, .brow_down), (.surprised, .eye_wide),
    ]
    package static let dialValues: [Float] = [0, 0.5, 1, 1.5, 2]

    /// The clips animated with one style (default options: the suite's).
    package func animations(_ style: StyleSpecification, options: AnimationOptions? = nil, keyframes: KeyframeFile? = nil) async throws -> [FaceAnimation] {
        var out: [FaceAnimation] = []
        for clip in clips {
            let request = AnimationRequest(audioPath: clip.name, style: style, keyframes: keyframes, options: options ?? self.options)
            out.append(try await pipeline.animate(samples: clip.samples, source: clip.name, request: request).animation)
        }
        return out
    }

    package func signals(_ style: StyleSpecification, options: AnimationOptions? = nil) async throws -> ControlSignals {
        ControlSignals(try await animations(style, options: options))
    }

    /// Runs every measure; `progress` gets a stage name.
    package func run(progress: (String) -> Void = { _ in }) async throws -> ControlReport {
        progress("no style and emotion labels")
        let none = try await signals(.none)
        var full: [String: ControlSignals] = [:]
        for emotion in Emotion.allCases where emotion != .neutral { full[emotion.rawValue] = try await signals(.emotion(emotion, intensity: 1)) }

        progress("intensity")
        var intensity: [IntensityRow] = []
        var byEmotion: [Emotion: [ControlSignals]] = [:]
        for (emotion, channel) in Self.intensityChannels {
            if byEmotion[emotion] == nil {
                var levels: [ControlSignals] = []
                for level in Self.intensities { levels.append(level == 0 ? none : level == 1 ? full[emotion.rawValue]! : try await signals(.emotion(emotion, intensity: level))) }
                byEmotion[emotion] = levels
            }
            intensity.append(IntensityRow(emotion: emotion.rawValue, channel: channel, intensities: Self.intensities,
                                          values: byEmotion[emotion]!.map { $0[channel] }))
        }

        func promptRows(_ expectations: [PromptExpectation], _ stage: String) async throws -> [PromptRow] {
            var rows: [PromptRow] = []
            for (i, expectation) in expectations.enumerated() {
                progress("\(stage) \(i + 1)/\(expectations.count)")
                var raw = options
                raw.rawTextEmbedding = true
                let shipped = try await signals(.text(expectation.prompt), options: raw)[expectation.channel]
                let read = try await signals(.text(expectation.prompt))[expectation.channel]
                let reading = try await pipeline.readPrompt(expectation.prompt)
                let fullEffect = ControlPrompts.emotion(signedBy: expectation.channel).map { full[$0.rawValue]![expectation.channel] - none[expectation.channel] }
                rows.append(PromptRow(expectation: expectation, none: none[expectation.channel], shipped: shipped, read: read,
                                      emotionFullEffect: fullEffect, neighbours: reading.neighbours.prefix(3).map(\.text),
                                      bestSimilarity: reading.neighbours.first?.similarity))
            }
            return rows
        }
        let heldOut = try await promptRows(ControlPrompts.heldOut, "held-out prompts")
        let heldOutSecond = try await promptRows(ControlPrompts.heldOutSecond, "second held-out prompts")
        let everyday = try await promptRows(ControlPrompts.everydayWords, "everyday words")

        progress("dials")
        var dials: [DialRow] = []
        let dialMeasures: [(String, ControlChannel, WritableKeyPath<SpeakingDials, Float?>)] = [
            ("articulation", .jaw_open, \.articulation), ("energy", .expression_speed, \.energy), ("head_motion", .head_rotation_std, \.headMotion),
        ]
        for (name, channel, dial) in dialMeasures {
            var values: [Double] = []
            for value in Self.dialValues {
                var dialed = options
                dialed.speaking[keyPath: dial] = value
                values.append(value == 1 ? none[channel] : try await signals(.none, options: dialed)[channel])
            }
            dials.append(DialRow(dial: name, channel: channel, settings: Self.dialValues, values: values))
        }

        progress("keyframe beside a range constraint")
        let keyframe = try await keyframeCheck()
        return ControlReport(clips: clips.map(\.name), none: none, emotion_full: full, intensity: intensity,
                             held_out_prompts: heldOut, held_out_second: heldOutSecond, everyday_words: everyday, dials: dials, keyframe_with_range: keyframe)
    }

    /// Issue 17's case on the first clip: jawOpen 0.9 keyed at frame 60 beside browInnerUp held at 0.
    func keyframeCheck() async throws -> KeyframeRangeCheck? {
        guard clips[0].samples.count >= 16_000 * 22 / 10 else { return nil }   // frame 63 must exist
        let json = #"{"keyframes":[{"frame":60,"weights":{"jawOpen":0.9}},{"start":0,"weights":{"browInnerUp":0}}]}"#
        let keys = try KeyframeFile.parse(Data(json.utf8), file: "issue-17-keys.json")
        let clip = ControlSuite(pipeline: pipeline, clips: [clips[0]], options: options)
        let animation = try await clip.animations(.none, keyframes: keys)[0]
        let speeds = velocities(animation)
        let jaw = ARKit.index(of: "jawOpen")!, brow = ARKit.index(of: "browInnerUp")!
        let near = (58...61).filter { $0 < speeds.count }.map { speeds[$0] }
        let browMax = (0..<animation.frameCount).map { Double(animation.weights[$0 * ARKit.count + brow]) }.max() ?? 0
        return KeyframeRangeCheck(key_frame: 60, jaw_open_at_key: Double(animation.weights[60 * ARKit.count + jaw]),
                                  jaw_open_frames_57_to_63: (57...63).map { Double(animation.weights[$0 * ARKit.count + jaw]) },
                                  speed_next_to_key_max: near.max() ?? 0, speed_p99: percentile(speeds, 0.99), brow_inner_up_max: browMax)
    }
}
