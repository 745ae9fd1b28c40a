import Foundation
import M2FSystem

/// What is wrong with a keyframe or style-timeline file: each message names the file, the line, the
/// field and how to fix it (the formats are in docs/USAGE.md).
public enum RequestFileError: LocalizedError, Equatable, Sendable {
    /// The file could not be read.
    case unreadable(file: String, problem: String)
    /// The file holds no JSON value.
    case empty(file: String)
    /// The text is not valid JSON.
    case syntax(file: String, line: Int, problem: String)
    /// A field has a wrong value; `field` is its path (`keyframes[2].weights.jawOpen`).
    case field(file: String, line: Int, field: String, problem: String)

    public var errorDescription: String? {
        switch self {
        case let .unreadable(file, problem):
            return "\(file): cannot read the file (\(problem)). Check the path and its permissions."
        case let .empty(file):
            return "\(file): the file is empty; it must hold a JSON object (see docs/USAGE.md for the format)."
        case let .syntax(file, line, problem):
            return "\(file):\(line): invalid JSON: \(problem). Fix the syntax (a JSON linter shows the spot)."
        case let .field(file, line, field, problem):
            return "\(file):\(line): \(field): \(problem)"
        }
    }
}

/// Reading typed fields out of a `LocatedJSON` with errors that carry file, line and field path.
struct RequestFieldReader {
    let file: String

    func fail(_ node: LocatedJSON, _ path: String, _ problem: String) -> RequestFileError {
        .field(file: file, line: node.line, field: path, problem: problem)
    }

    func number(_ node: LocatedJSON, _ path: String) throws(RequestFileError) -> Double {
        guard case let .number(value) = node.value else { throw fail(node, path, "expected a number, found \(node.kind)") }
        return value
    }

    /// A number in `range` (inclusive); the message states the range.
    func number(_ node: LocatedJSON, _ path: String, in range: ClosedRange<Double>, unit: String = "") throws(RequestFileError) -> Double {
        let value = try number(node, path)
        guard range.contains(value) else {
            let upper = range.upperBound == .greatestFiniteMagnitude ? "" : " … \(format(range.upperBound))\(unit)"
            throw fail(node, path, "\(format(value))\(unit) is out of range; use \(format(range.lowerBound))\(unit)\(upper.isEmpty ? " or more" : upper)")
        }
        return value
    }

    func string(_ node: LocatedJSON, _ path: String) throws(RequestFileError) -> String {
        guard case let .string(value) = node.value else { throw fail(node, path, "expected a string, found \(node.kind)") }
        return value
    }

    func array(_ node: LocatedJSON, _ path: String) throws(RequestFileError) -> [LocatedJSON] {
        guard case let .array(items) = node.value else { throw fail(node, path, "expected an array, found \(node.kind)") }
        return items
    }

    func object(_ node: LocatedJSON, _ path: String) throws(RequestFileError) -> [(key: String, value: LocatedJSON)] {
        guard case let .object(members) = node.value else { throw fail(node, path, "expected an object, found \(node.kind)") }
        return members
    }

    /// Rejects keys outside `allowed` (a typo such as "tme" would otherwise be silently ignored).
    func checkKeys(_ node: LocatedJSON, _ path: String, allowed: [String]) throws(RequestFileError) {
        for (key, value) in try object(node, path) where !allowed.contains(key) {
            throw fail(value, path.isEmpty ? key : "\(path).\(key)", "unknown field; allowed: \(allowed.joined(separator: ", "))")
        }
    }

    func format(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e9 ? String(Int(value)) : String(value)
    }

    /// Reads the file's bytes and parses them.
    static func load(_ url: URL) throws(RequestFileError) -> LocatedJSON {
        let data: Data
        do { data = try InputFile.read(url.path, maximumBytes: 64 << 20) } catch {
            if case let .cannotRead(_, problem) = error { throw .unreadable(file: url.path, problem: problem) }
            throw .unreadable(file: url.path, problem: error.problem)
        }
        return try LocatedJSON.parse(data, file: url.path)
    }
}
