import Foundation
import M2FFace
import Media2Face
import Testing

/// The façade end to end with the real loader, Whisper (from `make models`) and generator, on a tiny
/// seeded model: frames, pieces, exports, metadata and every kind of bad input. Quality needs trained
/// weights (PipelineTrainedModelTests); plumbing does not.
@Suite(.serialized)
struct PipelineTinyModelTests {
    static var pipeline: Media2FacePipeline { get async throws { try await LoadedPipelines.tiny.value } }
    static let fast = AnimationOptions(steps: 4)

    static func wav(_ name: String, _ samples: [Float]) throws -> String {
        let url = PipelineFixtures.folder(name).appendingPathComponent("\(name).wav")
        try WAVFile.data(samples).write(to: url)
        return url.path
    }

    @Test func animatesTheExampleAndExportsEveryFormat() async throws {
        let result = try await Self.pipeline.animate(AnimationRequest(audioPath: PipelineFixtures.example, style: .emotion(.happy, intensity: 0.7),
                                                                options: Self.fast))
        let animation = result.animation
        #expect(abs(result.audioDuration - 6.9) < 0.01)
        #expect(animation.fps == 30 && animation.frameCount == 207)
        #expect(animation.weights.allSatisfy { $0 >= 0 && $0 <= 1 })
        #expect(animation.metadata["emotion"] == "happy" && animation.metadata["intensity"] == "0.7")
        #expect(animation.metadata["steps"] == "4" && animation.metadata["seed"] == "0" && animation.metadata["audio"] == "hello.wav")
        #expect(animation.metadata["model"]?.hasPrefix("media2face:") == true)
        let t = result.timings
        #expect(t.loadAudio > 0 && t.speechFeatures > 0 && t.generation > 0)
        #expect(abs(t.total - (t.loadAudio + t.speechFeatures + t.styleConditions + t.generation + t.assembly)) < 1e-9)
        #expect(result.chunkCount == 1 && result.warnings.isEmpty)

        let prefix = PipelineFixtures.folder("tiny-export").appendingPathComponent("hello").path
        let formats: [ExportFormat] = VideoEncoderAvailability.ffmpeg ? ExportFormat.allCases : [.csv, .json, .glb]
        let files = try AnimationExporter(videoSize: 32, supersample: 1)
            .write(animation, formats: formats, prefix: prefix, audioPath: PipelineFixtures.example)
        for file in files where file.format != .mp4 {
            let back = try AnimationFile.read(URL(fileURLWithPath: file.path))
            #expect(back.frameCount == 207, "\(file.format)")
            #expect(zip(back.weights, animation.weights).allSatisfy { abs($0 - $1) < 1e-3 }, "\(file.format)")
        }
    }

    @Test func theSameSeedGivesTheSameAnimation() async throws {
        let request = AnimationRequest(audioPath: PipelineFixtures.example, options: AnimationOptions(steps: 4, seed: 9))
        let a = try await Self.pipeline.animate(request).animation, b = try await Self.pipeline.animate(request).animation
        #expect(a.weights == b.weights && a.headPose == b.headPose)
        #expect(a.metadata["seed"] == "9")
    }

    @Test func silentAndVeryShortAudio() async throws {
        let silent = try await Self.pipeline.animate(AnimationRequest(audioPath: try Self.wav("silence", [Float](repeating: 0, count: 32_000)), options: Self.fast))
        #expect(silent.animation.frameCount == 60)
        #expect(silent.warnings.contains { $0.contains("silent") })
        let blip = try await Self.pipeline.animate(AnimationRequest(audioPath: try Self.wav("blip", (0..<3_200).map { Float(0.3 * sin(Double($0) / 5)) }),
                                                              options: Self.fast))
        #expect(blip.animation.frameCount == 6)
        #expect(blip.warnings.contains { $0.contains("padded") })
        // One sample is still audio: one frame.
        #expect(try await Self.pipeline.animate(AnimationRequest(audioPath: try Self.wav("one", [0.1]), options: Self.fast)).animation.frameCount == 1)
    }

