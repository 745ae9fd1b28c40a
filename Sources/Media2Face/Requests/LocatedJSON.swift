import Foundation
import M2FSystem

extension LocatedJSON {
    /// Parses a request file with the one JSON reader (`JSONReader`); a syntax error throws `.syntax`
    /// with the line and what was expected, a repeated key included.
    static func parse(_ data: Data, file: String) throws(RequestFileError) -> LocatedJSON {
        do { return try JSONReader.parse(data, file: file) } catch {
            switch error {
            case let .empty(file): throw .empty(file: file)
            case let .syntax(file, line, problem): throw .syntax(file: file, line: line, problem: problem)
            }
        }
    }
}
