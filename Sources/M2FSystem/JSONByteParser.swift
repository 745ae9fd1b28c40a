import Foundation

/// Recursive descent over UTF-8 bytes, counting lines (LF, CRLF or a lone CR) as it goes.
@usableFromInline
struct JSONByteParser {
    @usableFromInline let bytes: [UInt8]
    @usableFromInline let file: String
    @usableFromInline var position = 0
    @usableFromInline var line = 1

    @inlinable
    init(bytes: [UInt8], file: String) {
        self.bytes = bytes
        self.file = file
    }

    @inlinable
    func error(_ problem: String) -> JSONReadError { .syntax(file: file, line: line, problem: problem) }

    @inlinable
    mutating func skipSpace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x0A: line += 1
            case 0x0D: if position + 1 >= bytes.count || bytes[position + 1] != 0x0A { line += 1 }
            case 0x20, 0x09: break
            default: return
            }
            position += 1
        }
    }

    @inlinable
    mutating func parseValue<Node: JSONTreeNode>(depth: Int) throws(JSONReadError) -> Node {
        guard depth < JSONReader.maximumDepth else { throw error("nesting deeper than \(JSONReader.maximumDepth) levels") }
        skipSpace()
        guard position < bytes.count else { throw error("the file ends where a value was expected") }
        let start = line
        switch bytes[position] {
        case UInt8(ascii: "{"): return Node(.object(try parseMembers(depth: depth)), line: start)
        case UInt8(ascii: "["):
            position += 1
            var items: [Node] = []
            skipSpace()
            if position < bytes.count, bytes[position] == UInt8(ascii: "]") { position += 1; return Node(.array(items), line: start) }
            while true {
                items.append(try parseValue(depth: depth + 1))
                skipSpace()
                guard position < bytes.count else { throw error("the file ends inside an array (missing ']')") }
                if bytes[position] == UInt8(ascii: ",") { position += 1; continue }
                if bytes[position] == UInt8(ascii: "]") { position += 1; return Node(.array(items), line: start) }
                throw error("expected ',' or ']' in an array")
            }
        case UInt8(ascii: "\""): return Node(.string(try parseString()), line: start)
        case UInt8(ascii: "t"): try literal("true"); return Node(.bool(true), line: start)
        case UInt8(ascii: "f"): try literal("false"); return Node(.bool(false), line: start)
        case UInt8(ascii: "n"): try literal("null"); return Node(.null, line: start)
        default: return Node(.number(try parseNumber()), line: start)
        }
    }

    /// An object's members; a key seen before is an error naming both lines.
    @inlinable
    mutating func parseMembers<Node: JSONTreeNode>(depth: Int) throws(JSONReadError) -> [(key: String, value: Node)] {
        position += 1
        var members: [(key: String, value: Node)] = []
        var keyLines: [String: Int] = [:]
        skipSpace()
        if position < bytes.count, bytes[position] == UInt8(ascii: "}") { position += 1; return members }
        while true {
            skipSpace()
            guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else { throw error("expected a quoted key") }
            let keyLine = line
            let key = try parseString()
            if let first = keyLines.updateValue(keyLine, forKey: key) {
                line = keyLine
                throw error("duplicate key \"\(key)\" (first on line \(first)); each key may appear once")
            }
            skipSpace()
            guard position < bytes.count, bytes[position] == UInt8(ascii: ":") else { throw error("expected ':' after key \"\(key)\"") }
            position += 1
            members.append((key, try parseValue(depth: depth + 1)))
            skipSpace()
            guard position < bytes.count else { throw error("the file ends inside an object (missing '}')") }
            if bytes[position] == UInt8(ascii: ",") { position += 1; continue }
            if bytes[position] == UInt8(ascii: "}") { position += 1; return members }
            throw error("expected ',' or '}' in an object")
        }
    }

    @inlinable
    mutating func literal(_ word: StaticString) throws(JSONReadError) {
        let count = word.utf8CodeUnitCount
        guard position + count <= bytes.count,
              (0..<count).allSatisfy({ bytes[position + $0] == word.utf8Start[$0] }) else {
            throw error("unexpected text (expected \(word))")
        }
        position += count
    }

    @inlinable
    mutating func parseNumber() throws(JSONReadError) -> Double {
        let start = position
        while position < bytes.count, Self.isNumberByte(bytes[position]) { position += 1 }
        guard position > start, let value = parseDecimal(bytes, start, position), value.isFinite else {
            position = start
            throw error(position < bytes.count && Self.isNumberByte(bytes[position])
                        ? "a number is malformed or out of range" : "expected a value (a number, string, object, array, true, false or null)")
        }
        return value
    }

    @inlinable
    static func isNumberByte(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || b == 0x2D || b == 0x2B || b == 0x2E || b == 0x65 || b == 0x45
    }

    @inlinable
    mutating func parseString() throws(JSONReadError) -> String {
        position += 1  // opening quote
        let runStart = position
        // Fast path: no escapes.
        while position < bytes.count, bytes[position] != UInt8(ascii: "\""), bytes[position] != UInt8(ascii: "\\"), bytes[position] >= 0x20 {
            position += 1
        }
        if position < bytes.count, bytes[position] == UInt8(ascii: "\"") {
            position += 1
            return try text(bytes[runStart..<position - 1])
        }
        var out = Array(bytes[runStart..<position])
        while position < bytes.count {
            let byte = bytes[position]
            position += 1
            switch byte {
            case UInt8(ascii: "\""): return try text(out[...])
            case 0x0A, 0x0D: throw error("a string runs past the end of the line (missing closing quote)")
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
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(escape)
                case UInt8(ascii: "u"): out.append(contentsOf: try unicodeEscape())
                default: throw error("unknown escape \\\(Character(Unicode.Scalar(escape))) in a string")
                }
            default: out.append(byte)
            }
        }
        throw error("the file ends inside a string (missing closing quote)")
    }

    /// The UTF-8 bytes of a \uXXXX escape (a surrogate pair takes two).
    @inlinable
    mutating func unicodeEscape() throws(JSONReadError) -> [UInt8] {
        var code = try hex4()
        if (0xD800..<0xDC00).contains(code) {
            guard position + 1 < bytes.count, bytes[position] == UInt8(ascii: "\\"), bytes[position + 1] == UInt8(ascii: "u") else {
                throw error("a \\u escape is half of a surrogate pair")
            }
            position += 2
            let low = try hex4()
            guard (0xDC00..<0xE000).contains(low) else { throw error("a \\u escape is half of a surrogate pair") }
            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
        }
        guard let scalar = Unicode.Scalar(code) else { throw error("bad \\u escape in a string") }
        return Array(String(Character(scalar)).utf8)
    }

    @inlinable
    mutating func hex4() throws(JSONReadError) -> UInt32 {
        guard position + 4 <= bytes.count,
              let code = UInt32(String(decoding: bytes[position..<position + 4], as: UTF8.self), radix: 16) else {
            throw error("bad \\u escape in a string")
        }
        position += 4
        return code
    }

    @inlinable
    func text(_ utf8: ArraySlice<UInt8>) throws(JSONReadError) -> String {
        guard let text = String(validating: utf8, as: UTF8.self) else { throw error("a string is not valid UTF-8") }
        return text
    }
}

/// bytes[start..<end] as an ASCII decimal number (strtod: exact and fast); nil when malformed.
/// Shared by the JSON reader and the CSV reader; inlinable, so the CSV reader's per-field loop keeps
/// it inline as when it was its own.
@inlinable
public func parseDecimal(_ bytes: [UInt8], _ start: Int, _ end: Int) -> Double? {
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
