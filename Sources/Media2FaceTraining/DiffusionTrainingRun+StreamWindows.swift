import Foundation
import M2FDataset
import M2FEncoders
import M2FEngine
import Media2Face

extension DiffusionTrainingRun {
    /// Gives the first `clipsPerDataset` training clips of each dataset their stream windows
    /// (`StreamWindowBank`), read from each dataset's cache or computed once with the Whisper encoder,
    /// encoding speech with the policy the model trains on.
    func attachStreamWindows(_ clips: inout [DiffusionTrainingClip], settings: StreamWindowTraining, fps: Double, speechPolicy: String,
                             events: (DiffusionTrainingEvent) -> Void) throws {
        let schedule = StreamSchedule(configuration: settings.stream, fps: fps)
        let policy = SpeechFeaturePolicy(rawValue: speechPolicy) ?? .needed
        let extractor = SpeechFeatureExtractor(encoder: try WhisperModel.loadEncoder(), shortAudio: policy.shortAudio)
        var banks: [String: StreamWindows] = [:]
        for directory in dataDirectories {
            let reader = try DatasetReader(directory: directory)
            guard let featureSet = DiffusionDatasetLoader.speechFeatureSet(reader) else { continue }
            let records = Array(reader.clips(in: .train).prefix(settings.clipsPerDataset))
            let cache = StreamWindowBank.cachePath(dataset: directory, featureSet: featureSet.key, schedule: schedule)
            events(.message("stream windows of \(records.count) clips of \(directory.lastPathComponent) (\(cache.lastPathComponent)) …"))
            let loaded = try StreamWindowBank.load(
                clips: records.map { record in (record.id, { try reader.arrays(of: record).audio.toArray() }, record.frameCount) },
                cache: cache, extractor: extractor, schedule: schedule) { done, total in events(.loading(done: done, total: total)) }
            for (id, windows) in loaded {
                guard banks[id] == nil else {
                    throw DiffusionError.invalidTrainingData(path: directory.path, problem: "clip id \(id) is in two --data datasets; stream windows need unique ids")
                }
                banks[id] = windows
            }
        }
        for i in clips.indices { clips[i].streamWindows = banks[clips[i].id] }
        let windows = clips.reduce(0) { $0 + ($1.streamWindows?.starts.count ?? 0) }
        events(.message("\(windows) stream windows (hop \(schedule.hop), look-ahead \(schedule.lookAhead), context \(schedule.context) frames) from \(banks.count) clips; share \(settings.share), emitted-frame weight \(settings.emittedWeight)"))
    }
}
