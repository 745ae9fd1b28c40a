import Foundation
import M2FEngine
import M2FFace
import M2FSystem
import M2FTracker

/// Imports videos of people speaking into a dataset (`m2f dataset import-video`): the audio at 16 kHz and
/// the tracked face at 30 fps, cut into clips at the stretches the quality gates reject, calibrated per
/// speaker (`TrackerCalibration`).
///
/// Resumable and atomic as the other dataset writers: each video becomes its own shard
/// `video-<name>` (shard, then part, then the manifest, each written atomically), and a rerun skips
/// the videos whose shard and part exist. The videos of one speaker are tracked together (their
/// calibration is measured over all of them), so a kill loses at most the speaker in progress.
public struct VideoImporter {
    public enum CalibrationScope: String, CaseIterable, Sendable {
        /// One calibration per performer label (the video's name when it has none).
        case speaker
        /// One per video.
        case clip
        /// The tracker's weights as they are (head pose still centred).
        case none
    }

    public var fps = 30.0
    public var sampleRate = 16_000
    public var gates = VideoQualityGates()
    public var calibration = CalibrationScope.speaker

    public init() {}

    /// Imports `videos` into `directory` (created when absent). `labels` maps a video's file name or stem
    /// to its labels (a sidecar `VIDEO.json` beside the video wins); `report` is called after each video.
    /// One bad video never stops the others: it is reported.
    public func importVideos(_ videos: [URL], into directory: URL, labels: [String: TakeLabels], tracker: FaceTracker,
                             report: (VideoImportReport) -> Void = { _ in }) throws(DatasetError) -> [VideoImportReport] {
        let layout = DatasetLayout(root: directory)
        try layout.createDirectories()
        if !FileManager.default.fileExists(atPath: layout.infoFile.path) {
            try DatasetInfo(sampleRate: sampleRate, fps: fps, createdBy: "m2f dataset import-video").write(directory: directory)
        }
        let info = try DatasetInfo.read(directory: directory)
        guard info.fps == fps, info.sampleRate == sampleRate else {
            throw .invalidArgument("\(directory.path) holds \(info.fps) fps / \(info.sampleRate) Hz clips; import-video writes \(fps) fps / \(sampleRate) Hz")
        }
        let names = videos.map { Self.sanitize($0.deletingPathExtension().lastPathComponent) }
        if let clash = Dictionary(grouping: names, by: { $0 }).first(where: { $0.value.count > 1 }) {
            throw .invalidArgument("two videos are named \(clash.key): rename one (clip ids come from the file name)")
        }
        var labelled: [TakeLabels] = []
        for video in videos { labelled.append(try Self.labels(of: video, from: labels)) }
        var groups: [String: [Int]] = [:], order: [String] = []
        for v in videos.indices {
            let key = calibration == .speaker ? (labelled[v].performer ?? names[v]) : names[v]
            if groups[key] == nil { order.append(key) }
            groups[key, default: []].append(v)
        }
        var reports: [VideoImportReport] = []
        for key in order {
            let members = groups[key]!
            let pending = members.filter { !Self.isImported(names[$0], layout: layout) }
            for v in members where !pending.contains(v) {
                var done = VideoImportReport(file: videos[v].path)
                done.alreadyImported = true
                reports.append(done)
                report(done)
            }
            guard !pending.isEmpty else { continue }
            // Track the whole group: calibration is measured over all of a speaker's videos.
            var takes: [Int: (TrackedVideo, [Range<Int>])] = [:]
            var groupReports: [Int: VideoImportReport] = [:]
            for v in members {
                var entry = VideoImportReport(file: videos[v].path)
                do {
                    let take = try TrackedVideo.track(videos[v], tracker: tracker, fps: fps, sampleRate: sampleRate)
                    takes[v] = (take, gate(take, report: &entry))
                } catch {
                    entry.error = error.localizedDescription
                }
                groupReports[v] = entry
            }
            var samples: [TrackerCalibration.Sample] = []
            for v in members { if let tracked = takes[v] { samples += Self.calibrationSamples(tracked.0, tracked.1) } }
            let scope = (calibration == .speaker ? "speaker:" : "clip:") + key
            let measured = TrackerCalibration.measure(samples, scope: scope)
            for v in pending {
                var entry = groupReports[v]!
                if let tracked = takes[v], !tracked.1.isEmpty {
                    try write(tracked.0, spans: tracked.1, name: names[v], labels: labelled[v], calibration: measured, layout: layout, report: &entry)
                }
                try Self.writeReport(entry, name: names[v], layout: layout)
                reports.append(entry)
                report(entry)
            }
        }
        if !FileManager.default.fileExists(atPath: layout.manifestFile.path) { try Manifest.write([], to: layout.manifestFile) }
        return reports
    }

