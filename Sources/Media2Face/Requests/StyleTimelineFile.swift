import Foundation
import M2FFace
import M2FSystem

/// A style as a user states it, before any encoder has run: the pipeline turns it into a
/// `StyleCondition` (text → MiniLM embedding, image → GNPFA expression code).
public enum StyleSpecification: Sendable, Equatable, Codable {
    /// No style: the unconditional prompt.
    case none
    /// A free-text description ("calm, friendly, slight smile").
    case text(String)
    /// An emotion label with intensity in [0, 1].
    case emotion(Emotion, intensity: Float)
    /// A face image whose expression sets the style.
    case image(path: String)
}

/// One timed style of a style-timeline file.
public struct StyleSegmentSpecification: Sendable, Equatable {
    public var start: Double
    public var end: Double
    /// Seconds over which the style blends in and out.
    public var fade: Double
    public var style: StyleSpecification
    /// Speaking-style dials over the segment ("articulation", "energy", "headMotion"); unset ones come
    /// from the run's flags, then from the text.
    public var speaking: SpeakingDials
    /// Line of the segment in its file.
    public var line: Int

    public init(start: Double, end: Double, fade: Double = 0.5, style: StyleSpecification, speaking: SpeakingDials = SpeakingDials(),
                line: Int = 0) {
        self.start = start
        self.end = end
        self.fade = fade
        self.style = style
        self.speaking = speaking
        self.line = line
    }
}

/// A style-timeline file (JSON, docs/USAGE.md): a style per time range, blended with a gradient mask.
///
/// ```json
/// {"segments": [
///   {"start": 0, "end": 4, "text": "calm and friendly"},
///   {"start": 4, "end": 8, "emotion": "happy", "intensity": 0.8, "fade": 0.5},
///   {"start": 8, "end": 12, "image": "smile.png", "headMotion": 2},
///   {"start": 12, "end": 14, "articulation": 0.5}
/// ]}
/// ```
/// A bare array of segments is accepted. `fade` defaults to 0.5 s, `intensity` to 1; an image path is
/// relative to the timeline file. `articulation`, `energy` and `headMotion` (`SpeakingStyle`) may go
/// with any style or stand alone.
public struct StyleTimelineFile: Sendable, Equatable {
    public var file: String
    public var segments: [StyleSegmentSpecification]

    public init(file: String, segments: [StyleSegmentSpecification]) {
        self.file = file
        self.segments = segments
    }

    public static func read(_ url: URL) throws(RequestFileError) -> StyleTimelineFile {
        try parse(RequestFieldReader.load(url), file: url.path)
    }

    public static func parse(_ data: Data, file: String) throws(RequestFileError) -> StyleTimelineFile {
        try parse(LocatedJSON.parse(data, file: file), file: file)
    }

    static func parse(_ root: LocatedJSON, file: String) throws(RequestFileError) -> StyleTimelineFile {
        let reader = RequestFieldReader(file: file)
        let list: LocatedJSON
        if case .array = root.value {
            list = root
        } else {
            try reader.checkKeys(root, "", allowed: ["version", "segments"])
            guard let items = root["segments"] else { throw reader.fail(root, "segments", "missing; the file needs {\"segments\": [ … ]}") }
            if let node = root["version"], try reader.number(node, "version") != 1 {
                throw reader.fail(node, "version", "unknown version; this m2f reads version 1")
            }
            list = items
        }
        let directory = URL(fileURLWithPath: file).deletingLastPathComponent()
        var segments: [StyleSegmentSpecification] = []
        for (i, item) in try reader.array(list, "segments").enumerated() {
            segments.append(try segment(item, path: "segments[\(i)]", directory: directory, reader: reader))
        }
        guard !segments.isEmpty else { throw reader.fail(list, "segments", "empty; give at least one segment") }
        return StyleTimelineFile(file: file, segments: segments)
    }

