import ArgumentParser
import Foundation
import M2FAudio
import M2FEncoders
import M2FEngine

/// `m2f encode-audio`: speech features (Whisper tiny.en encoder) for an audio file of any length.
struct EncodeAudioCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "encode-audio",
        abstract: "Encode speech with Whisper tiny.en into features [frames, 384] (needs `m2f models fetch`).",
        discussion: """
            Writes tensor `features` to a safetensors file: the encoder's native 50 Hz frames, or with --fps \
            one frame per animation frame (frame i centred at i / fps). Audio longer than 30 s is encoded in \
            overlapping 30 s windows and stitched without seams.
            """)

    @Argument(help: "Input audio or video file (WAV natively; mp3, m4a, flac, ogg, mp4… via ffmpeg).")
    var input: String

    @Option(name: .shortAndLong, help: "Output .safetensors file.")
    var output: String

    @Option(parsing: .unconditional, help: "Resample the features to this frame rate (e.g. 30).")
    var fps: Double?

    @Flag(help: "Encode clips under 30 s without padding them to a full window (faster, slightly different features).")
    var noPadding = false

    func validate() throws {
        if let fps, !(fps > 0 && fps <= 1000) { throw ValidationError("--fps must be in (0, 1000], got \(fps)") }
    }

    func run() throws {
        let start = Date()
        let clip = try AudioLoader().load(path: input)
        let extractor = SpeechFeatureExtractor(encoder: try WhisperModel.loadEncoder(),
                                               shortAudio: noPadding ? .encodeNeededFrames : .padToWindow)
        var features = extractor.features(samples: clip.samples) { done, total in
            if total > 1 { FileHandle.standardError.write(Data("\rencoding window \(done)/\(total)".utf8)) }
            if total > 1 && done == total { FileHandle.standardError.write(Data("\n".utf8)) }
        }
        if let fps {
            features = SpeechFeatureExtractor.resample(features, toFPS: fps, frameCount: Int((clip.duration * fps).rounded(.up)))
        }
        try SafeTensors.write(["features": features], to: output, metadata: [
            "source": input, "frame_rate": String(fps ?? SpeechFeatureExtractor.featureRate), "model": WhisperModel.name,
        ])
        print("\(input): \(String(format: "%.2f", clip.duration)) s → features \(features.shape) in \(output)"
            + " (\(String(format: "%.2f", Date().timeIntervalSince(start))) s)")
    }
}
