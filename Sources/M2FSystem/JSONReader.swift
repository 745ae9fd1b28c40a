import Foundation

/// One parsed JSON value, before the caller's tree type wraps it (`JSONTreeNode`).
public enum JSONContent<Node> {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([Node])
    /// Members in file order; keys are unique (a repeated key is a syntax error).
    case object([(key: String, value: Node)])
}

extension JSONContent: Sendable where Node: Sendable {}

/// A tree type the reader builds: glTF's order-keeping `JSONValue`, request files' `LocatedJSON`.
public protocol JSONTreeNode {
    /// Wraps `content`, which starts on 1-based `line`.
    init(_ content: JSONContent<Self>, line: Int)
}

/// Why a JSON file could not be read.
public enum JSONReadError: Error, Equatable, Sendable {
    /// Nothing but white space.
    case empty(file: String)
    /// A syntax error on 1-based `line`.
    case syntax(file: String, line: Int, problem: String)
}

extension JSONReadError: LocalizedError {
    public var errorDescription: String? {
        switch self {
        case let .empty(file): return "\(file): the file is empty"
        case let .syntax(file, line, problem): return "\(file):\(line): invalid JSON: \(problem)"
        }
    }
}

/// The one JSON reader: strict RFC 8259 structure over UTF-8 bytes, line numbers kept for every value
/// and every error, a leading byte-order mark skipped, duplicate keys refused (they used to take the
/// first value silently), numbers read exactly by `strtod` and refused when not finite.
///
/// Generic over the tree and inlinable, so each caller gets a specialised parser (hour-long takes hold
/// millions of numbers).
public enum JSONReader {
    /// Deepest nesting accepted (our files nest a few levels; the limit keeps the recursion bounded).
    public static let maximumDepth = 256

    @inlinable
    public static func parse<Node: JSONTreeNode>(_ data: Data, file: String, as: Node.Type = Node.self) throws(JSONReadError) -> Node {
        var parser = JSONByteParser(bytes: [UInt8](data), file: file)
        if parser.bytes.starts(with: [0xEF, 0xBB, 0xBF]) { parser.position = 3 }
        parser.skipSpace()
        guard parser.position < parser.bytes.count else { throw .empty(file: file) }
        let value: Node = try parser.parseValue(depth: 0)
        parser.skipSpace()
        guard parser.position >= parser.bytes.count else { throw parser.error("unexpected text after the JSON value") }
        return value
    }
}
