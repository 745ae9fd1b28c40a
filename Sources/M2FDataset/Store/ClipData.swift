import Foundation
import M2FEngine
import M2FFace

/// A clip's arrays as they are stored: audio [S] at 16 kHz, weights [F, 52], head pose [F, 6]
/// (yaw, pitch, roll in radians; tx, ty, tz in metres), eye pose [F, 4] (left yaw, left pitch,
/// right yaw, right pitch in radians).
///
/// Arrays read from a shard borrow the memory-mapped file when the dataset is F32 (no copy).
public struct ClipArrays: Sendable {
    /// [S]
    public var audio: Tensor
    /// [F, 52], canonical ARKit order.
    public var weights: Tensor
    /// [F, 6]
    public var headPose: Tensor
    /// [F, 4]
    public var eyePose: Tensor

    public init(audio: Tensor, weights: Tensor, headPose: Tensor, eyePose: Tensor) {
        self.audio = audio
        self.weights = weights
        self.headPose = headPose
        self.eyePose = eyePose
    }

    /// The arrays of an animation and its audio.
    public init(samples: [Float], animation: FaceAnimation) {
        let frames = animation.frameCount
        audio = Tensor(samples, shape: [samples.count])
        weights = Tensor(animation.weights, shape: [frames, ARKit.count])
        headPose = Tensor(animation.headPose.flatMap(\.values), shape: [frames, 6])
        let eyes = animation.eyePose ?? [EyePose](repeating: EyePose(), count: frames)
        eyePose = Tensor(eyes.flatMap(\.values), shape: [frames, 4])
    }

    /// F.
    public var frameCount: Int { weights.shape[0] }

    /// The animation (weights, head and eye pose) at `fps`, with `metadata`.
    public func animation(fps: Double, metadata: [String: String] = [:]) -> FaceAnimation {
        let head = headPose.toArray(), eyes = eyePose.toArray()
        let frames = frameCount
        return FaceAnimation(
            fps: fps, weights: weights.toArray(),
            headPose: (0..<frames).map { HeadPose(values: Array(head[$0 * 6..<($0 + 1) * 6])) },
            eyePose: (0..<frames).map { EyePose(values: Array(eyes[$0 * 4..<($0 + 1) * 4])) },
            metadata: metadata)
    }

    /// Checks the shapes against a record and that every value is finite.
    /// - Throws: `DatasetError.badClipArrays` naming the array and the problem.
    public func check(against record: ClipRecord, file: String) throws(DatasetError) {
        func fail(_ problem: String) -> DatasetError { .badClipArrays(file: file, clip: record.id, problem: problem) }
        guard audio.shape == [record.sampleCount] else { throw fail("audio has shape \(audio.shape), the manifest says [\(record.sampleCount)]") }
        guard weights.shape == [record.frameCount, ARKit.count] else {
            throw fail("weights have shape \(weights.shape), the manifest says [\(record.frameCount), 52]")
        }
        guard headPose.shape == [record.frameCount, 6] else { throw fail("head_pose has shape \(headPose.shape), expected [\(record.frameCount), 6]") }
        guard eyePose.shape == [record.frameCount, 4] else { throw fail("eye_pose has shape \(eyePose.shape), expected [\(record.frameCount), 4]") }
    }
}

/// Collects clips and writes them as one shard file (atomically, through the engine's writer).
public struct ShardWriter {
    public let name: String
    public private(set) var records: [ClipRecord] = []
    private var tensors: [String: Tensor] = [:]

    public init(name: String) { self.name = name }

    public var isEmpty: Bool { records.isEmpty }

    /// Adds a clip; the record's `shard` is set to this shard. `extra` tensors are stored as
    /// `<id>.<name>` beside the four arrays (video clips keep `tracked_weights` and `lip_gap`).
    public mutating func add(_ record: ClipRecord, arrays: ClipArrays, extra: [String: Tensor] = [:]) {
        var record = record
        record.shard = name
        precondition(tensors[record.audioKey] == nil, "clip \(record.id) added twice to \(name)")
        tensors[record.audioKey] = arrays.audio
        tensors[record.weightsKey] = arrays.weights
        tensors[record.headPoseKey] = arrays.headPose
        tensors[record.eyePoseKey] = arrays.eyePose
        for (name, tensor) in extra { tensors["\(record.id).\(name)"] = tensor }
        records.append(record)
    }

    /// Writes `shards/<name>.safetensors`, then `parts/<name>.jsonl` (both atomic, in that order, so a
    /// part exists only for a complete shard).
    public func write(to layout: DatasetLayout, dtype: SafeTensorsDType) throws(DatasetError) {
        let shard = layout.shardFile(name)
        do {
            try SafeTensors.write(tensors, to: shard.path, dtype: dtype,
                                  metadata: ["format": DatasetInfo.formatName, "formatVersion": String(DatasetInfo.currentVersion),
                                             "clips": String(records.count)])
        } catch {
            throw .io(file: shard.path, problem: "cannot write shard: \(error.localizedDescription)")
        }
        try Manifest.write(records, to: layout.partFile(name))
    }
}
