import Foundation
import M2FAudio
import M2FEncoders
import M2FEngine
import M2FTestSupport
import Testing

/// Any-length speech features: windows, stitching, short-audio policy, frame-rate alignment.
@Suite("Speech features")
struct SpeechFeatureTests {
    /// A TTS utterance (Tests/Fixtures/audio) repeated to `seconds`, at 16 kHz.
    static func speech(seconds: Double) throws -> [Float] {
        let folder = Fixture.directory.appendingPathComponent("audio")
        let wav = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".wav") }.sorted().first!
        let clip = try AudioLoader().load(path: folder.appendingPathComponent(wav).path)
        var samples: [Float] = []
        while Double(samples.count) < seconds * 16_000 { samples += clip.samples + [Float](repeating: 0, count: 4000) }
        return Array(samples.prefix(Int(seconds * 16_000)))
    }

    static func cosine(_ a: ArraySlice<Float>, _ b: ArraySlice<Float>) -> Float {
        var dot: Float = 0, na: Float = 0, nb: Float = 0
        for (x, y) in zip(a, b) { dot += x * y; na += x * x; nb += y * y }
        return dot / max(1e-12, na.squareRoot() * nb.squareRoot())
    }

    @Test func longAudioIsStitchedWithoutSeams() throws {
        let extractor = SpeechFeatureExtractor(encoder: try RealWhisper.encoder())
        let samples = try Self.speech(seconds: 70)
        var windows = 0
        let features = extractor.features(samples: samples) { _, total in windows = total }
        #expect(windows == 3)
        #expect(features.shape == [3500, 384])
        // No seam: the step between neighbouring frames at a window boundary is no larger than the
        // typical step elsewhere.
        let values = features.toArray()
        func step(_ j: Int) -> Float {
            var total: Float = 0
            for c in 0..<384 { total += abs(values[(j + 1) * 384 + c] - values[j * 384 + c]) }
            return total / 384
        }
        let typical = (0..<3499).map(step).sorted()[1750]
        let boundaries = [1250, 1500, 2500, 2750]  // cross-fade ends and window edges
        for frame in boundaries { #expect(step(frame) < 4 * typical, "step at \(frame): \(step(frame)) vs median \(typical)") }
        #expect(values.allSatisfy { $0.isFinite })
    }

    /// The measurement behind the default `shortAudio = .padToWindow`: on real speech, encoding only
    /// the needed frames changes the features (the encoder was trained on 30 s windows).
    @Test func shortAudioPolicyDifferenceIsMeasured() throws {
        let encoder = try RealWhisper.encoder()
        let samples = try Self.speech(seconds: 6)
        let padded = SpeechFeatureExtractor(encoder: encoder, shortAudio: .padToWindow).features(samples: samples).toArray()
        let unpadded = SpeechFeatureExtractor(encoder: encoder, shortAudio: .encodeNeededFrames).features(samples: samples).toArray()
        #expect(padded.count == unpadded.count)
        let frames = padded.count / 384
        let cosines = (0..<frames).map { Self.cosine(padded[($0 * 384)..<(($0 + 1) * 384)], unpadded[($0 * 384)..<(($0 + 1) * 384)]) }
        let mean = cosines.reduce(0, +) / Float(frames)
        print("short-audio policy: padded vs unpadded per-frame cosine mean \(mean), min \(cosines.min()!) over \(frames) frames")
        // Close on average but far apart on some frames: padding changes what the encoder sees.
        #expect(mean > 0.9)
        #expect(cosines.min()! < 0.99)
    }

    @Test func featuresAlignToAnimationFrames() {
        // A ramp: feature j holds the value j, so frame i at 30 fps must hold i · 50 / 30.
        let ramp = Tensor((0..<100).flatMap { j in [Float(j), Float(-j)] }, shape: [100, 2])
        let frames = SpeechFeatureExtractor.resample(ramp, toFPS: 30)
        #expect(frames.shape == [60, 2])
        for i in [0, 1, 7, 59] {
            #expect(abs(frames[i, 0] - Float(Double(i) * 50 / 30)) < 1e-4)
            #expect(abs(frames[i, 1] + Float(Double(i) * 50 / 30)) < 1e-4)
        }
        #expect(SpeechFeatureExtractor.resample(ramp, toFPS: 50).toArray() == ramp.toArray())
    }
}