    static func segment(_ node: LocatedJSON, path: String, directory: URL, reader: RequestFieldReader) throws(RequestFileError) -> StyleSegmentSpecification {
        try reader.checkKeys(node, path, allowed: ["start", "end", "fade", "text", "emotion", "intensity", "image", "comment"] + dialKeys.map(\.key))
        let anyTime = Double.greatestFiniteMagnitude
        guard let startNode = node["start"] else { throw reader.fail(node, path + ".start", "missing; give the start time in seconds") }
        guard let endNode = node["end"] else { throw reader.fail(node, path + ".end", "missing; give the end time in seconds") }
        let start = try reader.number(startNode, path + ".start", in: 0...anyTime, unit: " s")
        let end = try reader.number(endNode, path + ".end", in: 0...anyTime, unit: " s")
        guard end > start else { throw reader.fail(endNode, path + ".end", "must be after start (\(reader.format(start)) s)") }
        let fade = try node["fade"].map { n throws(RequestFileError) in try reader.number(n, path + ".fade", in: 0...60, unit: " s") } ?? 0.5

        var speaking = SpeakingDials()
        for (key, range, dial) in dialKeys {
            if let value = node[key] { speaking[keyPath: dial] = Float(try reader.number(value, path + "." + key, in: Double(range.lowerBound)...Double(range.upperBound))) }
        }
        let kinds = [node["text"], node["emotion"], node["image"]].compactMap { $0 }
        guard kinds.count == 1 || (kinds.isEmpty && !speaking.isEmpty) else {
            throw reader.fail(node, path, kinds.isEmpty
                ? "no style; give one of \"text\", \"emotion\" (with optional \"intensity\"), \"image\" or a dial (\"articulation\", \"energy\", \"headMotion\")"
                : "give only one of \"text\", \"emotion\" or \"image\" per segment")
        }
        if node["intensity"] != nil && node["emotion"] == nil {
            throw reader.fail(node["intensity"]!, path + ".intensity", "\"intensity\" goes with \"emotion\"")
        }
        let style: StyleSpecification
        if kinds.isEmpty {
            style = .none
        } else if let text = node["text"] {
            let value = try reader.string(text, path + ".text").trimmingCharacters(in: .whitespacesAndNewlines)
            guard !value.isEmpty else { throw reader.fail(text, path + ".text", "empty; describe the style in words") }
            style = .text(value)
        } else if let emotion = node["emotion"] {
            let name = try reader.string(emotion, path + ".emotion")
            guard let label = Emotion(rawValue: name.lowercased()) else {
                throw reader.fail(emotion, path + ".emotion", "unknown emotion \"\(name)\"; use one of \(Emotion.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            let intensity = try node["intensity"].map { n throws(RequestFileError) in try reader.number(n, path + ".intensity", in: 0...1) } ?? 1
            style = .emotion(label, intensity: Float(intensity))
        } else {
            let image = node["image"]!
            let value = try reader.string(image, path + ".image")
            let url = value.hasPrefix("/") ? URL(fileURLWithPath: value) : directory.appendingPathComponent(value)
            guard FileManager.default.fileExists(atPath: url.path) else {
                throw reader.fail(image, path + ".image", "\(url.path) does not exist; the path is relative to the timeline file")
            }
            style = .image(path: url.path)
        }
        return StyleSegmentSpecification(start: start, end: end, fade: fade, style: style, speaking: speaking, line: node.line)
    }

    /// The dial keys of a segment, their ranges and fields.
    static var dialKeys: [(key: String, range: ClosedRange<Float>, dial: WritableKeyPath<SpeakingDials, Float?>)] {
        [("articulation", SpeakingStyle.articulationRange, \.articulation), ("energy", SpeakingStyle.energyRange, \.energy),
         ("headMotion", SpeakingStyle.headMotionRange, \.headMotion)]
    }

    /// Checks the segments against the clip's duration: a segment starting after the end is an error.
    public func validate(duration: Double) throws(RequestFileError) {
        for segment in segments where segment.start >= duration {
            throw .field(file: file, line: segment.line, field: "start",
                         problem: "\(segment.start) s is after the end of the audio (\(String(format: "%.2f", duration)) s)")
        }
    }
}
