import M2FDataset
import M2FFace

/// The metrics of one model over a set of clips, as `m2f eval --json` reports them (keys are
/// `EvaluationMetric` raw values plus counts and reference figures). nil: not measurable here (no
/// bilabials, no onsets, no diversity samples).
package struct ModelScores: Codable, Sendable, Equatable {
    package var lve_mm: Double?
    package var fdd: Double?
    /// Upper-face motion of the prediction over that of the reference (mean over clips; FDD's sign).
    package var upper_face_motion_ratio: Double?
    package var lip_closure_rate: Double?
    package var av_offset_frames: Int?
    package var slcc: Double?
    package var beat_alignment: Double?
    package var diversity_lips_mm: Double?
    package var diversity_upper_face_mm: Double?
    package var diversity_head_deg: Double?
    /// Diversity divided by how much the region moves (`VertexMetrics.motion` of the samples): lips
    /// and upper face on one scale, so "lips stay consistent while the upper face varies" is a comparison.
    package var diversity_lips_relative: Double?
    package var diversity_upper_face_relative: Double?
    /// Bilabial segments judged for the closure rate.
    package var bilabial_segments: Int
    /// The same measures on the reference animation itself (what ground truth scores).
    package var reference_lip_closure_rate: Double?
    package var reference_slcc: Double?
    package var reference_beat_alignment: Double?
    package var clips: Int
    package var frames: Int
}

