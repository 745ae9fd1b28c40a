import Foundation

extension DatasetReader {
    /// The ARKit weights of every clip of `split`, every `stride`-th frame (neighbouring frames at 30 fps
    /// are near duplicates), flat F × 52 frame-major and clamped to [0, 1]: the expression frames the
    /// GNPFA VAE trains on (`m2f train gnpfa --data DIR` with an M2F-D dataset).
    /// - Parameter progress: (clips read, clips in the split).
    public func expressionFrames(in split: DatasetSplit, stride: Int = 3,
                                 progress: (Int, Int) -> Void = { _, _ in }) throws(DatasetError) -> [Float] {
        let clips = clips(in: split)
        var frames: [Float] = []
        for (index, record) in clips.enumerated() {
            let weights = try arrays(of: record).weights.contiguous().toArray()  // [F, 52]
            let count = weights.count / 52
            for frame in Swift.stride(from: 0, to: count, by: max(1, stride)) {
                frames += weights[(frame * 52)..<((frame + 1) * 52)].map { min(max($0, 0), 1) }
            }
            progress(index + 1, clips.count)
        }
        return frames
    }

    /// True when `directory` holds an M2F-D dataset (its `dataset.json`), as opposed to a folder of
    /// animation files.
    public static func isDataset(_ directory: URL) -> Bool {
        FileManager.default.fileExists(atPath: directory.appendingPathComponent("dataset.json").path)
    }
}
