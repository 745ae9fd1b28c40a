import Foundation
import M2FEncoders
import M2FEngine
import Media2Face

/// Training on what a stream sees (`--stream-windows`): a stream hop denoises a short window (emitted
/// context, the hop, a few look-ahead frames) from one Whisper pass over the last seconds of audio, so
/// its last frames hear almost no future and its features differ from a whole clip's. A model trained
/// only on whole-clip features can lean on that future (the real-face fine-tune followed its offline
/// result at 0.81 in a stream, 0.93 with 30 frames of look-ahead); these windows teach it the stream's
/// view.
package struct StreamWindowTraining: Codable, Sendable, Equatable {
    /// Chance that a crop drawn from a clip with stream windows is one of them.
    package var share: Double
    /// Loss weight of the frames a hop emits and its look-ahead; the context frames keep weight 1 (the
    /// stream imposes them, so their prediction is never used).
    package var emittedWeight: Float
    /// Training clips per dataset that get windows (the first ones; each window costs one Whisper pass).
    package var clipsPerDataset: Int
    /// The stream the windows reproduce (hop, look-ahead, context, feature window).
    package var stream: StreamConfiguration

    package init(share: Double = 0.5, emittedWeight: Float = 3, clipsPerDataset: Int = 150, stream: StreamConfiguration = StreamConfiguration()) {
        self.share = share
        self.emittedWeight = emittedWeight
        self.clipsPerDataset = clipsPerDataset
        self.stream = stream
    }
}

/// The stream windows of one clip: every hop of a stream over the clip's audio whose window is whole.
package struct StreamWindows: @unchecked Sendable {
    /// First frame of each window (the hop's start minus the context).
    package var starts: [Int]
    /// [H, W, 384]: the window's speech features exactly as the hop computes them.
    package var features: Tensor
    /// Frames at the end of each window that the hop emits or looks ahead to.
    package var emittedFrames: Int

    package var windowLength: Int { features.shape[1] }
}

package enum StreamWindowBank {
    /// Every hop of a stream over `samples` (16 kHz) whose window has its whole context and lies inside
    /// the clip's `frameCount` frames; nil when the clip is too short for one.
    package static func windows(samples: [Float], frameCount: Int, extractor: SpeechFeatureExtractor, schedule: StreamSchedule) -> StreamWindows? {
        let firstHop = (schedule.context + schedule.hop - 1) / schedule.hop * schedule.hop
        let hops = stride(from: firstHop, through: frameCount - schedule.hop - schedule.lookAhead, by: schedule.hop).map { $0 }
        guard !hops.isEmpty else { return nil }
        var rows: [Tensor] = []
        for e in hops {
            let window = schedule.hopAudio(hopStart: e, audio: samples)
            let offset = schedule.audioStart(hopStart: e) / StreamSchedule.samplesPerFeature
            let raw = extractor.features(samples: window, positionOffset: StreamSchedule.encoderPosition(featureOffset: offset, samples: window.count))
            rows.append(StreamSchedule.resample(raw, featureOffset: offset, frames: schedule.window(hopStart: e), fps: schedule.fps).unsqueezed(0))
        }
        return StreamWindows(starts: hops.map { $0 - schedule.context }, features: Tensor.concatenate(rows, axis: 0).contiguous(),
                             emittedFrames: schedule.hop + schedule.lookAhead)
    }

    /// The cache file of a dataset's windows for `schedule` and one speech-feature set.
    package static func cachePath(dataset: URL, featureSet: String, schedule: StreamSchedule) -> URL {
        let name = "stream-windows-h\(schedule.hop)-l\(schedule.lookAhead)-c\(schedule.context)-s\(schedule.featureSamples)"
        return dataset.appendingPathComponent("features").appendingPathComponent(featureSet).appendingPathComponent("\(name).safetensors")
    }

    /// The windows of `clips` (id, 16 kHz samples, frame count), read from `cache` when it holds every one of
    /// them, else computed and written there atomically.
    package static func load(clips: [(id: String, samples: () throws -> [Float], frameCount: Int)], cache: URL,
                             extractor: SpeechFeatureExtractor, schedule: StreamSchedule,
                             progress: (Int, Int) -> Void = { _, _ in }) throws -> [String: StreamWindows] {
        let emitted = schedule.hop + schedule.lookAhead
        if FileManager.default.fileExists(atPath: cache.path) {
            let file = try SafeTensorsFile(path: cache.path)
            let ids = Set(file.metadata["clips"]?.split(separator: "\n").map(String.init) ?? [])
            if clips.allSatisfy({ ids.contains($0.id) }) {
                var result: [String: StreamWindows] = [:]
                for clip in clips where file.entries["\(clip.id).features"] != nil {
                    let starts = try file.tensor(named: "\(clip.id).starts").toArray().map { Int($0) }
                    result[clip.id] = StreamWindows(starts: starts, features: try file.tensor(named: "\(clip.id).features"), emittedFrames: emitted)
                }
                return result
            }
        }
        var result: [String: StreamWindows] = [:]
        var tensors: [String: Tensor] = [:]
        for (done, clip) in clips.enumerated() {
            if let windows = windows(samples: try clip.samples(), frameCount: clip.frameCount, extractor: extractor, schedule: schedule) {
                result[clip.id] = windows
                tensors["\(clip.id).features"] = windows.features
                tensors["\(clip.id).starts"] = Tensor(windows.starts.map(Float.init), shape: [windows.starts.count])
            }
            progress(done + 1, clips.count)
        }
        try FileManager.default.createDirectory(at: cache.deletingLastPathComponent(), withIntermediateDirectories: true)
        try SafeTensors.write(tensors, to: cache.path, metadata: ["clips": clips.map(\.id).joined(separator: "\n")])
        return result
    }
}
