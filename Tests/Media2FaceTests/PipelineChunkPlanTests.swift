import Media2Face
import Testing

/// Long audio is cut into bounded pieces: coverage, overlaps, context and cross-fade weights.
struct PipelineChunkPlanTests {
    /// Every frame is owned by one or two pieces and the cross-fade weights sum to 1.
    static func checkCoverage(_ plan: ChunkPlan) {
        var total = [Float](repeating: 0, count: plan.frameCount)
        for (piece, range) in plan.frames.enumerated() {
            #expect(plan.context[piece].lowerBound <= range.lowerBound && plan.context[piece].upperBound >= range.upperBound)
            for frame in range { total[frame] += plan.blendWeight(piece: piece, frame: frame) }
        }
        #expect(total.allSatisfy { abs($0 - 1) < 1e-5 })
        #expect(plan.frames.first?.lowerBound == 0 && plan.frames.last?.upperBound == plan.frameCount)
    }

    @Test func shortClipIsOnePieceWithoutContext() {
        let plan = ChunkPlan(frameCount: 900, chunk: 18_000, overlap: 120, context: 60)
        #expect(plan.count == 1 && plan.frames == [0..<900] && plan.context == [0..<900])
        Self.checkCoverage(plan)
    }

    /// The documented limit check: a 2-hour clip at 30 fps with the default 600 s pieces, 4 s overlaps
    /// and 2 s of context is 13 pieces of ≤ 600 s each (the largest batch of features and windows is
    /// bounded by the piece, not the clip).
    @Test func twoHourClip() {
        let frames = 2 * 3600 * 30
        let plan = ChunkPlan(frameCount: frames, chunk: 600 * 30, overlap: 4 * 30, context: 2 * 30)
        #expect(plan.count == 13)
        #expect(plan.frames.allSatisfy { $0.count <= 18_000 })
        #expect(plan.context.allSatisfy { $0.count <= 18_000 + 2 * 60 })
        for k in 1..<plan.count { #expect(plan.frames[k - 1].upperBound - plan.frames[k].lowerBound == 120) }
        Self.checkCoverage(plan)
    }

    @Test(arguments: [301, 599, 600, 601, 1_000, 1_799, 5_555])
    func anyLengthIsCovered(frames: Int) {
        let plan = ChunkPlan(frameCount: frames, chunk: 300, overlap: 30, context: 20)
        #expect(plan.frames.allSatisfy { $0.count <= 300 && $0.count > 2 * 30 })
        Self.checkCoverage(plan)
    }
}
