import Foundation

/// What went wrong with a file or a child process, naming the file and, where there is one, the fix.
public enum SystemError: Error, Equatable, Sendable {
    /// A file could not be written (or replaced); nothing was changed under its name.
    case cannotWrite(file: String, problem: String)
    /// A file could not be read.
    case cannotRead(file: String, problem: String)
    /// An input that is not a regular file (a FIFO, a device, a folder): reading it could block or never end.
    case notRegularFile(file: String, kind: String)
    /// An output name that names no file (`""`, `.`, `..`, a trailing `/`).
    case badOutputName(path: String, problem: String)
    /// A program was not found; `fix` says how to get it.
    case executableMissing(name: String, fix: String)
    /// A program was found but could not be started.
    case cannotStart(executable: String, problem: String)
}

extension SystemError {
    /// The file (or program) the error is about.
    public var file: String {
        switch self {
        case let .cannotWrite(file, _), let .cannotRead(file, _), let .notRegularFile(file, _): return file
        case let .badOutputName(path, _): return path
        case let .executableMissing(name, _): return name
        case let .cannotStart(executable, _): return executable
        }
    }

    /// What went wrong, without the file name (for module errors that carry the file separately).
    public var problem: String {
        let text = errorDescription ?? ""
        let prefix = file + ": "
        return text.hasPrefix(prefix) ? String(text.dropFirst(prefix.count)) : text
    }
}

extension SystemError: LocalizedError {
    public var errorDescription: String? {
        switch self {
        case let .cannotWrite(file, problem): return "\(file): cannot write: \(problem)"
        case let .cannotRead(file, problem): return "\(file): cannot read: \(problem)"
        case let .notRegularFile(file, kind):
            return "\(file): is \(kind), not a regular file; give a file on disk (a pipe or device could block or never end)"
        case let .badOutputName(path, problem): return "output \"\(path)\": \(problem)"
        case let .executableMissing(name, fix): return "\(name) was not found: \(fix)"
        case let .cannotStart(executable, problem): return "\(executable): cannot start: \(problem)"
        }
    }
}
