import Foundation
import M2FEngine
import M2FFace

extension VideoImporter {
    /// Cuts a gated, tracked video into clips, calibrates them and writes its shard (atomically: shard,
    /// part, then the manifest). Each clip keeps the tracker's own weights as `<id>.tracked_weights` and
    /// its lip gap as `<id>.lip_gap`, so that the calibration can be undone or redone.
    func write(_ take: TrackedVideo, spans: [Range<Int>], name: String, labels: TakeLabels, calibration measured: TrackerCalibration,
               layout: DatasetLayout, report: inout VideoImportReport) throws(DatasetError) {
        var calibrated = take.animation
        var used = measured
        if calibration == .none {
            used.neutral = [Float](repeating: 0, count: ARKit.count)
            used.scale = [Float](repeating: 1, count: ARKit.count)
            used.jawOpenPerLipGap = nil
        }
        used.apply(to: &calibrated, lipGap: take.lipGap.map { $0.isFinite ? $0 : used.lipGapRest })
        if calibration == .none {
            // The tracker's own mouthClose: apply() derives it from the lip gap.
            let close = ARKit.index(of: "mouthClose")!
            for f in 0..<calibrated.frameCount { calibrated.weights[f * ARKit.count + close] = take.animation.weights[f * ARKit.count + close] }
        }
        let frames = spans.flatMap { Array($0) }
        func subset(_ a: FaceAnimation) -> FaceAnimation {
            FaceAnimation(fps: a.fps, weights: frames.flatMap { a.frame($0) }, headPose: frames.map { a.headPose[$0] })
        }
        report.calibrationEffect = CalibrationEffect.measure(raw: subset(take.animation), calibrated: subset(calibrated),
                                                             lipGap: frames.map { take.lipGap[$0] }, speaking: frames.map { take.speaking[$0] })
        let emotion = labels.emotion ?? .neutral
        let intensity = labels.intensity ?? (emotion == .neutral ? 0 : 0.6)
        let description = labels.description ?? StyleDescription.describe(
            emotion: emotion, intensity: intensity, gender: labels.gender ?? "unknown", prosody: .neutral, listening: false)
        var writer = ShardWriter(name: Self.shardName(name))
        for (index, span) in spans.enumerated() {
            let id = String(format: "vid-%@-%02d", name, index + 1)
            let clip: FaceAnimation, raw: FaceAnimation
            do {
                clip = try calibrated.trimmed(frames: span).validated().0
                raw = try take.animation.trimmed(frames: span)
            } catch {
                throw .importFailed(file: take.file, problem: "clip \(id): \(error.localizedDescription)")
            }
            let first = Int((Double(span.lowerBound) / fps * Double(sampleRate)).rounded())
            let last = min(take.samples.count, Int((Double(span.upperBound) / fps * Double(sampleRate)).rounded()))
            let samples = Array(take.samples[first..<last])
            var record = ClipRecord(
                id: id, source: .video, voice: labels.performer ?? name, language: labels.language ?? "en",
                duration: Double(span.count) / fps, fps: fps, frameCount: span.count, sampleCount: samples.count, emotion: emotion,
                intensity: intensity, styleTags: labels.styleTags ?? [], description: description, transcript: labels.transcript ?? "",
                phonemes: nil, split: labels.split ?? .train, shard: "")
            record.origin = ClipOrigin(file: URL(fileURLWithPath: take.file).lastPathComponent, start: Double(span.lowerBound) / fps,
                                       end: Double(span.upperBound) / fps)
            record.calibration = used
            let gap = span.map { take.lipGap[$0].isFinite ? take.lipGap[$0] : 0 }
            writer.add(record, arrays: ClipArrays(samples: samples, animation: clip),
                       extra: ["tracked_weights": Tensor(raw.weights, shape: [span.count, ARKit.count]), "lip_gap": Tensor(gap, shape: [span.count])])
            report.clips.append(id)
            report.keptSeconds += record.duration
        }
        try writer.write(to: layout, dtype: .float32)
        _ = try Manifest.rebuild(layout)
    }
}
