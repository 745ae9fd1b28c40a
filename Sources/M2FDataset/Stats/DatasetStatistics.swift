import Foundation
import M2FEngine
import M2FFace

/// What `m2f dataset stats` reports: hours by split, emotion, voice and source; phoneme coverage;
/// per-blendshape min/mean/max; the teacher checks.
public struct DatasetStatistics: Codable, Sendable {
    public struct Range: Codable, Sendable, Equatable {
        public var min: Double
        public var mean: Double
        public var max: Double

        public init(min: Double, mean: Double, max: Double) {
            self.min = min
            self.mean = mean
            self.max = max
        }
    }

    public var clips = 0
    public var hours = 0.0
    public var hoursBySplit: [String: Double] = [:]
    public var clipsBySplit: [String: Int] = [:]
    public var hoursByEmotion: [String: Double] = [:]
    public var hoursByVoice: [String: Double] = [:]
    public var hoursBySource: [String: Double] = [:]
    /// Segments of each phone over all clips with phonemes.
    public var phoneCounts: [String: Int] = [:]
    /// ARPAbet phones (39) never seen, and the share seen.
    public var missingPhones: [String] = []
    public var phoneCoverage = 0.0
    /// Distinct transcripts (sentences or sentence pairs).
    public var distinctTranscripts = 0
    /// Per ARKit shape, by canonical name.
    public var blendshapes: [String: Range] = [:]
    public var teacher = TeacherCheckResult()

    /// The 39 ARPAbet phones (CMUdict, no stress).
    public static let arpabet = ["aa", "ae", "ah", "ao", "aw", "ay", "b", "ch", "d", "dh", "eh", "er", "ey", "f", "g", "hh", "ih", "iy",
                                 "jh", "k", "l", "m", "n", "ng", "ow", "oy", "p", "r", "s", "sh", "t", "th", "uh", "uw", "v", "w", "y",
                                 "z", "zh"]

    /// Computes the statistics of every clip; `progress(done, total)` after each clip.
    public static func compute(_ dataset: DatasetReader, geometry: LipGeometry = .defaultHead,
                               progress: (Int, Int) -> Void = { _, _ in }) throws(DatasetError) -> DatasetStatistics {
        var stats = DatasetStatistics()
        var checker = TeacherChecker(geometry: geometry)
        let n = ARKit.count
        var minimum = [Float](repeating: .infinity, count: n), maximum = [Float](repeating: -.infinity, count: n)
        var sum = [Double](repeating: 0, count: n)
        var frames = 0
        var transcripts = Set<String>()
        for (i, record) in dataset.records.enumerated() {
            stats.clips += 1
            let hours = record.duration / 3600
            stats.hours += hours
            stats.hoursBySplit[record.split.rawValue, default: 0] += hours
            stats.clipsBySplit[record.split.rawValue, default: 0] += 1
            stats.hoursByEmotion[record.emotion.rawValue, default: 0] += hours
            stats.hoursByVoice[record.voice, default: 0] += hours
            stats.hoursBySource[record.source.rawValue, default: 0] += hours
            if !record.transcript.isEmpty { transcripts.insert(record.transcript) }
            for phone in record.phonemes ?? [] where phone.phone != "pau" { stats.phoneCounts[phone.phone, default: 0] += 1 }
            let animation = try dataset.arrays(of: record).animation(fps: record.fps)
            let weights = animation.weights
            weights.withUnsafeBufferPointer { w in
                for f in 0..<(w.count / n) {
                    for k in 0..<n {
                        let v = w[f * n + k]
                        minimum[k] = Swift.min(minimum[k], v)
                        maximum[k] = Swift.max(maximum[k], v)
                        sum[k] += Double(v)
                    }
                }
            }
            frames += weights.count / n
            checker.add(animation, phones: record.phonemes)
            progress(i + 1, dataset.records.count)
        }
        stats.distinctTranscripts = transcripts.count
        stats.missingPhones = arpabet.filter { stats.phoneCounts[$0] == nil }
        stats.phoneCoverage = Double(arpabet.count - stats.missingPhones.count) / Double(arpabet.count)
        if frames > 0 {
            for (k, name) in ARKit.names.enumerated() {
                stats.blendshapes[name] = Range(min: Double(minimum[k]), mean: sum[k] / Double(frames), max: Double(maximum[k]))
            }
        }
        stats.teacher = checker.result
        return stats
    }

