import ArgumentParser
import Foundation
import M2FAudio
import M2FEngine

/// `m2f mel`: any audio file to Whisper's log-mel spectrogram.
struct MelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mel",
        abstract: "Write Whisper's 80-band log-mel of an audio file (WAV natively; mp3, m4a, flac, ogg, mp4… via ffmpeg).",
        discussion: "The output holds tensor `mel` [80, frames] at 100 frames per second, and `audio` [samples] at 16 kHz with --audio.")

    @Argument(help: "Input audio or video file.")
    var input: String

    @Option(name: .shortAndLong, help: "Output .safetensors file.")
    var output: String

    @Option(parsing: .unconditional, help: "Zeros appended before the STFT, in seconds (Whisper pads 30 s).")
    var padSeconds: Double = 0

    @Flag(help: "Also store the decoded 16 kHz mono samples as tensor `audio`.")
    var audio = false

    func validate() throws {
        try OptionRange.check(padSeconds, "--pad-seconds", 0...3600, unit: " s")
    }

    func run() throws {
        let start = Date()
        let clip = try AudioLoader().load(path: input)
        let decoded = Date()
        let padding = Int((padSeconds * Double(WhisperLogMel.sampleRate)).rounded())
        let mel = WhisperLogMel()(clip.samples, padding: padding)
        let finished = Date()
        var tensors = ["mel": mel]
        if audio { tensors["audio"] = Tensor(clip.samples, shape: [clip.samples.count]) }
        try SafeTensors.write(tensors, to: output, metadata: [
            "source": input, "source_sample_rate": String(clip.sourceSampleRate),
            "source_channels": String(clip.sourceChannels),
        ])
        let ms = { (a: Date, b: Date) in String(format: "%.1f", b.timeIntervalSince(a) * 1000) }
        print("\(input): \(String(format: "%.2f", clip.duration)) s, \(clip.sourceChannels) ch at \(clip.sourceSampleRate) Hz"
            + " → mel \(mel.shape) in \(output) (decode+resample \(ms(start, decoded)) ms, mel \(ms(decoded, finished)) ms)")
    }
}
