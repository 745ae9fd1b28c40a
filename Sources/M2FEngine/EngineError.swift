import Foundation

/// Errors the engine reports for bad input at its boundaries (data, files, user-supplied shapes).
public enum EngineError: LocalizedError, Equatable {
    /// Two shapes that must agree do not; `context` names the operation or tensor.
    case shapeMismatch(context: String, expected: [Int], actual: [Int])
    /// A flat buffer does not hold as many values as the shape asks for.
    case elementCountMismatch(shape: [Int], count: Int)
    /// A safetensors (or other) file is malformed; `path` names it.
    case malformedFile(path: String, problem: String)
    /// A file could not be read or written.
    case io(path: String, problem: String)
    /// Strict checkpoint loading found missing keys.
    case missingKeys(path: String, keys: [String])
    /// Strict checkpoint loading found keys no parameter claims.
    case unusedKeys(path: String, keys: [String])
    /// A checkpoint tensor has the wrong shape for its parameter.
    case parameterShapeMismatch(path: String, key: String, expected: [Int], actual: [Int])
    /// A tensor name is absent from a file.
    case tensorNotFound(path: String, name: String)

    public var errorDescription: String? {
        switch self {
        case let .shapeMismatch(context, expected, actual):
            return "\(context): expected shape \(expected), got \(actual)"
        case let .elementCountMismatch(shape, count):
            return "shape \(shape) holds \(shape.reduce(1, *)) values but \(count) were given"
        case let .malformedFile(path, problem):
            return "\(path): \(problem)"
        case let .io(path, problem):
            return "\(path): \(problem)"
        case let .missingKeys(path, keys):
            return "\(path): missing tensors for \(keys.count) parameter(s): \(keys.prefix(10).joined(separator: ", "))"
        case let .unusedKeys(path, keys):
            return "\(path): \(keys.count) tensor(s) not used by the model: \(keys.prefix(10).joined(separator: ", "))"
        case let .parameterShapeMismatch(path, key, expected, actual):
            return "\(path): tensor '\(key)' has shape \(actual) but the model expects \(expected)"
        case let .tensorNotFound(path, name):
            return "\(path): no tensor named '\(name)'"
        }
    }
}
