import Foundation
import M2FSystem

extension FaceError {
    /// A file or process error from the system base, as this module's error (same file, same message).
    init(_ error: SystemError) {
        switch error {
        case .executableMissing: self = .ffmpegMissing
        default: self = .io(file: error.file, problem: error.problem)
        }
    }

    /// A JSON syntax error, as this module's error.
    init(_ error: JSONReadError) {
        switch error {
        case let .empty(file): self = .emptyFile(file: file)
        case let .syntax(file, line, problem): self = .parse(file: file, line: line, problem: "invalid JSON: \(problem)")
        }
    }
}

/// Reads an input file (regular files only), as this module's error.
func readInput(_ url: URL) throws(FaceError) -> Data {
    do { return try InputFile.read(url.path) } catch { throw FaceError(error) }
}

/// Writes a file atomically (staged beside it, then renamed), as this module's error.
func writeAtomically(_ data: Data, to url: URL) throws(FaceError) {
    do { try AtomicFile.write(data, to: url.path) } catch { throw FaceError(error) }
}