    /// Pretty, key-sorted JSON.
    public func json() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return (try? encoder.encode(self)) ?? Data("{}".utf8)
    }

    /// A human-readable summary.
    public func text() -> String {
        func list(_ values: [String: Double]) -> String {
            values.sorted { $0.value > $1.value }.map { "\($0.key) \(String(format: "%.2f", $0.value)) h" }.joined(separator: ", ")
        }
        var lines = [
            "clips: \(clips), hours: \(String(format: "%.3f", hours)), distinct transcripts: \(distinctTranscripts)",
            "by split: " + DatasetSplit.allCases.map { "\($0.rawValue) \(String(format: "%.3f", hoursBySplit[$0.rawValue] ?? 0)) h (\(clipsBySplit[$0.rawValue] ?? 0) clips)" }.joined(separator: ", "),
            "by emotion: " + list(hoursByEmotion),
            "by voice: " + list(hoursByVoice),
            "by source: " + list(hoursBySource),
            "phoneme coverage: \(Self.arpabet.count - missingPhones.count)/\(Self.arpabet.count)"
                + (missingPhones.isEmpty ? "" : " (missing \(missingPhones.joined(separator: " ")))"),
            String(format: "teacher: lips close on %.1f %% of %d bilabial segments; openness ~ lip gap r = %.3f, ~ jawOpen r = %.3f (%d vowels);",
                   teacher.lipClosureRate * 100, teacher.bilabialSegments, teacher.opennessGapCorrelation, teacher.opennessJawCorrelation,
                   teacher.vowelSegments),
            String(format: "         blinks %.1f per minute (%d in %.1f min); values outside [0, 1]: %d",
                   teacher.blinksPerMinute, teacher.blinks, teacher.minutes, teacher.outOfRange),
            "mean lip gap by openness class (close…open): " + teacher.meanGapByOpenness.map { String(format: "%.2f mm", $0) }.joined(separator: ", "),
        ]
        let active = ARKit.names.filter { (blendshapes[$0]?.max ?? 0) > 0 }
        lines.append("blendshapes used: \(active.count)/52")
        return lines.joined(separator: "\n")
    }

    /// Writes the PNG plots into `directory`; returns the files written.
    public func writePlots(to directory: URL) throws(DatasetError) -> [URL] {
        do { try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true) } catch {
            throw .io(file: directory.path, problem: "cannot create: \(error.localizedDescription)")
        }
        func sorted(_ values: [String: Double]) -> ([String], [Double]) {
            let items = values.sorted { $0.key < $1.key }
            return (items.map(\.key), items.map(\.value))
        }
        var images: [(String, RGBImage)] = []
        let emotions = Emotion.allCases.map(\.rawValue)
        images.append(("hours_by_emotion", BarChart.render(title: "Hours by emotion", labels: emotions,
                                                          values: emotions.map { hoursByEmotion[$0] ?? 0 }, unit: " H")))
        let voices = sorted(hoursByVoice)
        images.append(("hours_by_voice", BarChart.render(title: "Hours by voice", labels: voices.0, values: voices.1, unit: " H")))
        let splits = DatasetSplit.allCases.map(\.rawValue)
        images.append(("hours_by_split", BarChart.render(title: "Hours by split", labels: splits,
                                                        values: splits.map { hoursBySplit[$0] ?? 0 }, unit: " H")))
        images.append(("phoneme_coverage", BarChart.render(title: "Phone segments", labels: Self.arpabet,
                                                          values: Self.arpabet.map { Double(phoneCounts[$0] ?? 0) })))
        let ranges = ARKit.names.map { name -> (min: Double, mean: Double, max: Double) in
            let r = blendshapes[name] ?? Range(min: 0, mean: 0, max: 0)
            return (r.min, r.mean, r.max)
        }
        images.append(("blendshape_ranges", BarChart.render(title: "Blendshape min mean max", labels: ARKit.names, ranges: ranges)))
        var written: [URL] = []
        for (name, image) in images {
            let url = directory.appendingPathComponent("\(name).png")
            do { try PNG.write(image, to: url) } catch { throw .io(file: url.path, problem: error.localizedDescription) }
            written.append(url)
        }
        return written
    }
}
