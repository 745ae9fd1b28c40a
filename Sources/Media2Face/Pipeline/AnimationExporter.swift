import Foundation
import M2FEngine
import M2FFace
import M2FSystem

/// The output formats of `m2f animate`.
public enum ExportFormat: String, CaseIterable, Codable, Sendable {
    /// Live Link Face CSV (Unreal's Live Link, MetaHuman Animator, many DCC importers).
    case csv
    /// m2f JSON v1 (web players, Unity scripts, our own tools).
    case json
    /// glTF binary: the default head with 52 morph targets, the animation and the audio's name.
    case glb
    /// H.264 preview of the default head with the audio (AAC).
    case mp4

    /// Parses "csv,json,glb" (case-insensitive, spaces allowed, duplicates dropped, order kept).
    public static func list(_ text: String) throws(PipelineError) -> [ExportFormat] {
        var formats: [ExportFormat] = []
        for item in text.split(separator: ",") {
            let name = item.trimmingCharacters(in: .whitespaces).lowercased()
            guard let format = ExportFormat(rawValue: name) else { throw .unknownFormat(name) }
            if !formats.contains(format) { formats.append(format) }
        }
        guard !formats.isEmpty else { throw .unknownFormat(text) }
        return formats
    }
}

/// One file written by the exporter.
public struct ExportedFile: Sendable, Equatable {
    public var format: ExportFormat
    public var path: String
    public var seconds: Double
}

/// Writes an animation in the chosen formats next to each other: prefix `out/hello` gives
/// `out/hello.csv`, `out/hello.json`, `out/hello.glb`, `out/hello.mp4`.
///
/// Every file is written to a temporary sibling and renamed into place, so a failed or interrupted
/// export never leaves a partial file under the final name.
public struct AnimationExporter: Sendable {
    /// MP4 frame size in pixels (square). Default 512.
    public var videoSize: Int
    /// Supersampling per axis for the MP4 (1 = off). Default 2.
    public var supersample: Int
    /// The rig glTF files carry and videos show: the one given, else the default head.
    public var rig: FaceRig { chosenRig ?? DefaultHead.shared }
    /// nil: the default head, built only when a GLB or MP4 needs it (building it takes ~2 s, which
    /// CSV and JSON exports should not pay).
    let chosenRig: FaceRig?

    public init(videoSize: Int = 512, supersample: Int = 2, rig: FaceRig? = nil) {
        self.videoSize = videoSize
        self.supersample = supersample
        chosenRig = rig
    }

    /// `prefix` without a trailing format extension (`out/hello.json` → `out/hello`).
    public static func normalizedPrefix(_ prefix: String) -> String {
        let name = URL(fileURLWithPath: prefix).lastPathComponent
        guard let dot = name.lastIndex(of: "."), name.startIndex < dot,
              ExportFormat(rawValue: name[name.index(after: dot)...].lowercased()) != nil else { return prefix }
        return String(prefix.dropLast(name.distance(from: dot, to: name.endIndex)))
    }

    /// The file a format goes to.
    public static func path(prefix: String, format: ExportFormat) -> String {
        normalizedPrefix(prefix) + "." + format.rawValue
    }

    /// Makes sure files can be written at `prefix` before any work is done: refuses a prefix that names
    /// no file (`""`, `.`, `..`, a trailing `/`), creates the folder (and its parents) when needed, then
    /// checks it is a writable directory by staging and dropping a probe file.
    public static func prepareOutput(prefix: String) throws(PipelineError) {
        do { try OutputName.check(prefix) } catch {
            throw .outputNotWritable(path: prefix, problem: "-o needs a file name prefix such as out/hello: \(error.problem)")
        }
        let folder = URL(fileURLWithPath: normalizedPrefix(prefix)).deletingLastPathComponent()
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { throw .outputNotWritable(path: folder.path, problem: "it is a file, not a folder") }
        } else {
            do { try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true) } catch {
                throw .outputNotWritable(path: folder.path, problem: "cannot create the folder: \(Self.reason(error))")
            }
        }
        do {
            let probe = try StagedFile(replacing: normalizedPrefix(prefix) + ".csv")
            try probe.write(Data())
            probe.discard()
        } catch {
            throw .outputNotWritable(path: folder.path, problem: "the folder is not writable (\(error.problem))")
        }
    }

    /// Writes `animation` in `formats`; `audioPath` is referenced by the GLB and muxed into the MP4.
    ///
    /// All formats are staged first and moved into place together at the end (`StagedFileSet`): a failure
    /// or kill part-way leaves every previous file as it was, and two runs on one prefix leave one run's
    /// whole set, not a mix.
    /// - Parameter progress: (format, frames rendered, frames) during the MP4.
    @discardableResult
    public func write(_ animation: FaceAnimation, formats: [ExportFormat], prefix: String, audioPath: String?,
                      progress: (ExportFormat, Int, Int) -> Void = { _, _, _ in }) throws -> [ExportedFile] {
        try Self.prepareOutput(prefix: prefix)
        var written: [ExportedFile] = []
        let clock = ContinuousClock()
        let set = StagedFileSet()
        for format in formats {
            let started = clock.now
            let path = Self.path(prefix: prefix, format: format)
            let export = AnimationExport(rig: chosenRig, render: RenderOptions(width: videoSize, height: videoSize, supersample: supersample),
                                         audioReference: audioPath, audioTrack: audioPath)
            do {
                try export.stage(animation, as: path, format: AnimationExport.Format(rawValue: format.rawValue), in: set) { progress(format, $0, $1) }
            } catch {
                // ffmpeg's failures keep their own error (with its log); the rest is an unwritable output.
                if format == .mp4 { throw error }
                throw PipelineError.outputNotWritable(path: path, problem: Self.reason(error))
            }
            written.append(ExportedFile(format: format, path: path, seconds: seconds(clock.now - started)))
        }
        do { try set.commit() } catch { throw PipelineError.outputNotWritable(path: error.file, problem: error.problem) }
        return written
    }

    static func reason(_ error: Error) -> String {
        (error as? LocalizedError)?.errorDescription ?? "\(error)"
    }
}
