import Foundation

/// Every error the dataset module throws for a file, a user or a tool: each names the file, the
/// problem and how to fix it.
public enum DatasetError: LocalizedError, Equatable, Sendable {
    /// `dataset.json` declares a format or version this build does not read.
    case unsupportedVersion(file: String, found: String, supported: Int)
    /// A directory is not a dataset (no `dataset.json`).
    case notADataset(directory: String)
    /// A file could not be read or written.
    case io(file: String, problem: String)
    /// A line of a JSON file is malformed; `line` is 1-based (0 for a whole-file problem).
    case malformed(file: String, line: Int, problem: String)
    /// A clip id that the manifest does not hold.
    case unknownClip(id: String, directory: String)
    /// A clip's arrays are missing from its shard or have the wrong shape.
    case badClipArrays(file: String, clip: String, problem: String)
    /// A build was resumed with settings other than those it started with.
    case buildMismatch(directory: String, problem: String)
    /// One clip could not be made (synthesis error, mismatched durations, NaN…); the build skips it.
    case clipFailed(clip: String, problem: String)
    /// A Live Link take could not be imported.
    case importFailed(file: String, problem: String)
    /// An argument is out of range.
    case invalidArgument(String)

    public var errorDescription: String? {
        switch self {
        case let .unsupportedVersion(file, found, supported):
            return "\(file): dataset format \(found) is not supported (this build reads m2f-dataset version \(supported)); "
                + "rebuild the dataset with this m2f, or use the m2f that wrote it"
        case let .notADataset(directory):
            return "\(directory): no dataset.json here; build one with `m2f dataset build` or `m2f dataset import-livelink`"
        case let .io(file, problem):
            return "\(file): \(problem)"
        case let .malformed(file, line, problem):
            return line > 0 ? "\(file):\(line): \(problem)" : "\(file): \(problem)"
        case let .unknownClip(id, directory):
            return "\(directory): no clip with id '\(id)' in manifest.jsonl; `m2f dataset stats \(directory)` lists the splits, "
                + "or grep the manifest for ids"
        case let .badClipArrays(file, clip, problem):
            return "\(file): clip \(clip): \(problem); the shard is damaged, delete it and its part file in parts/ and resume the build"
        case let .buildMismatch(directory, problem):
            return "\(directory): \(problem); resume with the same settings or build into a new directory"
        case let .clipFailed(clip, problem):
            return "clip \(clip): \(problem)"
        case let .importFailed(file, problem):
            return "\(file): \(problem)"
        case let .invalidArgument(text):
            return text
        }
    }
}
