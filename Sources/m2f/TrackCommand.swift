import ArgumentParser
import Foundation
import M2FFace
import M2FSystem
import M2FTracker

/// `m2f track`: a video, an image or a folder of them → ARKit weights, head pose and gaze per frame,
/// through MediaPipe's Face Landmarker running in our engine.
struct TrackCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "track",
        abstract: "Track a face in a video or image: 52 ARKit weights, head and eye pose per frame (Live Link Face CSV, m2f JSON).",
        discussion: """
            OUT is a path prefix for one input (`-o out/take` writes out/take.csv, out/take.json) and a folder \
            for a folder of inputs (one set of files per video or image, by name). Videos are tracked as \
            MediaPipe's VIDEO mode does (the face region follows the landmarks; the detector runs when the \
            face is lost); images are detected one by one. Frames without a face are interpolated over gaps \
            up to --max-gap seconds and held (marked 0 in the JSON's track.faceFound) beyond. MediaPipe has no \
            tongueOut: its channel is 0. Needs `m2f models fetch` (face-landmarker) and ffmpeg.

            Examples:
              m2f track actor.mp4 -o out/actor
              m2f track portrait.jpg -o out/portrait --format json
              m2f track clips/ -o out/clips --smooth
            """)

    @Argument(help: "A video, an image (png, jpg, …) or a folder of them.")
    var input: String

    @Option(name: .shortAndLong, help: "Output path prefix (one input) or folder (a folder of inputs).")
    var output: String

    @Option(help: "Comma-separated output formats: csv (Live Link Face), json (m2f, with tracking metadata), glb.")
    var format = "csv,json"

    @Flag(help: "One Euro filter over every channel (less jitter, slight lag on fast motion).")
    var smooth = false

    @Option(parsing: .unconditional, help: "Longest gap without a face (seconds) that is interpolated.")
    var maxGap = 0.25

    @Flag(help: "Take eyeLook* from the blendshape model instead of the iris landmarks.")
    var modelGaze = false

    @Flag(help: "Also write PREFIX.landmarks.json: per frame the 478 landmarks, the blendshape model's raw scores and the facial transformation matrix (MediaPipe's result layout; scripts/tracker compare it with Python MediaPipe).")
    var landmarks = false

    @Flag(help: "Detect the face on every frame (MediaPipe's IMAGE mode) instead of tracking it.")
    var detectEveryFrame = false

    @Flag(help: "No progress display.")
    var quiet = false

    static let imageExtensions: Set<String> = ["png", "jpg", "jpeg", "bmp", "tif", "tiff", "webp", "gif"]
    static let videoExtensions: Set<String> = ["mp4", "mov", "mkv", "avi", "webm", "m4v", "mpg", "mpeg", "flv", "wmv", "3gp", "ts"]

    func validate() throws {
        try OptionRange.check(maxGap, "--max-gap", 0...60, unit: " s")
        for name in format.split(separator: ",") where !["csv", "json", "glb"].contains(name.trimmingCharacters(in: .whitespaces)) {
            throw ValidationError("--format: \(name) is not one of csv, json, glb")
        }
    }

    func run() throws {
        let formats = format.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: input, isDirectory: &isFolder) else {
            throw ValidationError("\(input): no such file or folder")
        }
        let tracker = try FaceTracker(mode: detectEveryFrame ? .image : .video)
        if isFolder.boolValue {
            let names = try FileManager.default.contentsOfDirectory(atPath: input).sorted().filter {
                let ext = URL(fileURLWithPath: $0).pathExtension.lowercased()
                return Self.imageExtensions.contains(ext) || Self.videoExtensions.contains(ext)
            }
            guard !names.isEmpty else { throw ValidationError("\(input): holds no videos or images (by extension)") }
            try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
            var failures: [String] = []
            for name in names {
                let prefix = (output as NSString).appendingPathComponent(URL(fileURLWithPath: name).deletingPathExtension().lastPathComponent)
                do {
                    try track((input as NSString).appendingPathComponent(name), to: prefix, formats: formats, tracker: tracker)
                } catch {
                    failures.append(name)
                    FileHandle.standardError.write(Data("error: \(error.localizedDescription)\n".utf8))
                }
            }
            if !failures.isEmpty { throw TrackFailure(message: "\(failures.count) of \(names.count) inputs failed: \(failures.joined(separator: ", "))") }
        } else {
            try OutputName.check(output)
            let folder = URL(fileURLWithPath: output).deletingLastPathComponent().path
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            try track(input, to: output, formats: formats, tracker: tracker)
        }
    }

    /// Tracks one file and writes its outputs; on a decoding error mid-video the frames tracked so far
    /// are written before the error is reported.
    func track(_ path: String, to prefix: String, formats: [String], tracker: FaceTracker) throws {
        let isImage = Self.imageExtensions.contains(URL(fileURLWithPath: path).pathExtension.lowercased())
        let frames = try VideoFrames(path: path)
        tracker.reset()
        let bar = ProgressBar(label: URL(fileURLWithPath: path).lastPathComponent, enabled: !quiet && !isImage)
        let started = Date()
        var tracked: [TrackedFrame] = []
        var failure: Error?
        do {
            while let image = try frames.next() {
                let time = frames.info.fps > 0 ? Double(tracked.count) / frames.info.fps : nil
                tracked.append(try tracker.process(image, time: time))
                if let total = frames.info.frameCount, total > 0 {
                    bar.update(done: Double(tracked.count), total: Double(total), unit: "frames")
                }
            }
        } catch {
            failure = error
        }
        bar.finish()
        if tracked.isEmpty, let failure { throw failure }
        if isImage, !(tracked.first?.found ?? false) { throw TrackerError.noFace(path: path) }
        let seconds = Date().timeIntervalSince(started)
        let fps = frames.info.fps > 0 && !isImage ? frames.info.fps : 30
        var assembly = TakeAssembly()
        assembly.maximumInterpolatedGap = maxGap
        assembly.filter = smooth ? OneEuroFilter() : nil
        assembly.gazeFromIrises = !modelGaze
        var animation = assembly.assemble(tracked, fps: fps, modelNames: tracker.blendshapeNames, source: URL(fileURLWithPath: path).lastPathComponent)
        if let failure { animation.metadata["track.decodeError"] = failure.localizedDescription }
        let set = StagedFileSet()
        var written: [String] = []
        for format in formats {
            let file = prefix + "." + format
            try AnimationExport().stage(animation, as: file, in: set)
            written.append(file)
        }
        if landmarks {
            try set.stage(LandmarkDump.json(tracked, width: frames.info.width, height: frames.info.height, names: tracker.blendshapeNames, source: path),
                          as: prefix + ".landmarks.json")
            written.append(prefix + ".landmarks.json")
        }
        try set.commit()
        let share = animation.metadata["track.faceShare"].flatMap(Double.init) ?? 0
        print(String(format: "%@: %d frames, face in %.1f %%, %.2f s (%.1f fps) → %@", path, tracked.count, 100 * share,
                     seconds, Double(tracked.count) / max(seconds, 1e-9), written.joined(separator: ", ")))
        if let failure { throw failure }
    }
}

