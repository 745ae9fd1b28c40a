import Foundation
import M2FFace

/// Drops the rows of a Live Link CSV that the strict reader would refuse (wrong field count, a value
/// that is not a finite number, a malformed timecode), so that one bad row costs one frame, not the
/// take. The reader then resamples the remaining rows onto the frame grid by their timecodes.
enum CSVRowFilter {
    /// One dropped row.
    struct DroppedRow: Equatable, Sendable {
        var line: Int
        var problem: String
    }

    /// The text with bad rows removed, and the rows dropped.
    static func clean(_ data: Data) -> (Data, [DroppedRow]) {
        var text = String(decoding: data, as: UTF8.self)
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.hasSuffix("\r") ? $0.dropLast() : $0 }
        guard let headerIndex = lines.firstIndex(where: { !$0.trimmingCharacters(in: .whitespaces).isEmpty }) else { return (data, []) }
        let header = lines[headerIndex].split(separator: ",", omittingEmptySubsequences: false).map {
            $0.trimmingCharacters(in: CharacterSet(charactersIn: " \t\"")).lowercased()
        }
        let timecodeColumn = header.firstIndex(of: "timecode")
        var dropped: [DroppedRow] = []
        var kept: [Substring] = Array(lines[...headerIndex])
        for index in (headerIndex + 1)..<lines.count {
            let line = lines[index]
            if line.allSatisfy({ $0 == " " || $0 == "\t" || $0 == "," }) { continue }
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
                .map { $0.trimmingCharacters(in: CharacterSet(charactersIn: " \t\"")) }
            if fields.count != header.count {
                dropped.append(DroppedRow(line: index + 1, problem: "\(fields.count) fields, the header has \(header.count)"))
                continue
            }
            var problem: String?
            for (column, field) in fields.enumerated() {
                if column == timecodeColumn {
                    if Timecode(field) == nil { problem = "Timecode '\(field)' is not hh:mm:ss:ff[.fff]"; break }
                } else if let value = Double(field) {
                    if !value.isFinite { problem = "column \(header[column]) is \(field)"; break }
                } else {
                    problem = field.isEmpty ? "column \(header[column]) is empty" : "column \(header[column]): '\(field)' is not a number"
                    break
                }
            }
            if let problem { dropped.append(DroppedRow(line: index + 1, problem: problem)); continue }
            kept.append(line)
        }
        lines = kept
        return (Data(lines.joined(separator: "\n").utf8 + [0x0A]), dropped)
    }
}
