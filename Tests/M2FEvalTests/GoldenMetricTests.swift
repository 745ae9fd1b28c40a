import Foundation
import M2FDataset
import M2FEngine
import M2FEval
import M2FFace
import M2FTestSupport
import Testing

/// Every metric against the float64 numpy/scipy reference of scripts/fixtures/make_eval_fixtures.py
/// (Tests/Fixtures/eval/RECIPE.md). Inputs are float32 on both sides; the Swift code sums in Double,
/// so results agree to float32 rounding of the outputs (tolerances below are relative unless noted).
struct GoldenMetricTests {
    /// [F, V, 3] → a track.
    static func track(_ tensor: Tensor) -> VertexTrack {
        let values = tensor.toArray()
        let (frames, vertices) = (tensor.shape[0], tensor.shape[1])
        return VertexTrack(frameCount: frames, vertexCount: vertices,
                           positions: (0..<frames * vertices).map { SIMD3(values[3 * $0], values[3 * $0 + 1], values[3 * $0 + 2]) })
    }

    static func points(_ tensor: Tensor) -> [SIMD3<Float>] { track(tensor.unsqueezed(0)).positions }

    static func relative(_ actual: Double, _ expected: Float) -> Double {
        abs(actual - Double(expected)) / max(1e-12, abs(Double(expected)))
    }

    @Test func lipVertexError() throws {
        let fixture = try Fixture("lve", group: "eval")
        let predicted = Self.track(try fixture.input("predicted")), reference = Self.track(try fixture.input("reference"))
        let perFrame = VertexMetrics.lipErrors(predicted: predicted, reference: reference)
        let expected = try fixture.tensor("out.per_frame").toArray()
        #expect(perFrame.count == expected.count)
        #expect(zip(perFrame, expected).allSatisfy { Self.relative($0, $1) < 1e-5 })
        let value = VertexMetrics.lipVertexError(predicted: predicted, reference: reference)
        #expect(Self.relative(value, try fixture.output.toArray()[0]) < 1e-5)
    }

    @Test func upperFaceDynamicsDeviation() throws {
        let fixture = try Fixture("fdd", group: "eval")
        let value = VertexMetrics.upperFaceDynamicsDeviation(
            predicted: Self.track(try fixture.input("predicted")), reference: Self.track(try fixture.input("reference")),
            neutral: Self.points(try fixture.input("neutral")))
        let expected = try fixture.output.toArray()[0]
        print("FDD fixture: swift \(value), numpy \(expected)")
        // Displacements are ~1 mm on positions of ~0.1 m: float32 positions leave ~1e-8 m of rounding
        // in each displacement, so the std differences agree to ~1e-4 relative.
        #expect(Self.relative(value, expected) < 1e-3)
    }

    @Test func lipClosureRate() throws {
        let fixture = try Fixture("closure", group: "eval")
        let phones = (fixture.config["phones"] as! [[Any]]).map {
            TimedPhone(phone: $0[0] as! String, start: ($0[1] as! NSNumber).doubleValue, end: ($0[2] as! NSNumber).doubleValue)
        }
        let threshold = Float((fixture.config["threshold"] as! NSNumber).doubleValue)
        let count = LipSyncMetrics.closure(gaps: try fixture.input("gaps").toArray(), phones: phones, fps: 30, threshold: threshold)
        let expected = try fixture.output.toArray()
        #expect(count == LipSyncMetrics.ClosureCount(closed: Int(expected[0]), total: Int(expected[1])))
    }

    @Test func loudnessAndSLCC() throws {
        let fixture = try Fixture("slcc", group: "eval")
        let audio = try fixture.input("audio").toArray()
        let opening = try fixture.input("opening").toArray()
        let loudness = LipSyncMetrics.loudness(samples: audio, sampleRate: 16_000, fps: 30, frameCount: opening.count)
        let expected = try fixture.tensor("out.loudness").toArray()
        // dB values: compare absolutely (1e-3 dB); the first 0.3 s is the −100 dB floor.
        #expect(zip(loudness, expected).allSatisfy { abs($0 - Double($1)) < 1e-3 })
        let slcc = try #require(LipSyncMetrics.slcc(loudness: loudness, opening: opening))
        #expect(abs(slcc - Double(try fixture.output.toArray()[0])) < 1e-5)
    }

    @Test func audioVisualOffset() throws {
        let fixture = try Fixture("offset", group: "eval")
        let curve = LipSyncMetrics.crossCorrelation(
            predicted: try fixture.input("predicted").toArray(), reference: try fixture.input("reference").toArray(), maxLag: 10)
        let expected = try fixture.tensor("out.curve").toArray()
        #expect(zip(curve, expected).allSatisfy { abs($0 - Double($1)) < 1e-5 })
        #expect(LipSyncMetrics.bestLag(correlation: curve) == Int(try fixture.output.toArray()[0]))
    }

    @Test func gaussianSmoothingMatchesScipy() throws {
        let fixture = try Fixture("gaussian", group: "eval")
        let x = try fixture.input("x").toArray().map(Double.init)
        let short = try fixture.input("short").toArray().map(Double.init)
        for (actual, key) in [(SignalStatistics.gaussianSmoothed(x, sigma: 2), "out.sigma2"),
                              (SignalStatistics.gaussianSmoothed(x, sigma: 1.5), "out.sigma1_5"),
                              (SignalStatistics.gaussianSmoothed(short, sigma: 3), "out.short_sigma3")] {
            let expected = try fixture.tensor(key).toArray()
            #expect(zip(actual, expected).allSatisfy { abs($0 - Double($1)) < 1e-6 }, "\(key)")
        }
    }

    @Test func beatAlignment() throws {
        let fixture = try Fixture("beats", group: "eval")
        let logMel = try fixture.input("log_mel")
        let envelope = BeatAlignment.onsetEnvelope(logMel: logMel.toArray(), melCount: logMel.shape[0])
        let expectedEnvelope = try fixture.tensor("out.envelope").toArray()
        #expect(zip(envelope, expectedEnvelope).allSatisfy { abs($0 - Double($1)) < 1e-5 })
        let peaks = BeatAlignment.peaks(envelope)
        #expect(peaks == (try fixture.tensor("out.peaks").toArray().map { Int($0) }))

        let head = try fixture.input("head").toArray()
        let poses = (0..<(head.count / 3)).map { HeadPose(yaw: head[3 * $0], pitch: head[3 * $0 + 1], roll: head[3 * $0 + 2]) }
        let motion = BeatAlignment.motionBeats(headPose: poses, fps: 30, smoothing: 2)
        let expectedMotion = try fixture.tensor("out.motion_beats").toArray()
        #expect(motion.count == expectedMotion.count)
        #expect(zip(motion, expectedMotion).allSatisfy { abs($0 - Double($1)) < 1e-6 })

        let score = try #require(BeatAlignment.score(audioBeats: peaks.map { Double($0) / 100 }, motionBeats: motion, sigma: 0.1))
        #expect(abs(score - Double(try fixture.output.toArray()[0])) < 1e-5)
    }

    @Test func diversity() throws {
        let fixture = try Fixture("diversity", group: "eval")
        let samples = try fixture.input("samples")
        let tracks = (0..<samples.shape[0]).map { Self.track(samples.sliced(axis: 0, $0..<($0 + 1)).squeezed(0).contiguous()) }
        let value = VertexMetrics.diversity(tracks)
        #expect(Self.relative(value, try fixture.output.toArray()[0]) < 1e-4)
    }
}
