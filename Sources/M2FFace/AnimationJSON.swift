import Foundation

/// The project's own JSON animation format, version 1 (see docs/FORMATS.md):
///
///     {"version": 1, "fps": 30, "blendshapes": [52 ARKit names], "frames": [[52 weights] per frame],
///      "headPose": [[yaw, pitch, roll, tx, ty, tz] per frame], "eyePose": [[lYaw, lPitch, rYaw, rPitch]…],
///      "metadata": {"prompt": "…", "seed": "42", …}}
///
/// `blendshapes` gives the column order of `frames`; a subset of ARKit names is allowed (absent
/// shapes read as 0). `headPose`, `eyePose` and `metadata` are optional.
public enum AnimationJSON {
    /// The format version this code writes and reads.
    public static let version = 1

    public static func read(contentsOf url: URL) throws(FaceError) -> FaceAnimation {
        let data: Data
        data = try readInput(url)
        return try parse(data, file: url.path)
    }

    public static func parse(_ data: Data, file: String = "<json>") throws(FaceError) -> FaceAnimation {
        let root = try JSONValue.parse(data, file: file)
        func fail(_ problem: String) -> FaceError { .parse(file: file, line: 1, problem: problem) }
        guard case .object = root else { throw fail("the top level must be an object") }
        guard let version = root["version"]?.intValue else { throw fail("\"version\" is missing; this reader expects \"version\": 1") }
        guard version == AnimationJSON.version else { throw fail("version \(version) is not supported (this build reads version 1)") }
        guard let fps = root["fps"]?.doubleValue, FaceAnimation.frameRates.contains(fps) else {
            throw fail("\"fps\" must be a frame rate of \(Int(FaceAnimation.frameRates.lowerBound)) … \(Int(FaceAnimation.frameRates.upperBound))")
        }
        guard let nameValues = root["blendshapes"]?.arrayValue else { throw fail("\"blendshapes\" (the list of ARKit names) is missing") }
        var columns: [Int] = []
        for (i, value) in nameValues.enumerated() {
            guard let name = value.stringValue, let index = ARKit.index(of: name) else {
                throw fail("blendshapes[\(i)] is not an ARKit name: \(value.serialized())")
            }
            columns.append(index)
        }
        guard Set(columns).count == columns.count else { throw fail("\"blendshapes\" names a shape twice") }
        guard let frames = root["frames"]?.arrayValue else { throw fail("\"frames\" is missing") }
        let n = ARKit.count
        var weights = [Float](repeating: 0, count: frames.count * n)
        for (f, frame) in frames.enumerated() {
            guard let values = frame.arrayValue, values.count == columns.count else {
                throw fail("frames[\(f)] must be an array of \(columns.count) numbers")
            }
            for (c, value) in values.enumerated() {
                guard let v = value.doubleValue else { throw fail("frames[\(f)][\(c)] is not a number") }
                weights[f * n + columns[c]] = Float(v)
            }
        }
        func rows(_ key: String, width: Int) throws(FaceError) -> [[Float]]? {
            guard let value = root[key], value != .null else { return nil }
            guard let items = value.arrayValue, items.count == frames.count else {
                throw fail("\"\(key)\" must hold one row per frame (\(frames.count))")
            }
            var out: [[Float]] = []
            out.reserveCapacity(items.count)
            for (f, item) in items.enumerated() {
                guard let numbers = item.arrayValue, numbers.count == width else { throw fail("\(key)[\(f)] must hold \(width) numbers") }
                var row = [Float](repeating: 0, count: width)
                for (c, number) in numbers.enumerated() {
                    guard let v = number.doubleValue else { throw fail("\(key)[\(f)][\(c)] is not a number") }
                    row[c] = Float(v)
                }
                out.append(row)
            }
            return out
        }
        let head = try rows("headPose", width: 6)?.map(HeadPose.init(values:))
        let eyes = try rows("eyePose", width: 4)?.map(EyePose.init(values:))
        var metadata: [String: String] = [:]
        if case let .object(members)? = root["metadata"] {
            for (key, value) in members { metadata[key] = value.stringValue ?? value.serialized() }
        }
        return FaceAnimation(fps: fps, weights: weights, headPose: head, eyePose: eyes, metadata: metadata)
    }

    /// JSON text, one frame per line.
    public static func serialize(_ animation: FaceAnimation) -> Data {
        var out = "{\n  \"version\": \(version),\n  \"fps\": \(JSONValue.format(animation.fps)),\n  \"blendshapes\": ["
        out += ARKit.names.map { "\"\($0)\"" }.joined(separator: ", ") + "],\n"
        func rows(_ key: String, _ count: Int, _ row: (Int) -> [Float]) {
            out += "  \"\(key)\": ["
            for f in 0..<count {
                out += f == 0 ? "\n    [" : ",\n    ["
                out += row(f).map { $0 == 0 ? "0" : $0.description }.joined(separator: ",")
                out += "]"
            }
            out += count == 0 ? "]" : "\n  ]"
        }
        rows("frames", animation.frameCount) { Array(animation.frame($0)) }
        out += ",\n"
        rows("headPose", animation.frameCount) { animation.headPose[$0].values }
        if let eyes = animation.eyePose {
            out += ",\n"
            rows("eyePose", eyes.count) { eyes[$0].values }
        }
        let metadata = JSONValue.object(animation.metadata.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })
        out += ",\n  \"metadata\": " + metadata.serialized() + "\n}\n"
        return Data(out.utf8)
    }

    public static func write(_ animation: FaceAnimation, to url: URL) throws(FaceError) {
        try writeAtomically(serialize(animation), to: url)
    }
}