    /// Applies the gates; fills the report's face share, jitter, sync and rejected spans; the clip spans.
    func gate(_ take: TrackedVideo, report: inout VideoImportReport) -> [Range<Int>] {
        let count = take.animation.frameCount
        report.seconds = Double(count) / fps
        report.faceShare = take.faceShare
        report.trackingSeconds = take.trackingSeconds
        let jitter = gates.jitter(take.animation.headPose, fps: fps)
        report.medianJitter = TrackerCalibration.median(zip(jitter, take.faceFound).filter(\.1).map(\.0))
        let sync = AudioLipSync.check(lipGap: take.lipGap, envelope: take.envelope, valid: take.faceFound,
                                      maximumLag: Int((2 * gates.maximumSyncLag * fps).rounded()) + 3, fps: fps)
        report.sync = sync
        let whole = [RejectedSpan(start: 0, end: report.seconds, reason: "")]
        if take.faceShare < gates.minimumFaceShare {
            report.rejected = whole.map { var s = $0; s.reason = String(format: "face in only %.0f %% of the frames (minimum %.0f %%)", 100 * take.faceShare, 100 * gates.minimumFaceShare); return s }
            return []
        }
        if sync.lipMotion < gates.minimumLipMotion {
            report.rejected = whole.map { var s = $0; s.reason = String(format: "the lips do not follow the audio: they barely move (lip gap std %.4f inter-pupil distances, minimum %.3f)", sync.lipMotion, gates.minimumLipMotion); return s }
            return []
        }
        if sync.bestCorrelation < gates.minimumSyncCorrelation {
            report.rejected = whole.map { var s = $0; s.reason = String(format: "the lips do not follow the audio: lip gap/loudness correlation %.2f at best (lag %+d frames), minimum %.2f", sync.bestCorrelation, sync.bestLag, gates.minimumSyncCorrelation); return s }
            return []
        }
        if Double(abs(sync.bestLag)) / fps > gates.maximumSyncLag + 1e-9, sync.bestCorrelation > sync.correlationAtZero + gates.syncMargin {
            report.rejected = whole.map { var s = $0; s.reason = String(format: "audio and picture out of sync: the audio %@ the lips by %.0f ms (r %.2f; allowed ±%.0f ms)", sync.bestLag > 0 ? "follows" : "leads", 1000 * Double(abs(sync.bestLag)) / fps, sync.bestCorrelation, 1000 * gates.maximumSyncLag); return s }
            return []
        }
        let jaw = ARKit.index(of: "jawOpen")!
        let agreement = AudioLipSync.correlation((0..<count).map { take.animation.weights[$0 * ARKit.count + jaw] }, take.lipGap,
                                                 valid: zip(take.faceFound, take.lipGap).map { $0 && $1.isFinite }, lag: 0).r
        if agreement < gates.minimumJawLipAgreement {
            report.rejected = whole.map { var s = $0; s.reason = String(format: "tracking unreliable: jawOpen does not follow the landmark lip gap (r %.2f, minimum %.2f)", agreement, gates.minimumJawLipAgreement); return s }
            return []
        }
        let (clips, rejected) = gates.spans(faceFound: take.faceFound, jitter: jitter, fps: fps)
        report.rejected = rejected
        return clips
    }

    /// The tracked frames of the clip spans, as calibration reads them.
    static func calibrationSamples(_ take: TrackedVideo, _ spans: [Range<Int>]) -> [TrackerCalibration.Sample] {
        spans.flatMap { span in
            span.filter { take.faceFound[$0] && take.lipGap[$0].isFinite }.map { f in
                TrackerCalibration.Sample(weights: take.animation.frame(f), lipGap: take.lipGap[f], speaking: take.speaking[f],
                                          head: take.animation.headPose[f])
            }
        }
    }

    /// A video's labels: its sidecar, then the labels file by file name, then by stem.
    static func labels(of video: URL, from table: [String: TakeLabels]) throws(DatasetError) -> TakeLabels {
        let fromTable = table[video.lastPathComponent] ?? table[video.deletingPathExtension().lastPathComponent] ?? TakeLabels()
        let sidecar = video.deletingPathExtension().appendingPathExtension("json")
        guard FileManager.default.fileExists(atPath: sidecar.path) else { return fromTable }
        return try TakeLabels.read(sidecar).filled(from: fromTable)
    }

    static func shardName(_ name: String) -> String { "video-" + name }

    static func isImported(_ name: String, layout: DatasetLayout) -> Bool {
        FileManager.default.fileExists(atPath: layout.shardFile(shardName(name)).path)
            && FileManager.default.fileExists(atPath: layout.partFile(shardName(name)).path)
    }

    static func writeReport(_ report: VideoImportReport, name: String, layout: DatasetLayout) throws(DatasetError) {
        let file = layout.root.appendingPathComponent("reports").appendingPathComponent("\(shardName(name)).json")
        do {
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try AtomicFile.write(try encoder.encode(report), to: file.path)
        } catch {
            throw .io(file: file.path, problem: "cannot write the import report: \(error.localizedDescription)")
        }
    }

    static func sanitize(_ name: String) -> String {
        String(name.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" ? $0 : "_" })
    }
}
