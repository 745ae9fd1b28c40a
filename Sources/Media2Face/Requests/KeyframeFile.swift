import Foundation
import M2FSystem
import M2FFace

/// One entry of a keyframe file, before the clip's length is known.
public struct KeyframeSpecification: Sendable, Equatable {
    public enum Timing: Sendable, Equatable {
        /// One frame at this time (seconds).
        case at(Double)
        /// Every frame from `start` to `end` seconds (nil: to the end of the clip), e.g. "mouthClose = 0
        /// throughout" for rigs such as MetaHuman whose mouthClose fights jawOpen.
        case range(start: Double, end: Double?)
    }

    public var timing: Timing
    /// Canonical ARKit index → weight in [0, 1].
    public var channels: [Int: Float]
    /// Line of the entry in its file (for errors found later, such as a time past the audio's end).
    public var line: Int

    public init(timing: Timing, channels: [Int: Float], line: Int = 0) {
        self.timing = timing
        self.channels = channels
        self.line = line
    }
}

/// A keyframe file (JSON, docs/USAGE.md):
///
/// ```json
/// {"fps": 30, "keyframes": [
///   {"time": 1.25, "weights": {"jawOpen": 0.4, "mouthSmileLeft": 0.8}},
///   {"frame": 60, "weights": [0, 0, …52 values in canonical ARKit order]},
///   {"start": 0, "weights": {"mouthClose": 0}}
/// ]}
/// ```
/// A bare array of keyframes is accepted too. Names are matched like avatar morph targets
/// (`jawOpen`, `JawOpen`, `jaw_open`…); `fps` (default 30) only converts `frame` indices to times.
public struct KeyframeFile: Sendable, Equatable {
    /// The path the entries were read from (named in errors).
    public var file: String
    public var entries: [KeyframeSpecification]

    public init(file: String, entries: [KeyframeSpecification]) {
        self.file = file
        self.entries = entries
    }

    public static func read(_ url: URL) throws(RequestFileError) -> KeyframeFile {
        try parse(RequestFieldReader.load(url), file: url.path)
    }

    public static func parse(_ data: Data, file: String) throws(RequestFileError) -> KeyframeFile {
        try parse(LocatedJSON.parse(data, file: file), file: file)
    }

    static func parse(_ root: LocatedJSON, file: String) throws(RequestFileError) -> KeyframeFile {
        let reader = RequestFieldReader(file: file)
        var fps = 30.0
        let list: LocatedJSON
        if case .array = root.value {
            list = root
        } else {
            try reader.checkKeys(root, "", allowed: ["version", "fps", "keyframes"])
            guard let items = root["keyframes"] else { throw reader.fail(root, "keyframes", "missing; the file needs {\"keyframes\": [ … ]}") }
            if let node = root["fps"] { fps = try reader.number(node, "fps", in: 1...1000) }
            if let node = root["version"], try reader.number(node, "version") != 1 {
                throw reader.fail(node, "version", "unknown version; this m2f reads version 1")
            }
            list = items
        }
        var entries: [KeyframeSpecification] = []
        for (i, item) in try reader.array(list, "keyframes").enumerated() {
            entries.append(try entry(item, path: "keyframes[\(i)]", fps: fps, reader: reader))
        }
        return KeyframeFile(file: file, entries: entries)
    }

    static func entry(_ node: LocatedJSON, path: String, fps: Double, reader: RequestFieldReader) throws(RequestFileError) -> KeyframeSpecification {
        try reader.checkKeys(node, path, allowed: ["time", "frame", "start", "end", "weights", "comment"])
        let anyTime = Double.greatestFiniteMagnitude
        let timing: KeyframeSpecification.Timing
        switch (node["time"], node["frame"], node["start"]) {
        case let (time?, nil, nil):
            timing = .at(try reader.number(time, path + ".time", in: 0...anyTime, unit: " s"))
        case let (nil, frame?, nil):
            let index = try reader.number(frame, path + ".frame", in: 0...anyTime)
            guard index == index.rounded() else { throw reader.fail(frame, path + ".frame", "\(index) is not a whole frame index") }
            timing = .at(index / fps)
        case let (nil, nil, start?):
            let from = try reader.number(start, path + ".start", in: 0...anyTime, unit: " s")
            var to: Double?
            if let end = node["end"] {
                to = try reader.number(end, path + ".end", in: 0...anyTime, unit: " s")
                guard to! > from else { throw reader.fail(end, path + ".end", "must be after start (\(reader.format(from)) s)") }
            }
            timing = .range(start: from, end: to)
        default:
            throw reader.fail(node, path, "give exactly one of \"time\" (seconds), \"frame\" (index) or \"start\" (with an optional \"end\")")
        }
        if node["end"] != nil, case .at = timing {
            throw reader.fail(node["end"]!, path + ".end", "\"end\" goes with \"start\", not with \"time\" or \"frame\"")
        }
        guard let weights = node["weights"] else { throw reader.fail(node, path + ".weights", "missing; give {\"shapeName\": value, …} or 52 values") }
        return KeyframeSpecification(timing: timing, channels: try channels(weights, path: path + ".weights", reader: reader), line: node.line)
    }