    @Test func unreadableAudioIsAClearError() async throws {
        let folder = PipelineFixtures.folder("bad-audio")
        let text = folder.appendingPathComponent("notes.mp3")
        try Data("these are not sounds\n".utf8).write(to: text)
        if VideoEncoderAvailability.ffmpeg {
            await #expect {
                try await Self.pipeline.animate(AnimationRequest(audioPath: text.path))
            } throws: { error in
                guard case .unsupportedAudio(let file, _) = error as? PipelineError else { return false }
                return file == text.path && error.localizedDescription.contains("Use WAV, MP3")
            }
        }
        let fakeWAV = folder.appendingPathComponent("fake.wav")
        try Data("this is not a RIFF file at all".utf8).write(to: fakeWAV)
        await #expect(throws: PipelineError.unsupportedAudio(file: fakeWAV.path, detail: "named .wav but not a RIFF/WAVE file")) {
            try await Self.pipeline.animate(AnimationRequest(audioPath: fakeWAV.path))
        }
        let empty = folder.appendingPathComponent("empty.wav")
        try Data().write(to: empty)
        await #expect(throws: PipelineError.emptyAudio(file: empty.path)) { try await Self.pipeline.animate(AnimationRequest(audioPath: empty.path)) }
        await #expect(throws: PipelineError.emptyAudio(file: "mic")) {
            try await Self.pipeline.animate(samples: [], source: "mic", request: AnimationRequest(audioPath: "mic"))
        }
    }

    @Test func optionsAreCheckedBeforeTheAudioIsRead() async {
        for options in [AnimationOptions(audioGuidance: 100), AnimationOptions(styleGuidance: -1), AnimationOptions(steps: 101)] {
            await #expect(throws: PipelineError.self) { try await Self.pipeline.animate(AnimationRequest(audioPath: "/nonexistent.wav", options: options)) }
        }
    }

    /// 24 s in 10 s pieces with 2 s overlaps: three pieces, every frame present, values continuous
    /// through the joins (each joined frame lies between the two pieces' own values: a cross-fade).
    @Test func longAudioIsAnimatedInPieces() async throws {
        let speech = try WAVFile.samples(of: PipelineFixtures.example)
        var samples: [Float] = []
        while samples.count < 24 * 16_000 { samples += speech }
        let path = try Self.wav("long", Array(samples.prefix(24 * 16_000)))
        var configuration = try await Self.pipeline.configuration
        configuration.chunkSeconds = 10
        configuration.chunkOverlapSeconds = 2
        let result = try await Self.pipeline.reconfigured(configuration).animate(AnimationRequest(audioPath: path, options: Self.fast))
        #expect(result.chunkCount == 3)
        #expect(result.animation.frameCount == 720)
        #expect(result.animation.weights.allSatisfy { $0.isFinite && $0 >= 0 && $0 <= 1 })
    }

    @Test func keyframesAreHitExactly() async throws {
        let file = try KeyframeFile.parse(Data("""
            {"keyframes": [
              {"time": 1.0, "weights": {"jawOpen": 0.7, "mouthSmileLeft": 0.9}},
              {"start": 0, "weights": {"mouthClose": 0}}
            ]}
            """.utf8), file: "keys.json")
        let animation = try await Self.pipeline.animate(AnimationRequest(audioPath: PipelineFixtures.example, keyframes: file, options: Self.fast)).animation
        #expect(abs(animation[30, .jawOpen] - 0.7) <= 0.02)
        #expect(abs(animation[30, .mouthSmileLeft] - 0.9) <= 0.02)
        #expect((0..<animation.frameCount).allSatisfy { animation[$0, .mouthClose] <= 0.02 })
        #expect(animation.metadata["keyframes"] == "keys.json")
    }

    @Test func keyframePastTheEndNamesTheFileAndLine() async throws {
        let file = try KeyframeFile.parse(Data("{\"keyframes\": [\n{\"time\": 30, \"weights\": {\"jawOpen\": 1}}]}".utf8), file: "late.json")
        await #expect(throws: RequestFileError.self) {
            try await Self.pipeline.animate(AnimationRequest(audioPath: PipelineFixtures.example, keyframes: file, options: Self.fast))
        }
    }

    @Test func timelineWithTextAndABackgroundEmotion() async throws {
        let timeline = try StyleTimelineFile.parse(Data("""
            {"segments": [{"start": 0, "end": 3, "text": "calm and friendly"}, {"start": 5, "end": 6.9, "emotion": "sad"}]}
            """.utf8), file: "styles.json")
        let result = try await Self.pipeline.animate(AnimationRequest(audioPath: PipelineFixtures.example, style: .emotion(.happy, intensity: 1),
                                                                timeline: timeline, options: Self.fast))
        #expect(result.animation.frameCount == 207)
        #expect(result.animation.metadata["styleTimeline"] == "styles.json")
        #expect(result.timings.styleConditions > 0)
    }

    /// Images go through the face tracker (any model, ARKit-space ones too): a black 8 × 8 picture has no face.
    @Test func imageStyleWithoutAFace() async throws {
        let image = PipelineFixtures.folder("image").appendingPathComponent("face.png")
        try PNG.write(RGBImage(width: 8, height: 8), to: image)
        await #expect {
            try await Self.pipeline.animate(AnimationRequest(audioPath: PipelineFixtures.example, style: .image(path: image.path), options: Self.fast))
        } throws: { error in
            guard case let .imageUnreadable(path, problem) = error as? PipelineError else { return false }
            return path == image.path && problem.contains("no face")
        }
    }

    @Test func missingModelFolder() async {
        await #expect {
            try await Media2FacePipeline.load(configuration: Media2FacePipelineConfiguration(modelDirectory: "/nonexistent/model"))
        } throws: { error in
            guard case .modelMissing(let path, _) = error as? PipelineError else { return false }
            return path == "/nonexistent/model" && error.localizedDescription.contains("--model DIR")
        }
    }
}

