import Foundation
import M2FSystem

/// A JSON value with object keys kept in file order, so that glTF files we rewrite keep their layout.
///
/// Our own parser and writer: `JSONDecoder` is too slow for hour-long takes (millions of numbers)
/// and loses key order.
public enum JSONValue: Equatable, Sendable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([(String, JSONValue)])

    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): return true
        case let (.bool(a), .bool(b)): return a == b
        case let (.number(a), .number(b)): return a == b
        case let (.string(a), .string(b)): return a == b
        case let (.array(a), .array(b)): return a == b
        case let (.object(a), .object(b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: return false
        }
    }

    /// Member of an object by key (nil for other kinds or a missing key).
    public subscript(key: String) -> JSONValue? {
        guard case let .object(members) = self else { return nil }
        return members.first { $0.0 == key }?.1
    }

    /// Sets (or appends) an object member; no effect on other kinds.
    public mutating func set(_ key: String, _ value: JSONValue) {
        guard case var .object(members) = self else { return }
        if let position = members.firstIndex(where: { $0.0 == key }) {
            members[position].1 = value
        } else {
            members.append((key, value))
        }
        self = .object(members)
    }

    public var arrayValue: [JSONValue]? { if case let .array(a) = self { return a } else { return nil } }
    public var doubleValue: Double? { if case let .number(n) = self { return n } else { return nil } }
    public var intValue: Int? { doubleValue.flatMap { $0 == $0.rounded() ? Int(exactly: $0) : nil } }
    public var stringValue: String? { if case let .string(s) = self { return s } else { return nil } }

    /// Serialises compactly (or with two-space indentation when `pretty`).
    public func serialized(pretty: Bool = false) -> String {
        var out = ""
        out.reserveCapacity(1024)
        write(into: &out, pretty: pretty, depth: 0)
        return out
    }

    func write(into out: inout String, pretty: Bool, depth: Int) {
        switch self {
        case .null: out += "null"
        case let .bool(b): out += b ? "true" : "false"
        case let .number(n): out += JSONValue.format(n)
        case let .string(s): JSONValue.writeString(s, into: &out)
        case let .array(items):
            // Arrays of numbers stay on one line even when pretty: frames read as rows.
            let flat = !pretty || items.allSatisfy { if case .number = $0 { return true } else { return false } }
            out += "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += "," }
                if !flat { out += "\n" + String(repeating: "  ", count: depth + 1) }
                item.write(into: &out, pretty: pretty, depth: depth + 1)
            }
            if !flat && !items.isEmpty { out += "\n" + String(repeating: "  ", count: depth) }
            out += "]"
        case let .object(members):
            out += "{"
            for (i, (key, value)) in members.enumerated() {
                if i > 0 { out += "," }
                if pretty { out += "\n" + String(repeating: "  ", count: depth + 1) }
                JSONValue.writeString(key, into: &out)
                out += pretty ? ": " : ":"
                value.write(into: &out, pretty: pretty, depth: depth + 1)
            }
            if pretty && !members.isEmpty { out += "\n" + String(repeating: "  ", count: depth) }
            out += "}"
        }
    }

    /// Integers without a fraction; other values in the shortest form that reads back exactly.
    static func format(_ n: Double) -> String {
        precondition(n.isFinite, "JSON cannot hold \(n)")
        if n == n.rounded(), abs(n) < 1e15 { return String(Int64(n)) }
        return "\(n)"
    }

    static func writeString(_ s: String, into out: inout String) {
        out += "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    out += String(format: "\\u%04x", scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
    }

    /// Parses UTF-8 JSON with the one reader (`JSONReader`); errors name `file` and the line.
    public static func parse(_ data: Data, file: String) throws(FaceError) -> JSONValue {
        do { return try JSONReader.parse(data, file: file) } catch { throw FaceError(error) }
    }
}

extension JSONValue: JSONTreeNode {
    public init(_ content: JSONContent<JSONValue>, line: Int) {
        switch content {
        case .null: self = .null
        case let .bool(value): self = .bool(value)
        case let .number(value): self = .number(value)
        case let .string(value): self = .string(value)
        case let .array(items): self = .array(items)
        case let .object(members): self = .object(members.map { ($0.key, $0.value) })
        }
    }
}
