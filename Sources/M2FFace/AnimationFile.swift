import Foundation

/// Reads and writes animations by file extension: `.csv` (Live Link Face), `.json` (m2f v1),
/// `.glb`/`.gltf` (the default head with the animation, written; our own files read back).
public enum AnimationFile {
    public enum Format: String, Sendable { case csv, json, glb, gltf }

    public static func format(of url: URL) throws(FaceError) -> Format {
        guard let format = Format(rawValue: url.pathExtension.lowercased()) else { throw .unsupportedFormat(file: url.path) }
        return format
    }

    public static func read(_ url: URL, csvOptions: LiveLinkCSV.ReadOptions = .init()) throws(FaceError) -> FaceAnimation {
        switch try format(of: url) {
        case .csv: return try LiveLinkCSV.read(contentsOf: url, options: csvOptions)
        case .json: return try AnimationJSON.read(contentsOf: url)
        case .glb, .gltf: return try GLTFAnimationReader.read(contentsOf: url)
        }
    }

    /// Writes `animation` atomically through `AnimationExport` (the old file stays until the new one is
    /// complete); glTF output carries the default head (or `rig`) and references `audio`.
    public static func write(_ animation: FaceAnimation, to url: URL, rig: FaceRig? = nil, audio: String? = nil) throws(FaceError) {
        _ = try format(of: url)
        try AnimationExport(rig: rig, audioReference: audio).write(animation, to: url.path)
    }
}