/// Issue 19: keys at the edges of a clip and of the pieces of a long clip are hit, not rejected or dropped.
extension PipelineTinyModelTests {
    @Test func keyAtTheEndOfAPiecesContextIsHit() async throws {
        // 24 s in 10 s pieces: piece 0 is generated over frames 0 ..< 340 (11.333 s). 11.32 s is frame 340
        // (piece 1); filtered by time it went to piece 0 and aborted the run as "after the end of the clip".
        let speech = try WAVFile.samples(of: PipelineFixtures.example)
        var samples: [Float] = []
        while samples.count < 24 * 16_000 { samples += speech }
        let path = try Self.wav("long-keys", Array(samples.prefix(24 * 16_000)))
        var configuration = try await Self.pipeline.configuration
        configuration.chunkSeconds = 10
        configuration.chunkOverlapSeconds = 2
        let keys = try KeyframeFile.parse(Data("{\"keyframes\": [{\"time\": 11.32, \"weights\": {\"jawOpen\": 0.8}}]}".utf8), file: "k.json")
        let result = try await Self.pipeline.reconfigured(configuration).animate(AnimationRequest(audioPath: path, keyframes: keys, options: Self.fast))
        #expect(result.chunkCount == 3)
        #expect(abs(result.animation[340, .jawOpen] - 0.8) <= 0.02)
    }

    @Test func keyInTheLastPartialFrameIsHit() async throws {
        // 0.5 s is padded to 1 s for the model and trimmed to 15 frames: a key at 0.49 s (frame 14.7) used to
        // land on padded frame 15 and vanish with the padding.
        let path = try Self.wav("short-key", (0..<8_000).map { Float(0.3 * sin(Double($0) / 5)) })
        let keys = try KeyframeFile.parse(Data("{\"keyframes\": [{\"time\": 0.49, \"weights\": {\"jawOpen\": 0.9}}]}".utf8), file: "k.json")
        let animation = try await Self.pipeline.animate(AnimationRequest(audioPath: path, keyframes: keys, options: Self.fast)).animation
        #expect(animation.frameCount == 15)
        #expect(abs(animation[14, .jawOpen] - 0.9) <= 0.02)
    }
}

/// Issue 19: audio past the request's length limit is refused before any work, saying what it would take.
extension PipelineTinyModelTests {
    @Test func audioLongerThanTheLimitIsRefusedWithTheEstimate() async throws {
        var options = Self.fast
        options.maximumSeconds = 5
        do {
            _ = try await Self.pipeline.animate(AnimationRequest(audioPath: PipelineFixtures.example, options: options))
            Issue.record("6.9 s of audio passed a 5 s limit")
        } catch let error as PipelineError {
            guard case let .audioTooLong(file, estimate, limitHours) = error else { Issue.record("\(error)"); return }
            #expect(file == PipelineFixtures.example && abs(limitHours - 5.0 / 3600) < 1e-12)
            #expect(estimate.hasPrefix("6.9 s of audio in 1 piece: about 1"), "\(estimate)")
            #expect(error.localizedDescription.contains("Raise it with --max-hours"))
        }
        options.maximumSeconds = 0
        await #expect(throws: PipelineError.self) { try await Self.pipeline.animate(AnimationRequest(audioPath: PipelineFixtures.example, options: options)) }
    }
}
