import Foundation

/// Every error the face module throws for a file, a user or a tool: each names the file (and line
/// where there is one), the problem, and how to fix it.
public enum FaceError: LocalizedError, Equatable, Sendable {
    /// A file could not be read or written.
    case io(file: String, problem: String)
    /// A file has no data rows (or no bytes at all).
    case emptyFile(file: String)
    /// A value or structure in a text file is wrong; `line` is 1-based.
    case parse(file: String, line: Int, problem: String)
    /// Columns that a CSV must have are absent.
    case missingColumns(file: String, names: [String])
    /// A glTF/GLB file is malformed or lacks what is needed.
    case gltf(file: String, problem: String)
    /// A weight or pose value is NaN or infinite.
    case nonFinite(frame: Int, channel: String)
    /// An argument is out of range (frame rate, frame span, mismatched animations).
    case invalidArgument(String)
    /// The file extension names no format this module knows.
    case unsupportedFormat(file: String)
    /// ffmpeg is not on PATH.
    case ffmpegMissing
    /// ffmpeg ran but failed.
    case ffmpegFailed(status: Int32, log: String)

    public var errorDescription: String? {
        switch self {
        case let .io(file, problem):
            return "\(file): \(problem)"
        case let .emptyFile(file):
            return "\(file): the file is empty (no header or no data rows); export the take again"
        case let .parse(file, line, problem):
            return "\(file):\(line): \(problem)"
        case let .missingColumns(file, names):
            return "\(file): missing column(s) \(names.joined(separator: ", ")); "
                + "the header must name every ARKit blendshape (Live Link Face capitalisation), see docs/FORMATS.md"
        case let .gltf(file, problem):
            return "\(file): \(problem)"
        case let .nonFinite(frame, channel):
            return "frame \(frame), \(channel): value is NaN or infinite; fix the producer of this animation"
        case let .invalidArgument(text):
            return text
        case let .unsupportedFormat(file):
            return "\(file): unknown format; use .csv (Live Link Face), .json (m2f v1), .glb or .gltf"
        case .ffmpegMissing:
            return "ffmpeg was not found on PATH; install it (apt-get install ffmpeg, or brew install ffmpeg)"
        case let .ffmpegFailed(status, log):
            return "ffmpeg exited with status \(status):\n\(log)"
        }
    }
}
