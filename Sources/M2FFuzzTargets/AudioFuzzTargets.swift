import Foundation
import M2FAudio

/// WAV bytes through `WAVReader.decode`, the reader behind `m2f animate` / `encode-audio` for .wav.
enum AudioFuzzTargets {
    static let file = "fuzz-input.wav"

    static func wav(_ data: Data) {
        do {
            let clip = try WAVReader.decode(data, path: file)
            guard clip.sampleRate > 0 else { FuzzCheck.fail("wav: sample rate \(clip.sampleRate)") }
            for (i, sample) in clip.samples.enumerated() where !sample.isFinite {
                FuzzCheck.fail("wav: sample \(i) is \(sample) but the file was accepted")
            }
        } catch {
            FuzzCheck.errorNamesFile(error, file: file, target: "wav")
        }
    }
}