/// Adds up the metrics clip by clip (LVE over all frames, FDD/SLCC/BA as means over clips, the
/// offset from the summed cross-correlation curves, closure over all bilabial segments).
package struct MetricAccumulator: Sendable {
    package let fps: Double
    package let maxLag: Int
    /// Lips count as closed below this gap (metres).
    package let closureThreshold: Float
    let lips: RegionDeformer
    let upper: RegionDeformer
    let signals: FaceSignals

    var lipErrorSum = 0.0, lipFrames = 0
    var fddSum = 0.0, fddClips = 0
    var closure = LipSyncMetrics.ClosureCount(), referenceClosure = LipSyncMetrics.ClosureCount()
    var offsetCurve: [Double]
    var slcc = Mean(), referenceSLCC = Mean(), beats = Mean(), referenceBeats = Mean()
    var lipDiversity = Mean(), upperDiversity = Mean(), headDiversity = Mean()
    var motionRatio = Mean(), lipRelative = Mean(), upperRelative = Mean()
    var clips = 0

    package init(rig: FaceRig = DefaultHead.shared, fps: Double = 30, maxLag: Int = 10,
                closureThreshold: Float = LipGeometry.closedThresholdMillimetres / 1000) {
        self.fps = fps
        self.maxLag = maxLag
        self.closureThreshold = closureThreshold
        lips = RegionDeformer(rig: rig, vertices: rig.lipVertices)
        upper = RegionDeformer(rig: rig, vertices: rig.upperFaceVertices)
        signals = FaceSignals(rig: rig)
        offsetCurve = [Double](repeating: 0, count: 2 * maxLag + 1)
    }

    /// Adds one clip: `predicted` against `reference` (same frame rate; the shorter length is used),
    /// `samples` the clip's 16 kHz audio, `phones` its timings when known.
    package mutating func add(predicted: FaceAnimation, reference: FaceAnimation, samples: [Float], phones: [TimedPhone]?) {
        let frames = min(predicted.frameCount, reference.frameCount)
        guard frames > 0 else { return }
        let p = (try? predicted.trimmed(frames: 0..<frames)) ?? predicted
        let r = (try? reference.trimmed(frames: 0..<frames)) ?? reference
        clips += 1

        let errors = VertexMetrics.lipErrors(predicted: lips.track(p), reference: lips.track(r))
        lipErrorSum += errors.reduce(0, +)
        lipFrames += errors.count
        let dynamics = VertexMetrics.upperFaceDynamics(predicted: upper.track(p), reference: upper.track(r), neutral: upper.neutral)
        fddSum += dynamics.deviation
        fddClips += 1
        if let ratio = dynamics.motionRatio { motionRatio.add(ratio) }

        let predictedGap = signals.lipGap(p), referenceGap = signals.lipGap(r)
        if let phones {
            closure = closure + LipSyncMetrics.closure(gaps: predictedGap, phones: phones, fps: fps, threshold: closureThreshold)
            referenceClosure = referenceClosure + LipSyncMetrics.closure(gaps: referenceGap, phones: phones, fps: fps, threshold: closureThreshold)
        }
        let curve = LipSyncMetrics.crossCorrelation(predicted: predictedGap, reference: referenceGap, maxLag: maxLag)
        for (i, value) in curve.enumerated() where value.isFinite { offsetCurve[i] += value * Double(frames) }

        let loudness = LipSyncMetrics.loudness(samples: samples, sampleRate: 16_000, fps: fps, frameCount: frames)
        slcc.add(LipSyncMetrics.slcc(loudness: loudness, opening: predictedGap))
        referenceSLCC.add(LipSyncMetrics.slcc(loudness: loudness, opening: referenceGap))

        let audioBeats = BeatAlignment.audioBeats(samples: samples)
        beats.add(BeatAlignment.score(audioBeats: audioBeats, motionBeats: BeatAlignment.motionBeats(headPose: p.headPose, fps: fps)))
        referenceBeats.add(BeatAlignment.score(audioBeats: audioBeats, motionBeats: BeatAlignment.motionBeats(headPose: r.headPose, fps: fps)))
    }

    /// Adds the diversity of several samples (different seeds) of one input.
    package mutating func addDiversity(_ samples: [FaceAnimation]) {
        guard samples.count >= 2 else { return }
        let frames = samples.map(\.frameCount).min()!
        let trimmed = samples.map { (try? $0.trimmed(frames: 0..<frames)) ?? $0 }
        let lipTracks = trimmed.map { lips.track($0) }, upperTracks = trimmed.map { upper.track($0) }
        let lipSpread = VertexMetrics.diversity(lipTracks), upperSpread = VertexMetrics.diversity(upperTracks)
        lipDiversity.add(lipSpread)
        upperDiversity.add(upperSpread)
        let lipMotion = lipTracks.map { VertexMetrics.motion($0, neutral: lips.neutral) }.reduce(0, +) / Double(lipTracks.count)
        let upperMotion = upperTracks.map { VertexMetrics.motion($0, neutral: upper.neutral) }.reduce(0, +) / Double(upperTracks.count)
        if lipMotion > 1e-4 { lipRelative.add(lipSpread / lipMotion) }
        if upperMotion > 1e-4 { upperRelative.add(upperSpread / upperMotion) }
        headDiversity.add(VertexMetrics.diversity(trimmed.map(FaceSignals.headRotationDegrees), scale: 1))
    }

    package var scores: ModelScores {
        ModelScores(
            lve_mm: lipFrames > 0 ? lipErrorSum / Double(lipFrames) : nil,
            fdd: fddClips > 0 ? fddSum / Double(fddClips) : nil,
            upper_face_motion_ratio: motionRatio.value,
            lip_closure_rate: closure.rate,
            av_offset_frames: clips > 0 ? LipSyncMetrics.bestLag(correlation: offsetCurve.map { $0 == 0 ? -.infinity : $0 }) : nil,
            slcc: slcc.value, beat_alignment: beats.value,
            diversity_lips_mm: lipDiversity.value, diversity_upper_face_mm: upperDiversity.value, diversity_head_deg: headDiversity.value,
            diversity_lips_relative: lipRelative.value, diversity_upper_face_relative: upperRelative.value,
            bilabial_segments: closure.total,
            reference_lip_closure_rate: referenceClosure.rate, reference_slcc: referenceSLCC.value, reference_beat_alignment: referenceBeats.value,
            clips: clips, frames: lipFrames)
    }
}

/// A running mean that skips missing values.
struct Mean: Sendable {
    var sum = 0.0, count = 0
    mutating func add(_ value: Double?) {
        guard let value, value.isFinite else { return }
        sum += value
        count += 1
    }
    var value: Double? { count > 0 ? sum / Double(count) : nil }
}
