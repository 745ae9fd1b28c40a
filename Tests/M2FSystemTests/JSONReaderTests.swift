import Foundation
import M2FSystem
import Testing

/// The one JSON reader: line numbers on values and errors, duplicate keys refused, a BOM accepted.
@Suite struct JSONReaderTests {
    func parse(_ text: String) throws(JSONReadError) -> LocatedJSON {
        try JSONReader.parse(Data(text.utf8), file: "keys.json")
    }

    @Test func duplicateKeysAreAnErrorNamingTheFileAndBothLines() {
        #expect(throws: JSONReadError.syntax(file: "keys.json", line: 3,
                                             problem: "duplicate key \"fps\" (first on line 2); each key may appear once")) {
            try parse("{\n  \"fps\": 30,\n  \"fps\": 60\n}")
        }
        // The same key in two different objects is fine.
        #expect(throws: Never.self) { try parse("[{\"a\": 1}, {\"a\": 2}]") }
    }

    @Test func aByteOrderMarkIsSkipped() throws {
        let root = try JSONReader.parse(Data([0xEF, 0xBB, 0xBF]) + Data("{\"fps\": 30}".utf8), file: "bom.json", as: LocatedJSON.self)
        guard case let .number(fps)? = root["fps"]?.value else { Issue.record("fps missing"); return }
        #expect(fps == 30)
    }

    @Test func valuesKeepTheLineTheyStartOn() throws {
        // LF, CRLF and a lone CR each end a line.
        let root = try parse("{\"a\": 1,\r\n\"b\": [\n2,\r3],\n\"c\": {\"d\": true}}")
        #expect(root.line == 1)
        #expect(root["a"]?.line == 1)
        #expect(root["b"]?.line == 2)
        guard case let .array(items)? = root["b"]?.value else { Issue.record("b is not an array"); return }
        #expect(items.map(\.line) == [3, 4])
        #expect(root["c"]?["d"]?.line == 5)
    }

    @Test func syntaxErrorsNameTheirLine() {
        #expect(throws: JSONReadError.syntax(file: "keys.json", line: 3, problem: "expected ',' or '}' in an object")) {
            try parse("{\n\"a\": 1\n\"b\": 2}")
        }
        #expect(throws: JSONReadError.empty(file: "keys.json")) { try parse(" \n\t") }
        #expect(throws: JSONReadError.syntax(file: "keys.json", line: 1, problem: "a number is malformed or out of range")) {
            try parse("[1e999]")
        }
        #expect(throws: JSONReadError.syntax(file: "keys.json", line: 2, problem: "unexpected text after the JSON value")) {
            try parse("{}\n{}")
        }
    }

    @Test func stringsDecodeEscapesAndSurrogatePairs() throws {
        let root = try parse(#"{"s": "a\"b\\c\n\u00e9\ud83d\ude00/"}"#)
        guard case let .string(text)? = root["s"]?.value else { Issue.record("s missing"); return }
        #expect(text == "a\"b\\c\né😀/")
        #expect(throws: JSONReadError.self) { try parse(#"["\ud83d"]"#) }
        #expect(throws: JSONReadError.self) { try parse(#"["\q"]"#) }
    }

    @Test func numbersReadExactly() throws {
        let root = try parse("[0.1, -2.5e-3, 1234567890123, 3.4028234663852886e38]")
        guard case let .array(items) = root.value else { Issue.record("not an array"); return }
        let values = items.compactMap { node -> Double? in if case let .number(n) = node.value { return n } else { return nil } }
        #expect(values == [0.1, -2.5e-3, 1234567890123, 3.4028234663852886e38])
    }
}
