import Foundation
import Testing
import M2FAudio

/// The one entry point: WAV at any rate and channel count to 16 kHz mono, other formats through ffmpeg.
struct AudioLoaderTests {
    /// Frequency of the strongest component, by correlating with probe sines (coarse 10 Hz grid).
    static func dominantFrequency(_ x: [Float], sampleRate: Int, candidates: [Double]) -> Double {
        candidates.max { power(x, $0, sampleRate) < power(x, $1, sampleRate) }!
    }

    static func power(_ x: [Float], _ f: Double, _ rate: Int) -> Double {
        var s = 0.0, c = 0.0
        for (i, v) in x.enumerated() {
            let angle = 2 * Double.pi * f * Double(i) / Double(rate)
            s += Double(v) * sin(angle); c += Double(v) * cos(angle)
        }
        return s * s + c * c
    }

    @Test(arguments: [8_000, 16_000, 22_050, 44_100, 48_000])
    func stereoWAVAtAnyRateBecomes16kMono(rate: Int) throws {
        let folder = TemporaryFolder()
        // Left 440 Hz, right silent: the downmix halves the amplitude.
        let frames = WAVBytes.sine(frequency: 440, sampleRate: rate, seconds: 0.5, amplitude: 0.8).map { [$0[0], 0] }
        let path = folder.write(WAVBytes.make(frames, sampleRate: rate, sample: .s16), to: "tone.wav")
        let clip = try AudioLoader().load(path: path)
        #expect(clip.sampleRate == 16_000)
        #expect(clip.sourceSampleRate == rate)
        #expect(clip.sourceChannels == 2)
        #expect(clip.samples.count == 8000)
        let middle = Array(clip.samples[2000..<6000])
        let peak = middle.map { abs($0) }.max()!
        #expect(abs(peak - 0.4) < 0.01, "peak \(peak)")
        #expect(Self.dominantFrequency(middle, sampleRate: 16_000, candidates: [400, 420, 440, 460, 480]) == 440)
    }

    @Test func wavContentIsRecognisedWhateverTheExtension() throws {
        let folder = TemporaryFolder()
        let data = WAVBytes.make(WAVBytes.sine(frequency: 300, sampleRate: 16_000, seconds: 0.1), sampleRate: 16_000, sample: .f32)
        let clip = try AudioLoader(ffmpeg: FFmpegDecoder(executable: "/nonexistent/ffmpeg")).load(path: folder.write(data, to: "voice.bin"))
        #expect(clip.samples.count == 1600)
    }

    @Test func badWAVFilesThroughTheLoader() {
        let folder = TemporaryFolder()
        let loader = AudioLoader()
        let empty = folder.write(Data(), to: "empty.wav")
        #expect(throws: AudioError.empty(path: empty)) { try loader.load(path: empty) }
        let short = folder.write(Data("RIFF".utf8), to: "short.wav")
        #expect(throws: AudioError.self) { try loader.load(path: short) }
        let text = folder.write(Data("hello there, not audio".utf8), to: "text.wav")
        #expect(throws: AudioError.notWAV(path: text)) { try loader.load(path: text) }
        #expect(throws: AudioError.self) { try loader.load(path: folder.path("missing.wav")) }
    }

    // MARK: ffmpeg

    static let ffmpeg = FFmpegDecoder()

