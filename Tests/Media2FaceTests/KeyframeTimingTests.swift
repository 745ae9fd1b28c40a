import Foundation
import M2FEngine
import Media2Face
import Testing

/// Issue 19: a keyframe lands on a frame of the clip by one rule (`Keyframe.frame(at:)`) in the file
/// reader, the chunked pipeline and the sampler, so a key one of them accepts is never dropped or
/// rejected by another.
@Suite struct KeyframeTimingTests {
    static func file(_ times: [Double]) throws -> KeyframeFile {
        let entries = times.map { "{\"time\": \($0), \"weights\": {\"jawOpen\": 0.5}}" }.joined(separator: ",\n")
        return try KeyframeFile.parse(Data("{\"keyframes\": [\n\(entries)]}".utf8), file: "k.json")
    }

    @Test func keysInTheLastFrameLandOnIt() throws {
        // 1.00 s at 30 fps: frames 0…29; 0.985–0.995 s used to round to frame 30 and be rejected later.
        let keys = try Self.file([0.985, 0.99, 0.995, 1.0, 1.01]).keyframes(duration: 1.0, fps: 30)
        #expect(keys.map(\.time) == [Double](repeating: 29.0 / 30, count: 5))
        // 0.5 s (padded to 1 s by the pipeline): a key in the last, partial frame used to land in the padding.
        #expect(try Self.file([0.49]).keyframes(duration: 0.5, fps: 30).map(\.time) == [14.0 / 30])
        // Frame starts stay exact, the nearest frame is chosen inside the clip.
        #expect(try Self.file([0, 0.51, 0.52]).keyframes(duration: 1.0, fps: 30).map(\.time) == [0, 15.0 / 30, 16.0 / 30])
    }

    @Test func keysPastTheEndAreStillErrors() throws {
        // Half a frame of slack past the end, no more.
        #expect(throws: RequestFileError.self) { try Self.file([1.02]).keyframes(duration: 1.0, fps: 30) }
        #expect(throws: RequestFileError.self) { try Self.file([1e300]).keyframes(duration: 1.0, fps: 30) }
    }

    @Test func theFrameRule() {
        #expect(Keyframe.frameCount(duration: 1.0, fps: 30) == 30)
        #expect(Keyframe.frameCount(duration: 1.01, fps: 30) == 31)
        #expect(Keyframe.frameCount(duration: 720, fps: 30) == 21_600)
        #expect(Keyframe.frame(at: 363.99, fps: 30, frameCount: 21_600, end: 720) == 10_920)
        #expect(Keyframe.frame(at: 0.99, fps: 30, frameCount: 30, end: 1) == 29)
        #expect(Keyframe.frame(at: 1.001, fps: 30, frameCount: 30, end: 1) == nil)
        #expect(Keyframe.frame(at: -0.0001, fps: 30, frameCount: 30, end: 1) == nil)
        #expect(Keyframe.frame(at: .nan, fps: 30, frameCount: 30, end: 1) == nil)
    }

    @Test func theSamplerTakesKeysInTheLastFrame() throws {
        let coding = ARKitLogitCoding()
        let normalization = FrameNormalization(mean: Tensor.full([52], -1), std: Tensor.full([52], 2))
        let keys = [0.985, 0.995, 1.0].map { Keyframe(time: $0, channels: [17: 0.5]) }
        let constraints = try KeyframeConstraints(keyframes: keys, frameCount: 30, fps: 30, coding: coding, latentNormalization: normalization)
        #expect(constraints.frames == [29])
        #expect(throws: DiffusionError.self) {
            try KeyframeConstraints(keyframes: [Keyframe(time: 1.01, channels: [17: 0.5])], frameCount: 30, fps: 30, coding: coding,
                                    latentNormalization: normalization)
        }
    }
}

/// Issue 19: what a run will take is known before it starts.
@Suite struct RunEstimateTests {
    @Test func twelveMinutesAndEighteenHours() {
        let fps = 30.0
        func estimate(_ seconds: Double) -> RunEstimate {
            let frames = Keyframe.frameCount(duration: seconds, fps: fps)
            return RunEstimate(audioSeconds: seconds, plan: ChunkPlan(frameCount: frames, chunk: 18_000, overlap: 120, context: 60), fps: fps, steps: 10)
        }
        let twelve = estimate(720)
        #expect(twelve.pieces == 2 && abs(twelve.pieceSeconds - 364) < 0.01)
        // 100 MB + 1.5 MB × 364 s + 0.075 MB × 720 s.
        #expect(twelve.peakBytes == Int((100 + 1.5 * 364 + 0.075 * 720) * 1_048_576))
        #expect(twelve.summary == "12.0 min of audio in 2 pieces: about 700 MB of memory and 0.6–3.0 min")
        // The 18-hour file of the issue (measured: an hour at 5.5 GB).
        let day = estimate(18 * 3600)
        #expect(day.pieces == 109 && abs(day.pieceSeconds - 602.47) < 0.01)
        #expect(day.summary == "18.0 h of audio in 109 pieces: about 5.7 GB of memory and 0.9–4.5 h")
    }

    @Test func headroomNamesTheLimit() {
        let limited = MemoryHeadroom(addressSpace: 95 << 20, memory: 20 << 30)
        #expect(limited.shortfall(for: 94 << 20) == nil)
        #expect(limited.shortfall(for: 96 << 20)?.hasPrefix("the address-space limit") == true)
        #expect(MemoryHeadroom(addressSpace: nil, memory: 1 << 30).shortfall(for: 2 << 30) == "the memory available to this process is 1.0 GB")
        #expect(MemoryHeadroom(addressSpace: nil, memory: nil).shortfall(for: .max) == nil)
        // A run also needs address space it reserves and never touches (400 MB).
        let twelve = RunEstimate(audioSeconds: 720, plan: ChunkPlan(frameCount: 21_600, chunk: 18_000, overlap: 120, context: 60), fps: 30, steps: 10)
        #expect(twelve.shortfall(in: MemoryHeadroom(addressSpace: 1_100 << 20, memory: nil)) == nil)
        #expect(twelve.shortfall(in: MemoryHeadroom(addressSpace: 1_000 << 20, memory: nil))?.hasPrefix("the address-space limit") == true)
    }
}
