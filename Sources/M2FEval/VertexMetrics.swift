/// The geometric metrics of `../shared/DESIGN.md` on vertex tracks: LVE, FDD and sample diversity.
///
/// All inputs are metres; results are in the units the papers report (mm for LVE, 1e-5 m for FDD).
/// Sums run in Double.
package enum VertexMetrics {
    /// Per-frame lip error (mm): for each frame f, maxᵥ ‖pred[f, v] − ref[f, v]‖. [F].
    package static func lipErrors(predicted: VertexTrack, reference: VertexTrack) -> [Double] {
        precondition(predicted.frameCount == reference.frameCount && predicted.vertexCount == reference.vertexCount,
                     "LVE compares tracks of the same shape: \(predicted.frameCount)×\(predicted.vertexCount) vs \(reference.frameCount)×\(reference.vertexCount)")
        let count = predicted.vertexCount
        return (0..<predicted.frameCount).map { f in
            var worst: Double = 0
            for v in 0..<count {
                let d = predicted.positions[f * count + v] - reference.positions[f * count + v]
                worst = max(worst, Double((d * d).sum()).squareRoot())
            }
            return worst * 1000
        }
    }

    /// Lip vertex error (mm): the mean over frames of the largest lip-vertex distance. 0 for no frames.
    package static func lipVertexError(predicted: VertexTrack, reference: VertexTrack) -> Double {
        let errors = lipErrors(predicted: predicted, reference: reference)
        return errors.isEmpty ? 0 : errors.reduce(0, +) / Double(errors.count)
    }

    /// Per vertex, the standard deviation over time (population, ddof 0) of its displacement length
    /// ‖x[f, v] − neutral[v]‖ (metres). [V].
    package static func displacementDeviation(_ track: VertexTrack, neutral: [SIMD3<Float>]) -> [Double] {
        precondition(neutral.count == track.vertexCount, "one neutral point per vertex")
        let count = track.vertexCount, frames = Double(max(track.frameCount, 1))
        var sum = [Double](repeating: 0, count: count), squares = [Double](repeating: 0, count: count)
        for f in 0..<track.frameCount {
            for v in 0..<count {
                let d = track.positions[f * count + v] - neutral[v]
                let length = Double((d * d).sum()).squareRoot()
                sum[v] += length
                squares[v] += length * length
            }
        }
        return (0..<count).map { v in
            let mean = sum[v] / frames
            return max(0, squares[v] / frames - mean * mean).squareRoot()
        }
    }

    /// How much a region moves (mm): the mean over its vertices of the std over time of the
    /// displacement length (`displacementDeviation`). The scale against which diversity is judged.
    package static func motion(_ track: VertexTrack, neutral: [SIMD3<Float>]) -> Double {
        let deviations = displacementDeviation(track, neutral: neutral)
        return deviations.isEmpty ? 0 : deviations.reduce(0, +) / Double(deviations.count) * 1000
    }

    /// Upper-face dynamics deviation (×1e-5 m): the mean over vertices of
    /// |std_t(pred displacement) − std_t(ref displacement)|.
    package static func upperFaceDynamicsDeviation(predicted: VertexTrack, reference: VertexTrack,
                                                  neutral: [SIMD3<Float>]) -> Double {
        upperFaceDynamics(predicted: predicted, reference: reference, neutral: neutral).deviation
    }

    /// FDD and, because FDD has no sign, the motion ratio: Σ_v std(pred) / Σ_v std(ref) (above 1: the
    /// prediction moves the upper face more than the reference; nil when the reference is still).
    package static func upperFaceDynamics(predicted: VertexTrack, reference: VertexTrack,
                                         neutral: [SIMD3<Float>]) -> (deviation: Double, motionRatio: Double?) {
        precondition(predicted.vertexCount == reference.vertexCount, "FDD compares the same vertices")
        let p = displacementDeviation(predicted, neutral: neutral)
        let r = displacementDeviation(reference, neutral: neutral)
        guard !p.isEmpty else { return (0, nil) }
        let deviation = zip(p, r).map { abs($0 - $1) }.reduce(0, +) / Double(p.count) / 1e-5
        // A still reference (mean std under 0.1 µm: float noise) has no motion to compare with.
        let referenceMotion = r.reduce(0, +)
        return (deviation, referenceMotion / Double(r.count) > 1e-7 ? p.reduce(0, +) / referenceMotion : nil)
    }

    /// Mean pairwise distance between S ≥ 2 samples of the same input: over pairs i < j, the mean
    /// over frames and vertices of ‖xᵢ[f, v] − xⱼ[f, v]‖, then the mean over pairs. Result in the
    /// tracks' unit × `scale` (1000 for mm from metres).
    package static func diversity(_ samples: [VertexTrack], scale: Double = 1000) -> Double {
        guard samples.count >= 2 else { return 0 }
        let first = samples[0]
        precondition(samples.allSatisfy { $0.frameCount == first.frameCount && $0.vertexCount == first.vertexCount },
                     "diversity compares samples of the same shape")
        let points = first.positions.count
        guard points > 0 else { return 0 }
        var total: Double = 0
        var pairs = 0
        for i in 0..<samples.count {
            for j in (i + 1)..<samples.count {
                var sum: Double = 0
                for p in 0..<points {
                    let d = samples[i].positions[p] - samples[j].positions[p]
                    sum += Double((d * d).sum()).squareRoot()
                }
                total += sum / Double(points)
                pairs += 1
            }
        }
        return total / Double(pairs) * scale
    }
}
