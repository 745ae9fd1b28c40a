import Foundation

/// A JSON value that remembers the 1-based line it starts on, so request files (keyframes, style
/// timelines) can report "file:line: field …" for a wrong value, not only for a syntax error.
///
/// Request files are small (hand-written or exported by a tool), so a plain recursive-descent parser
/// over UTF-8 bytes is enough; object keys keep their file order.
struct LocatedJSON: Sendable {
    indirect enum Value: Sendable {
        case null
        case bool(Bool)
        case number(Double)
        case string(String)
        case array([LocatedJSON])
        case object([(key: String, value: LocatedJSON)])
    }

    let value: Value
    /// 1-based line of the value's first character.
    let line: Int

    /// Member `key` of an object (nil for a missing key or a non-object).
    subscript(key: String) -> LocatedJSON? {
        guard case let .object(members) = value else { return nil }
        return members.first { $0.key == key }?.value
    }

    /// A short name of the kind, for messages ("a number", "an object").
    var kind: String {
        switch value {
        case .null: return "null"
        case .bool: return "a boolean"
        case .number: return "a number"
        case .string: return "a string"
        case .array: return "an array"
        case .object: return "an object"
        }
    }

    /// Parses UTF-8 text; a syntax error throws `.syntax` with the line and what was expected.
    static func parse(_ data: Data, file: String) throws(RequestFileError) -> LocatedJSON {
        var parser = LocatedJSONParser(bytes: [UInt8](data), file: file)
        parser.skipSpace()
        guard parser.position < parser.bytes.count else { throw .empty(file: file) }
        let value = try parser.parseValue(depth: 0)
        parser.skipSpace()
        guard parser.position >= parser.bytes.count else { throw parser.error("unexpected text after the JSON value") }
        return value
    }
}

/// Recursive descent over bytes, counting lines as it goes.
private struct LocatedJSONParser {
    let bytes: [UInt8]
    let file: String
    var position = 0
    var line = 1

    init(bytes: [UInt8], file: String) {
        self.bytes = bytes
        self.file = file
    }

    func error(_ problem: String) -> RequestFileError { .syntax(file: file, line: line, problem: problem) }

    mutating func skipSpace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x0A: line += 1; position += 1
            case 0x20, 0x0D, 0x09: position += 1
            default: return
            }
        }
    }

    mutating func parseValue(depth: Int) throws(RequestFileError) -> LocatedJSON {
        guard depth < 64 else { throw error("nesting deeper than 64 levels") }
        skipSpace()
        guard position < bytes.count else { throw error("the file ends where a value was expected") }
        let start = line
        switch bytes[position] {
        case UInt8(ascii: "{"):
            position += 1
            var members: [(key: String, value: LocatedJSON)] = []
            skipSpace()
            if position < bytes.count, bytes[position] == UInt8(ascii: "}") { position += 1; return LocatedJSON(value: .object(members), line: start) }
            while true {
                skipSpace()
                guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else { throw error("expected a quoted key") }
                let key = try parseString()
                skipSpace()
                guard position < bytes.count, bytes[position] == UInt8(ascii: ":") else { throw error("expected ':' after key \"\(key)\"") }
                position += 1
                members.append((key, try parseValue(depth: depth + 1)))
                skipSpace()
                guard position < bytes.count else { throw error("the file ends inside an object (missing '}')") }
                if bytes[position] == UInt8(ascii: ",") { position += 1; continue }
                if bytes[position] == UInt8(ascii: "}") { position += 1; return LocatedJSON(value: .object(members), line: start) }
                throw error("expected ',' or '}' in an object")
            }
        case UInt8(ascii: "["):
            position += 1
            var items: [LocatedJSON] = []
            skipSpace()
            if position < bytes.count, bytes[position] == UInt8(ascii: "]") { position += 1; return LocatedJSON(value: .array(items), line: start) }
            while true {
                items.append(try parseValue(depth: depth + 1))
                skipSpace()
                guard position < bytes.count else { throw error("the file ends inside an array (missing ']')") }
                if bytes[position] == UInt8(ascii: ",") { position += 1; continue }
                if bytes[position] == UInt8(ascii: "]") { position += 1; return LocatedJSON(value: .array(items), line: start) }
                throw error("expected ',' or ']' in an array")
            }
        case UInt8(ascii: "\""):
            return LocatedJSON(value: .string(try parseString()), line: start)
        case UInt8(ascii: "t"): try literal("true"); return LocatedJSON(value: .bool(true), line: start)
        case UInt8(ascii: "f"): try literal("false"); return LocatedJSON(value: .bool(false), line: start)
        case UInt8(ascii: "n"): try literal("null"); return LocatedJSON(value: .null, line: start)
        default:
            return LocatedJSON(value: .number(try parseNumber()), line: start)
        }
    }

    mutating func literal(_ word: String) throws(RequestFileError) {
        let expected = Array(word.utf8)
        guard position + expected.count <= bytes.count, Array(bytes[position..<position + expected.count]) == expected else {
            throw error("unexpected text (expected \(word))")
        }
        position += expected.count
    }

    mutating func parseNumber() throws(RequestFileError) -> Double {
        let start = position
        while position < bytes.count, "+-0123456789.eE".utf8.contains(bytes[position]) { position += 1 }
        guard position > start, let text = String(bytes: bytes[start..<position], encoding: .utf8),
              let number = Double(text), number.isFinite else {
            throw error("expected a value (a number, string, object, array, true, false or null)")
        }
        return number
    }

    mutating func parseString() throws(RequestFileError) -> String {
        position += 1  // opening quote
        var out: [UInt8] = []
        while position < bytes.count {
            let byte = bytes[position]
            position += 1
            switch byte {
            case UInt8(ascii: "\""):
                guard let text = String(bytes: out, encoding: .utf8) else { throw error("a string is not valid UTF-8") }
                return text
            case 0x0A:
                throw error("a string runs past the end of the line (missing closing quote)")
            case UInt8(ascii: "\\"):
                guard position < bytes.count else { break }
                let escape = bytes[position]
                position += 1
                switch escape {
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "u"):
                    guard position + 4 <= bytes.count, let text = String(bytes: bytes[position..<position + 4], encoding: .utf8),
                          let code = UInt32(text, radix: 16), let scalar = Unicode.Scalar(code) else {
                        throw error("bad \\u escape in a string")
                    }
                    position += 4
                    out.append(contentsOf: Array(String(Character(scalar)).utf8))
                default: out.append(escape)
                }
            default:
                out.append(byte)
            }
        }
        throw error("the file ends inside a string (missing closing quote)")
    }
}
