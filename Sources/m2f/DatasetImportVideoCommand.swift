import ArgumentParser
import Foundation
import M2FDataset
import M2FTracker

/// `m2f dataset import-video`: videos of people speaking → dataset clips (audio + tracked face).
struct DatasetImportVideoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import-video",
        abstract: "Import videos of people speaking into a dataset: their audio (16 kHz) and the face tracked at 30 fps, quality-gated and calibrated per speaker.",
        discussion: """
            Each video is tracked (`m2f track`'s Face Landmarker, VIDEO mode), resampled to 30 fps and cut into clips \
            at the stretches the gates reject: no face, tracking jitter, too short; a video whose face share is too \
            low or whose lips do not follow its audio (the best lag of the loudness envelope against the landmark \
            lip gap) is rejected whole. Every rejection has its reason in DIR/reports/video-NAME.json. Weights are \
            calibrated per speaker (the performer label; the video's name without one) against the lip gap and \
            the resting frames; the calibration is recorded in each clip's manifest line and the tracker's own \
            weights stay in the shard (`tracked_weights`). Each video becomes its own shard, so a rerun skips \
            what is done. Then `m2f dataset featurize DIR` makes it a training set. See docs/DATASET.md.

            Labels (--labels): a JSON object from a video's file name or stem to the keys of a Live Link sidecar \
            (performer, emotion, intensity, description, transcript, styleTags, split, language, gender); a \
            sidecar VIDEO.json beside a video wins.

            Examples:
              m2f dataset import-video talk1.mp4 talk2.mp4 -o data/me --labels labels.json
              m2f dataset featurize data/me
            """)

    @Argument(help: "Videos with their audio (mp4, mov, mkv, …).")
    var videos: [String]

    @Option(name: .shortAndLong, help: "Dataset directory (created when absent).")
    var output: String

    @Option(help: "JSON object: video file name or stem → labels.")
    var labels: String?

    @Option(help: "Calibration: speaker (per performer label), clip (per video) or none.")
    var calibration: String = VideoImporter.CalibrationScope.speaker.rawValue

    @Option(parsing: .unconditional, help: "Minimum share of frames with a face (a video under it is rejected whole).")
    var minFaceShare = VideoQualityGates().minimumFaceShare

    @Option(parsing: .unconditional, help: "Largest allowed audio/lip lag, seconds.")
    var maxSyncLag = VideoQualityGates().maximumSyncLag

    @Option(parsing: .unconditional, help: "Shortest clip, seconds.")
    var minClipSeconds = VideoQualityGates().minimumClipSeconds

    @Flag(help: "No per-video lines.")
    var quiet = false

    func validate() throws {
        guard VideoImporter.CalibrationScope(rawValue: calibration) != nil else {
            throw ValidationError("--calibration must be one of \(VideoImporter.CalibrationScope.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        try OptionRange.check(minFaceShare, "--min-face-share", 0...1)
        try OptionRange.check(maxSyncLag, "--max-sync-lag", 0...2, unit: " s")
        try OptionRange.check(minClipSeconds, "--min-clip-seconds", 0.1...600, unit: " s")
        for video in videos where !FileManager.default.fileExists(atPath: video) { throw ValidationError("\(video): no such file") }
    }

    func run() throws {
        var table: [String: TakeLabels] = [:]
        if let labels {
            guard let data = FileManager.default.contents(atPath: labels) else { throw ValidationError("\(labels): cannot read the labels file") }
            do { table = try JSONDecoder().decode([String: TakeLabels].self, from: data) } catch {
                throw ValidationError("\(labels): not a labels file (a JSON object from video names to labels): \(error.localizedDescription)")
            }
        }
        var importer = VideoImporter()
        importer.calibration = VideoImporter.CalibrationScope(rawValue: calibration)!
        importer.gates.minimumFaceShare = minFaceShare
        importer.gates.maximumSyncLag = maxSyncLag
        importer.gates.minimumClipSeconds = minClipSeconds
        let tracker = try FaceTracker(mode: .video)
        let started = Date()
        let reports = try importer.importVideos(videos.map { URL(fileURLWithPath: $0) }, into: URL(fileURLWithPath: output), labels: table,
                                                tracker: tracker) { report in
            guard !quiet else { return }
            if report.alreadyImported { print("\(report.file): already imported, skipped"); return }
            if let error = report.error { FileHandle.standardError.write(Data("\(error)\n".utf8)); return }
            let sync = report.sync.map { String(format: "sync lag %+d frames (r %.2f)", $0.bestLag, $0.bestCorrelation) } ?? ""
            print(String(format: "%@: %.1f s, face %.1f %%, jitter %.2f°, %@, tracked in %.1f s → %d clips, %.1f s kept",
                         report.file, report.seconds, 100 * report.faceShare, report.medianJitter, sync, report.trackingSeconds,
                         report.clips.count, report.keptSeconds))
            for span in report.rejected {
                print(String(format: "  rejected %.2f–%.2f s: %@", span.start, span.end, span.reason))
            }
        }
        let failed = reports.filter { $0.error != nil }.count
        let clips = reports.reduce(0) { $0 + $1.clips.count }, kept = reports.reduce(0) { $0 + $1.keptSeconds }
        print(String(format: "imported %d clips (%.1f s) from %d videos into %@ in %.0f s; %d failed", clips, kept,
                     reports.count - failed, output, Date().timeIntervalSince(started), failed))
        if failed > 0 { throw ExitCode(1) }
    }
}