    /// Encodes a 1 s, 440 Hz, 44.1 kHz stereo WAV with ffmpeg to `name` and returns its path.
    static func encode(_ folder: TemporaryFolder, _ name: String, _ arguments: [String]) throws -> String {
        let frames = WAVBytes.sine(frequency: 440, sampleRate: 44_100, seconds: 1).map { [$0[0], $0[0]] }
        let source = folder.write(WAVBytes.make(frames, sampleRate: 44_100, sample: .s16), to: "source.wav")
        let output = folder.path(name)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: ffmpeg.executable!)
        process.arguments = ["-nostdin", "-loglevel", "error", "-y", "-i", source] + arguments + [output]
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "ffmpeg could not make \(name)")
        return output
    }

    @Test(.enabled(if: ffmpeg.isAvailable, "ffmpeg is installed by scripts/bootstrap.sh"),
          arguments: [
            ("tone.mp3", ["-c:a", "libmp3lame", "-b:a", "128k"]),
            ("tone.m4a", ["-c:a", "aac", "-b:a", "128k"]),
            ("tone.flac", ["-c:a", "flac"]),
            ("tone.ogg", ["-c:a", "libopus", "-b:a", "64k"]),
            ("tone.mp4", ["-f", "lavfi", "-i", "color=c=black:s=64x64:d=1", "-shortest", "-c:a", "aac"]),
          ])
    func decodesCompressedFormats(name: String, arguments: [String]) throws {
        let folder = TemporaryFolder()
        let path = try Self.encode(folder, name, arguments)
        let clip = try AudioLoader().load(path: path)
        #expect(clip.sampleRate == 16_000)
        // Encoders add a few ms of priming or padding.
        #expect(abs(clip.samples.count - 16_000) < 1200, "\(name): \(clip.samples.count) samples")
        let middle = Array(clip.samples[4000..<12000])
        let rms = (middle.reduce(0) { $0 + Double($1 * $1) } / Double(middle.count)).squareRoot()
        #expect(abs(rms - 0.5 / 2.0.squareRoot()) < 0.02, "\(name): rms \(rms)")
        #expect(Self.dominantFrequency(middle, sampleRate: 16_000, candidates: [400, 420, 440, 460, 480]) == 440)
    }

    @Test(.enabled(if: ffmpeg.isAvailable)) func muLawWAVFallsBackToFFmpeg() throws {
        let folder = TemporaryFolder()
        let path = try Self.encode(folder, "mulaw.wav", ["-c:a", "pcm_mulaw", "-ar", "8000"])
        let clip = try AudioLoader().load(path: path)
        #expect(clip.sampleRate == 16_000 && clip.sourceSampleRate == 8000 && clip.sourceChannels == 2)
        #expect(abs(clip.samples.count - 16_000) <= 2)
        let middle = Array(clip.samples[4000..<12000])
        #expect(Self.dominantFrequency(middle, sampleRate: 16_000, candidates: [400, 420, 440, 460, 480]) == 440)
        // Without ffmpeg the same file names the encoding and the fix.
        let withoutFFmpeg = AudioLoader(ffmpeg: FFmpegDecoder(executable: "/nonexistent/ffmpeg"))
        #expect(throws: AudioError.unsupportedWAVEncoding(path: path, formatTag: 7, bitsPerSample: 8)) {
            try withoutFFmpeg.load(path: path)
        }
    }

    @Test(.enabled(if: ffmpeg.isAvailable)) func flacMatchesTheWAVPath() throws {
        let folder = TemporaryFolder()
        let flac = try Self.encode(folder, "tone.flac", ["-c:a", "flac"])
        let viaFFmpeg = try AudioLoader().load(path: flac).samples
        let viaWAV = try AudioLoader().load(path: folder.path("source.wav")).samples
        // FLAC is lossless and ffmpeg only decodes: the same samples, downmix and resampler.
        #expect(viaFFmpeg == viaWAV)
    }

    @Test(.enabled(if: ffmpeg.isAvailable)) func ffmpegFailureSurfacesStatusAndStderr() {
        let folder = TemporaryFolder()
        let path = folder.write(Data((0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 7919) }), to: "garbage.mp3")
        do {
            _ = try AudioLoader().load(path: path)
            Issue.record("garbage decoded")
        } catch {
            guard case let .ffmpegFailed(failedPath, status, stderr) = error else {
                // Some ffmpeg builds decode noise from garbage; an empty result is also acceptable.
                #expect(error == .empty(path: path)); return
            }
            #expect(failedPath == path && status != 0 && !stderr.isEmpty)
            #expect(error.errorDescription!.contains("ffmpeg exited with status"))
        }
    }

    @Test func missingFFmpegIsNamedWithTheFix() {
        let folder = TemporaryFolder()
        let path = folder.write(Data("ID3 pretend mp3".utf8), to: "speech.mp3")
        let loader = AudioLoader(ffmpeg: FFmpegDecoder(executable: "/nonexistent/ffmpeg"))
        #expect(throws: AudioError.ffmpegMissing(path: path)) { try loader.load(path: path) }
        let message = AudioError.ffmpegMissing(path: path).errorDescription!
        #expect(message.contains("ffmpeg") && message.contains("apt-get install ffmpeg") && message.contains(path))
    }
}
