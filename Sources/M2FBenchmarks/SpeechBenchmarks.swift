import Foundation
import M2FAudio
import M2FEncoders
import M2FSystem

/// `m2f bench speech`: the audio front end and the speech encoder. Whisper's log-mel for 30 s of
/// 16 kHz audio; a 10-minute 44.1 kHz stereo 16-bit WAV (and, when ffmpeg is installed, the same audio
/// as MP3) taken from disk to log-mel: decode, downmix, resample to 16 kHz, mel; and, when the Whisper
/// model is installed, the encoder on 30 s and the 10-minute WAV end to end to 50 Hz features.
package enum SpeechBenchmarks {
    package static func run(quick: Bool = false, report: (BenchmarkResult) -> Void) throws {
        let mel = WhisperLogMel()
        let speechLike = signal(seconds: 30, sampleRate: 16_000)
        report(BenchmarkTimer.measure("logmel_30s", iterations: quick ? 3 : 20) { _ = mel.compute(speechLike) })

        let resampler = Resampler(from: 44_100)
        let tenMinutes44k = signal(seconds: quick ? 60 : 600, sampleRate: 44_100)
        report(BenchmarkTimer.measure(quick ? "resample_44k1_to_16k_1min" : "resample_44k1_to_16k_10min",
                                      warmup: 1, iterations: 3) { _ = resampler(tenMinutes44k) })

        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("m2f-speech-bench-\(getpid())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let wav = folder.appendingPathComponent("ten_minutes.wav").path
        try stereoWAV(tenMinutes44k, sampleRate: 44_100).write(to: URL(fileURLWithPath: wav))
        let label = quick ? "1min" : "10min"
        let loader = AudioLoader()
        report(BenchmarkTimer.measure("wav44k1_stereo_decode_resample_mel_\(label)", warmup: 1, iterations: 3) {
            _ = mel.compute(try! loader.load(path: wav).samples)
        })

        do {
            for result in try WhisperBenchmarks.run(iterations: quick ? 2 : 10) { report(result) }
            let extractor = SpeechFeatureExtractor(encoder: try WhisperModel.loadEncoder())
            report(BenchmarkTimer.measure("wav44k1_stereo_to_whisper_features_\(label)", warmup: 0, iterations: quick ? 1 : 3) {
                _ = extractor.features(samples: try! loader.load(path: wav).samples)
            })
        } catch {
            FileHandle.standardError.write(Data("bench speech: encoder benchmarks skipped: \(error.localizedDescription)\n".utf8))
        }

        let ffmpeg = FFmpegDecoder()
        guard let executable = ffmpeg.executable, ffmpeg.isAvailable else { return }
        let mp3 = folder.appendingPathComponent("ten_minutes.mp3").path
        let encode = try Subprocess.run(executable, ["-nostdin", "-loglevel", "error", "-y", "-i", wav, "-c:a", "libmp3lame", "-b:a", "128k", mp3])
        guard encode.status == 0 else { return }
        report(BenchmarkTimer.measure("mp3_stereo_ffmpeg_decode_resample_mel_\(label)", warmup: 1, iterations: 3) {
            _ = mel.compute(try! loader.load(path: mp3).samples)
        })
    }

    /// Deterministic speech-like test audio: a gliding harmonic tone with syllable-rate bursts of noise.
    static func signal(seconds: Int, sampleRate: Int) -> [Float] {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        return (0..<seconds * sampleRate).map { i in
            let t = Double(i) / Double(sampleRate)
            let pitch = 120 + 40 * sin(2 * Double.pi * 0.7 * t)
            let voiced = 0.3 * sin(2 * Double.pi * pitch * t) + 0.1 * sin(4 * Double.pi * pitch * t)
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let noise = Double(Int64(bitPattern: state) >> 40) / Double(1 << 23) * 0.05
            let envelope = 0.5 + 0.5 * sin(2 * Double.pi * 4 * t)
            return Float(envelope * (voiced + noise))
        }
    }

    /// A 16-bit stereo WAV whose two channels both hold `samples`.
    static func stereoWAV(_ samples: [Float], sampleRate: Int) -> Data {
        var data = Data(capacity: 44 + samples.count * 4)
        func put<T: FixedWidthInteger>(_ value: T) { withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) } }
        data.append(Data("RIFF".utf8)); put(UInt32(36 + samples.count * 4)); data.append(Data("WAVE".utf8))
        data.append(Data("fmt ".utf8)); put(UInt32(16)); put(UInt16(1)); put(UInt16(2))
        put(UInt32(sampleRate)); put(UInt32(sampleRate * 4)); put(UInt16(4)); put(UInt16(16))
        data.append(Data("data".utf8)); put(UInt32(samples.count * 4))
        for sample in samples {
            let value = Int16(max(-32768, min(32767, (sample * 32768).rounded())))
            put(value); put(value)
        }
        return data
    }
}
