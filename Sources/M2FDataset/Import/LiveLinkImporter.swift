import Foundation
import M2FAudio
import M2FEngine
import M2FFace
import M2FSystem

/// Imports Live Link Face takes (CSV + audio) into a dataset.
///
/// For each CSV: bad rows are dropped and reported; the audio is `<stem>.wav` next to the CSV, else
/// the audio track of `<stem>.mov`/`.mp4` (through ffmpeg), where `<stem>` is the CSV name with a
/// trailing `_raw`, `_cal` or `_neutral` removed too. Alignment by timecode: the animation's first
/// row is at the CSV's first timecode; the audio's first sample is at the sidecar's
/// `audioTimecodeStart`, else the MOV's own `timecode` tag, else the CSV's first timecode (offset 0).
/// Audio before the first row is cut, missing audio at the start is filled with silence, and both
/// are cut to the shorter. Labels: the sidecar `<stem>.json` over the command-line labels.
/// The animation is resampled to the dataset's frame rate.
public struct LiveLinkImporter {
    /// What happened to one take.
    public struct TakeReport: Sendable {
        public var file: String
        /// The clip id when imported.
        public var clip: String?
        /// Rows dropped (line number and problem).
        public var droppedRows: [(line: Int, problem: String)]
        /// Why the take was skipped; nil when imported.
        public var error: String?
        /// Audio offset applied (seconds; positive: audio cut at the start).
        public var audioOffset: Double
        public var duration: Double
    }

    public var fps: Double
    public var sampleRate: Int
    public var audioLoader: AudioLoader

    public init(fps: Double = 30, sampleRate: Int = 16_000, audioLoader: AudioLoader = AudioLoader()) {
        self.fps = fps
        self.sampleRate = sampleRate
        self.audioLoader = audioLoader
    }

    /// Imports `takes` into `directory` (created when absent) as one new shard; takes whose clip id
    /// is already in the dataset are skipped. Never throws for one bad take: it is reported.
    public func importTakes(_ takes: [URL], into directory: URL, labels flags: TakeLabels) throws(DatasetError) -> [TakeReport] {
        let layout = DatasetLayout(root: directory)
        try layout.createDirectories()
        let info: DatasetInfo
        if FileManager.default.fileExists(atPath: layout.infoFile.path) {
            info = try DatasetInfo.read(directory: directory)
        } else {
            info = DatasetInfo(sampleRate: sampleRate, fps: fps, createdBy: "m2f dataset import-livelink")
            try info.write(directory: directory)
        }
        let existing = Set(((try? Manifest.read(layout.manifestFile)) ?? []).map(\.id))
        let stamp = Self.timestamp()
        var writer = ShardWriter(name: "livelink-\(stamp)")
        var reports: [TakeReport] = []
        var used = existing
        for take in takes {
            var report = TakeReport(file: take.path, clip: nil, droppedRows: [], error: nil, audioOffset: 0, duration: 0)
            do {
                let (record, arrays, offset) = try importTake(take, labels: flags, fps: info.fps, droppedRows: &report.droppedRows)
                report.audioOffset = offset
                guard !used.contains(record.id) else {
                    report.error = "already imported as \(record.id)"
                    reports.append(report)
                    continue
                }
                used.insert(record.id)
                writer.add(record, arrays: arrays)
                report.clip = record.id
                report.duration = record.duration
            } catch {
                report.error = error.localizedDescription
            }
            reports.append(report)
        }
        if !writer.isEmpty {
            try writer.write(to: layout, dtype: info.shardDType)
            try Manifest.rebuild(layout)
        } else if !FileManager.default.fileExists(atPath: layout.manifestFile.path) {
            try Manifest.write([], to: layout.manifestFile)
        }
        return reports
    }