    static func channels(_ node: LocatedJSON, path: String, reader: RequestFieldReader) throws(RequestFileError) -> [Int: Float] {
        var channels: [Int: Float] = [:]
        switch node.value {
        case let .array(items):
            guard items.count == ARKit.count else {
                throw reader.fail(node, path, "an array of weights must hold all 52 ARKit values in canonical order, found \(items.count)")
            }
            for (k, item) in items.enumerated() {
                channels[k] = Float(try reader.number(item, "\(path)[\(k)] (\(ARKit.names[k]))", in: 0...1))
            }
        case let .object(members):
            guard !members.isEmpty else { throw reader.fail(node, path, "empty; name at least one ARKit shape") }
            for (name, value) in members {
                guard let shape = ARKitNameMatcher.match(name) else {
                    throw reader.fail(value, "\(path).\(name)", "not an ARKit blendshape name\(suggestion(for: name)); the 52 names are in docs/FORMATS.md")
                }
                guard channels[shape.index] == nil else {
                    throw reader.fail(value, "\(path).\(name)", "\(shape.rawValue) is given twice in this keyframe")
                }
                channels[shape.index] = Float(try reader.number(value, "\(path).\(name)", in: 0...1))
            }
        default:
            throw reader.fail(node, path, "expected an object of shape weights or an array of 52 values, found \(node.kind)")
        }
        return channels
    }

    /// " (did you mean jawOpen?)" for the nearest ARKit name within a small edit distance.
    static func suggestion(for name: String) -> String {
        let lowered = Array(name.lowercased())
        let scored = ARKit.names.map { ($0, editDistance(lowered, Array($0.lowercased()))) }.min { $0.1 < $1.1 }!
        return scored.1 <= max(2, lowered.count / 4) ? " (did you mean \(scored.0)?)" : ""
    }

    static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
        var row = Array(0...b.count)
        for i in 1...max(a.count, 1) where !a.isEmpty {
            var previous = row[0]
            row[0] = i
            for j in 1...max(b.count, 1) where !b.isEmpty {
                let current = row[j]
                row[j] = min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] == b[j - 1] ? 0 : 1))
                previous = current
            }
        }
        return row[b.count]
    }

    /// The keyframes for a clip of `duration` seconds animated at `fps`, in file order, each at the start
    /// time of the frame it lands on (`Keyframe.frame(at:)`: a key inside the last, partial frame or up to
    /// half a frame past the end lands on the last frame); a range becomes one keyframe per frame time
    /// inside it. A time past the end of the clip is an error naming the entry.
    package func keyframes(duration: Double, fps: Double) throws(RequestFileError) -> [Keyframe] {
        let lastTime = max(0, duration)
        let frameCount = Keyframe.frameCount(duration: lastTime, fps: fps)
        var out: [Keyframe] = []
        for entry in entries {
            switch entry.timing {
            case let .at(time):
                guard let frame = Keyframe.frame(at: time, fps: fps, frameCount: frameCount, end: lastTime + 0.5 / fps) else {
                    throw .field(file: file, line: entry.line, field: "time",
                                 problem: "\(time) s is after the end of the audio (\(String(format: "%.3f", duration)) s); move or remove this keyframe")
                }
                out.append(Keyframe(time: Double(frame) / fps, channels: entry.channels))
            case let .range(start, end):
                guard start < lastTime else {
                    throw .field(file: file, line: entry.line, field: "start",
                                 problem: "\(start) s is after the end of the audio (\(String(format: "%.3f", duration)) s)")
                }
                // Frames whose time lies in [start, end], within the clip's frames.
                var frame = Int((start * fps - 1e-9).rounded(.up))
                while frame < frameCount, end.map({ Double(frame) / fps <= $0 + 1e-9 }) ?? true {
                    out.append(Keyframe(time: Double(frame) / fps, channels: entry.channels))
                    frame += 1
                }
            }
        }
        return out
    }
}