/// Some inputs of a folder run failed (each was reported as it happened); exit status 1.
struct TrackFailure: LocalizedError {
    let message: String
    var errorDescription: String? { message }
}

/// The per-frame tracker output in the layout of `scripts/tracker/mediapipe_reference.py`.
enum LandmarkDump {
    static func json(_ frames: [TrackedFrame], width: Int, height: Int, names: [String], source: String) -> Data {
        var out = "{\"source\":" + quoted(URL(fileURLWithPath: source).lastPathComponent) + ",\"frames\":["
        for (f, frame) in frames.enumerated() {
            if f > 0 { out += "," }
            out += "{\"found\":\(frame.found),\"detected\":\(frame.detected),\"confidence\":\(frame.confidence),\"width\":\(width),\"height\":\(height)"
            if frame.found {
                out += ",\"landmarks\":[" + frame.landmarks.map { "[\($0.x),\($0.y),\($0.z)]" }.joined(separator: ",") + "]"
                out += ",\"blendshapes\":{" + zip(names, frame.blendshapes).map { quoted($0) + ":\($1)" }.joined(separator: ",") + "}"
                out += ",\"matrix\":[" + frame.transformMatrix.map { "\($0)" }.joined(separator: ",") + "]"
                let h = frame.headPose, e = frame.eyePose ?? EyePose()
                out += ",\"head\":[\(h.yaw),\(h.pitch),\(h.roll),\(h.tx),\(h.ty),\(h.tz)],\"eyes\":[\(e.leftYaw),\(e.leftPitch),\(e.rightYaw),\(e.rightPitch)]"
            }
            out += "}"
        }
        return Data((out + "]}\n").utf8)
    }

    static func quoted(_ text: String) -> String {
        let data = try? JSONSerialization.data(withJSONObject: [text])
        return data.map { String(decoding: $0.dropFirst().dropLast(), as: UTF8.self) } ?? "\"\""
    }
}