    /// One take: its record (shard unset), arrays and the audio offset; `droppedRows` receives the
    /// rows dropped (also when the take then fails).
    public func importTake(_ csv: URL, labels flags: TakeLabels, fps targetFPS: Double,
                           droppedRows: inout [(line: Int, problem: String)]) throws(DatasetError) -> (ClipRecord, ClipArrays, Double) {
        func fail(_ problem: String) -> DatasetError { .importFailed(file: csv.path, problem: problem) }
        guard let data = FileManager.default.contents(atPath: csv.path) else { throw fail("cannot read the CSV") }
        let (cleaned, dropped) = CSVRowFilter.clean(data)
        droppedRows = dropped.map { ($0.line, $0.problem) }
        var animation: FaceAnimation
        do { animation = try LiveLinkCSV.parse(cleaned, file: csv.path) } catch {
            throw fail("\(error.localizedDescription)" + (dropped.isEmpty ? "" : " (after dropping \(dropped.count) bad rows)"))
        }
        let stem = Self.stem(of: csv)
        let folder = csv.deletingLastPathComponent()
        var labels = flags
        let sidecar = folder.appendingPathComponent("\(stem).json")
        let ownSidecar = csv.deletingPathExtension().appendingPathExtension("json")
        for candidate in [ownSidecar, sidecar] where FileManager.default.fileExists(atPath: candidate.path) {
            labels = try TakeLabels.read(candidate).filled(from: flags)
            break
        }
        guard let audioURL = Self.findAudio(for: csv, stem: stem) else {
            throw fail("no audio: looked for \(stem).wav, \(stem).mov and \(stem).mp4 next to the CSV; export the take with its video, "
                + "or put a WAV of the same name beside it")
        }
        let clip: AudioClip
        do { clip = try audioLoader.load(path: audioURL.path) } catch { throw fail("audio \(audioURL.lastPathComponent): \(error.localizedDescription)") }

        // Timecode alignment.
        let rate = animation.metadata["timecodeRate"].flatMap(Double.init) ?? animation.fps
        var offset = 0.0
        if let csvStart = animation.metadata["timecodeStart"].flatMap(Timecode.init) {
            let audioStartText = labels.audioTimecodeStart ?? Self.containerTimecode(audioURL)
            if let audioStartText {
                guard let audioStart = Timecode(audioStartText) else { throw fail("audio timecode '\(audioStartText)' is not hh:mm:ss:ff") }
                offset = Self.seconds(csvStart, rate: rate) - Self.seconds(audioStart, rate: rate)
                if offset < -43_200 { offset += 86_400 }
                if offset > 43_200 { offset -= 86_400 }
            }
        }
        var samples = clip.samples
        let shift = Int((abs(offset) * Double(sampleRate)).rounded())
        if offset > 0 {
            guard shift < samples.count else { throw fail(String(format: "the audio ends before the first CSV row (offset %.2f s)", offset)) }
            samples.removeFirst(shift)
        } else if offset < 0 {
            samples = [Float](repeating: 0, count: shift) + samples
        }
        do { animation = try animation.resampled(to: targetFPS) } catch { throw fail(error.localizedDescription) }
        let frames = min(animation.frameCount, Int((Double(samples.count) / Double(sampleRate) * targetFPS).rounded(.down)))
        guard frames >= Int(targetFPS / 2) else {
            throw fail(String(format: "audio (%.2f s after alignment) and animation (%.2f s) overlap by less than half a second: mismatched durations",
                              Double(samples.count) / Double(sampleRate), animation.duration))
        }
        do { animation = try animation.trimmed(frames: 0..<frames).validated().0 } catch { throw fail(error.localizedDescription) }
        let duration = Double(frames) / targetFPS
        samples = Array(samples.prefix(Int((duration * Double(sampleRate)).rounded())))

        let emotion = labels.emotion ?? .neutral
        let intensity = labels.intensity ?? (emotion == .neutral ? 0 : 0.6)
        let description = labels.description ?? StyleDescription.describe(
            emotion: emotion, intensity: intensity, gender: labels.gender ?? "unknown", prosody: .neutral, listening: false)
        let record = ClipRecord(
            id: "ll-" + Self.sanitize(stem), source: .livelink, voice: labels.performer ?? "livelink", language: labels.language ?? "en",
            duration: duration, fps: targetFPS, frameCount: frames, sampleCount: samples.count, emotion: emotion, intensity: intensity,
            styleTags: labels.styleTags ?? [], description: description, transcript: labels.transcript ?? "", phonemes: nil,
            split: labels.split ?? .train, shard: "")
        return (record, ClipArrays(samples: samples, animation: animation), offset)
    }

    /// The take name: the CSV's name without extension and a trailing `_raw`/`_cal`/`_neutral`.
    static func stem(of csv: URL) -> String {
        var stem = csv.deletingPathExtension().lastPathComponent
        for suffix in ["_raw", "_cal", "_neutral"] where stem.hasSuffix(suffix) { stem.removeLast(suffix.count) }
        return stem
    }

    static func findAudio(for csv: URL, stem: String) -> URL? {
        let folder = csv.deletingLastPathComponent()
        let own = csv.deletingPathExtension().lastPathComponent
        for name in Set([own, stem]).sorted() {
            for ext in ["wav", "WAV", "mov", "MOV", "mp4", "m4a"] {
                let url = folder.appendingPathComponent("\(name).\(ext)")
                if FileManager.default.fileExists(atPath: url.path) { return url }
            }
        }
        return nil
    }

    /// The `timecode` tag of a container (QuickTime's tmcd track), read with ffprobe; nil when none.
    static func containerTimecode(_ url: URL) -> String? {
        guard ["mov", "mp4", "m4a"].contains(url.pathExtension.lowercased()),
              let ffprobe = Executable.ffprobe,
              let result = try? Subprocess.run(ffprobe, ["-v", "error", "-show_entries", "format_tags=timecode:stream_tags=timecode",
                                                         "-of", "default=noprint_wrappers=1:nokey=1", url.path]),
              result.status == 0 else { return nil }
        return String(decoding: result.output, as: UTF8.self).split(separator: "\n").map(String.init).first { Timecode($0) != nil }
    }

    static func seconds(_ tc: Timecode, rate: Double) -> Double {
        Double((tc.hours * 60 + tc.minutes) * 60 + tc.seconds) + tc.frames / rate
    }

    static func sanitize(_ name: String) -> String {
        String(name.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" ? $0 : "_" })
    }

    static func timestamp() -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd-HHmmss"
        return formatter.string(from: Date()) + "-" + String(UInt32.random(in: 0...0xFFFF), radix: 16)
    }
}
