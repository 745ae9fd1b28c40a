import Foundation

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

    /// Parses UTF-8 JSON; errors name `file` and the line of the problem.
    public static func parse(_ data: Data, file: String) throws(FaceError) -> JSONValue {
        let bytes = [UInt8](data)
        var parser = JSONParser(bytes: bytes, file: file)
        parser.skipSpace()
        if parser.position >= bytes.count { throw FaceError.emptyFile(file: file) }
        let value = try parser.parseValue(depth: 0)
        parser.skipSpace()
        if parser.position < bytes.count { throw parser.error("unexpected text after the JSON value") }
        return value
    }
}

/// Recursive-descent parser over UTF-8 bytes.
struct JSONParser {
    let bytes: [UInt8]
    let file: String
    var position = 0

    init(bytes: [UInt8], file: String) {
        self.bytes = bytes
        self.file = file
    }

    func error(_ problem: String) -> FaceError {
        var line = 1
        for i in 0..<min(position, bytes.count) where bytes[i] == UInt8(ascii: "\n") { line += 1 }
        return .parse(file: file, line: line, problem: "invalid JSON: \(problem)")
    }

    mutating func skipSpace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x0A, 0x0D, 0x09: position += 1
            default: return
            }
        }
    }

    mutating func expect(_ literal: String, _ value: JSONValue) throws(FaceError) -> JSONValue {
        for byte in literal.utf8 {
            guard position < bytes.count, bytes[position] == byte else { throw error("expected \(literal)") }
            position += 1
        }
        return value
    }

    mutating func parseValue(depth: Int) throws(FaceError) -> JSONValue {
        guard depth < 512 else { throw error("nesting deeper than 512") }
        skipSpace()
        guard position < bytes.count else { throw error("unexpected end of file") }
        switch bytes[position] {
        case UInt8(ascii: "{"):
            position += 1
            var members: [(String, JSONValue)] = []
            skipSpace()
            if position < bytes.count, bytes[position] == UInt8(ascii: "}") { position += 1; return .object(members) }
            while true {
                skipSpace()
                guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else { throw error("expected a key string") }
                let key = try parseString()
                skipSpace()
                guard position < bytes.count, bytes[position] == UInt8(ascii: ":") else { throw error("expected ':'") }
                position += 1
                members.append((key, try parseValue(depth: depth + 1)))
                skipSpace()
                guard position < bytes.count else { throw error("unexpected end of file in an object") }
                if bytes[position] == UInt8(ascii: ",") { position += 1; continue }
                if bytes[position] == UInt8(ascii: "}") { position += 1; return .object(members) }
                throw error("expected ',' or '}'")
            }
        case UInt8(ascii: "["):
            position += 1
            var items: [JSONValue] = []
            skipSpace()
            if position < bytes.count, bytes[position] == UInt8(ascii: "]") { position += 1; return .array(items) }
            while true {
                items.append(try parseValue(depth: depth + 1))
                skipSpace()
                guard position < bytes.count else { throw error("unexpected end of file in an array") }
                if bytes[position] == UInt8(ascii: ",") { position += 1; continue }
                if bytes[position] == UInt8(ascii: "]") { position += 1; return .array(items) }
                throw error("expected ',' or ']'")
            }
        case UInt8(ascii: "\""):
            return .string(try parseString())
        case UInt8(ascii: "t"): return try expect("true", .bool(true))
        case UInt8(ascii: "f"): return try expect("false", .bool(false))
        case UInt8(ascii: "n"): return try expect("null", .null)
        default:
            return .number(try parseNumber())
        }
    }

    mutating func parseNumber() throws(FaceError) -> Double {
        let start = position
        while position < bytes.count, Self.isNumberByte(bytes[position]) { position += 1 }
        guard position > start, let value = parseDouble(bytes, start, position) else {
            position = start
            throw error("expected a value")
        }
        return value
    }

    static func isNumberByte(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || b == 0x2D || b == 0x2B || b == 0x2E || b == 0x65 || b == 0x45
    }

    mutating func parseString() throws(FaceError) -> String {
        position += 1  // opening quote
        var scalars = String.UnicodeScalarView()
        var runStart = position
        var raw: [UInt8] = []
        while position < bytes.count {
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                raw.append(contentsOf: bytes[runStart..<position])
                position += 1
                scalars.append(contentsOf: String(decoding: raw, as: UTF8.self).unicodeScalars)
                return String(scalars)
            }
            if byte == UInt8(ascii: "\\") {
                raw.append(contentsOf: bytes[runStart..<position])
                position += 1
                guard position < bytes.count else { break }
                let escape = bytes[position]
                position += 1
                switch escape {
                case UInt8(ascii: "n"): raw.append(0x0A)
                case UInt8(ascii: "t"): raw.append(0x09)
                case UInt8(ascii: "r"): raw.append(0x0D)
                case UInt8(ascii: "b"): raw.append(0x08)
                case UInt8(ascii: "f"): raw.append(0x0C)
                case UInt8(ascii: "u"):
                    guard position + 4 <= bytes.count,
                          let code = UInt32(String(decoding: bytes[position..<position + 4], as: UTF8.self), radix: 16)
                    else { throw error("bad \\u escape") }
                    position += 4
                    var scalarValue = code
                    // Surrogate pair.
                    if (0xD800..<0xDC00).contains(code), position + 6 <= bytes.count,
                       bytes[position] == UInt8(ascii: "\\"), bytes[position + 1] == UInt8(ascii: "u"),
                       let low = UInt32(String(decoding: bytes[position + 2..<position + 6], as: UTF8.self), radix: 16),
                       (0xDC00..<0xE000).contains(low) {  // else `low - 0xDC00` trapped (found by fuzzing)
                        scalarValue = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                        position += 6
                    }
                    let scalar = Unicode.Scalar(scalarValue) ?? "\u{FFFD}"
                    raw.append(contentsOf: Array(String(scalar).utf8))
                default: raw.append(escape)
                }
                runStart = position
                continue
            }
            position += 1
        }
        throw error("unterminated string")
    }
}

/// Parses an ASCII decimal number in bytes[start..<end] with strtod (exact, fast); nil when malformed.
func parseDouble(_ bytes: [UInt8], _ start: Int, _ end: Int) -> Double? {
    let length = end - start
    if length <= 0 || length > 63 { return nil }
    return withUnsafeTemporaryAllocation(of: CChar.self, capacity: 64) { buffer -> Double? in
        for i in 0..<length { buffer[i] = CChar(bitPattern: bytes[start + i]) }
        buffer[length] = 0
        var endPointer: UnsafeMutablePointer<CChar>?
        let value = strtod(buffer.baseAddress!, &endPointer)
        guard let endPointer, endPointer - buffer.baseAddress! == length else { return nil }
        return value
    }
}
