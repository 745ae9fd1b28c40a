import Foundation

/// Errors of the pretrained encoders and their model store: each names the file or package involved
/// and says how to fix it.
public enum EncoderError: LocalizedError, Equatable {
    /// `--only NAME` or a lookup named no catalog entry.
    case unknownModel(name: String, known: [String])
    /// The model is not in the cache (or its manifest is missing).
    case notInstalled(name: String, directory: String)
    /// An installed file is missing or its sha256 differs from the manifest.
    case corruptInstall(name: String, file: String, problem: String)
    /// An external tool (python3, pip) is not available.
    case toolMissing(tool: String, fix: String)
    /// An external command failed; `output` is the tail of what it printed.
    case toolFailed(command: String, status: Int32, output: String)
    /// A downloaded file's sha256 is not the pinned one.
    case checksumMismatch(file: String, expected: String, actual: String)
    /// An archive lacks a file the conversion needs.
    case missingFile(archive: String, file: String)
    /// A file cannot be read (or written).
    case unreadable(path: String, reason: String)
    /// A checkpoint cannot be converted (unexpected dtype, malformed header).
    case conversion(path: String, problem: String)
    /// A tokenizer file is not what the tokenizer expects.
    case malformedTokenizer(path: String, problem: String)
    /// Text from a file is not valid UTF-8.
    case invalidUTF8(path: String, byteOffset: Int)

    public var errorDescription: String? {
        switch self {
        case let .unknownModel(name, known):
            return "no model named '\(name)' in the catalog; known: \(known.joined(separator: ", "))"
        case let .notInstalled(name, directory):
            return "model '\(name)' is not installed in \(directory); run `m2f models fetch --only \(name)` (set M2F_MODELS to use another cache folder)"
        case let .corruptInstall(name, file, problem):
            return "model '\(name)': \(file): \(problem); run `m2f models fetch --only \(name) --force` to reinstall it"
        case let .toolMissing(tool, fix):
            return "\(tool) is needed to fetch models but is not available: \(fix)"
        case let .toolFailed(command, status, output):
            return "`\(command)` failed with status \(status):\n\(output)"
        case let .checksumMismatch(file, expected, actual):
            return "\(file): sha256 is \(actual) but the catalog pins \(expected); the download is corrupt or the package was replaced upstream. Delete it and fetch again; if it persists, do not use it"
        case let .missingFile(archive, file):
            return "\(archive) does not contain \(file); the package layout changed — check the pinned version in ModelCatalog.swift"
        case let .unreadable(path, reason):
            return "\(path): \(reason)"
        case let .conversion(path, problem):
            return "\(path): cannot convert: \(problem)"
        case let .malformedTokenizer(path, problem):
            return "\(path): not a usable WordPiece tokenizer.json: \(problem)"
        case let .invalidUTF8(path, byteOffset):
            return "\(path): not valid UTF-8 (first bad byte at offset \(byteOffset)); convert it, e.g. `iconv -f latin1 -t utf-8 \(path)`"
        }
    }
}
