import Foundation


/// A JSON value that remembers the 1-based line it starts on, so request files (keyframes, style
/// timelines) can report "file:line: field …" for a wrong value, not only for a syntax error.
public struct LocatedJSON: JSONTreeNode, Sendable {
    public let value: JSONContent<LocatedJSON>
    /// 1-based line of the value's first character.
    public let line: Int

    public init(_ content: JSONContent<LocatedJSON>, line: Int) {
        value = content
        self.line = line
    }

    /// Member `key` of an object (nil for a missing key or a non-object).
    public subscript(key: String) -> LocatedJSON? {
        guard case let .object(members) = value else { return nil }
        return members.first { $0.key == key }?.value
    }

    /// A short name of the kind, for messages ("a number", "an object").
    public var kind: String {
        switch value {
        case .null: return "null"
        case .bool: return "a boolean"
        case .number: return "a number"
        case .string: return "a string"
        case .array: return "an array"
        case .object: return "an object"
        }
    }
}
