import Foundation

/// A one-line progress bar with rate and ETA on stderr, redrawn at most 5 times a second:
///
///     build  [██████████░░░░░░░░░░]  52%  12/23 shards  ETA 3m12s  (audio 31.4 min, 7.9× real time)
///
/// Thread-safe; `finish()` ends the line. When stderr is not a terminal it prints a line every 5 s.
/// The one progress display of every long `m2f` command (dataset, training, animate).
final class ProgressBar: @unchecked Sendable {
    let label: String
    let width: Int
    let interactive: Bool
    private let lock = NSLock()
    private var lastDraw = Date.distantPast
    private var lastLine = ""
    private var lastLinePrinted = true
    private let start = Date()

    let enabled: Bool

    init(label: String, width: Int = 24, enabled: Bool = true) {
        self.label = label
        self.width = width
        self.enabled = enabled
        interactive = isatty(STDERR_FILENO) != 0
    }

    /// Redraws with `done` of `total` units; `detail` follows the ETA. `remaining` overrides the ETA
    /// (a resumed run knows it better than this bar, which only saw the steps since the resume).
    func update(done: Double, total: Double, unit: String, detail: String = "", remaining: Double? = nil,
                force: Bool = false) {
        guard enabled else { return }
        lock.lock()
        defer { lock.unlock() }
        let now = Date()
        let interval = interactive ? 0.2 : 5
        let due = force || now.timeIntervalSince(lastDraw) >= interval
        let fraction = total > 0 ? min(max(done / total, 0), 1) : 1
        let filled = Int((fraction * Double(width)).rounded())
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        let elapsed = now.timeIntervalSince(start)
        let left = remaining ?? (done > 0 ? elapsed / done * (total - done) : .infinity)
        let eta = fraction < 1 ? "ETA " + Self.format(seconds: left) : "elapsed " + Self.format(seconds: elapsed)
        let counts = unit.isEmpty ? "" : "  \(Self.number(done))/\(Self.number(total)) \(unit)"
        let line = "\(label) [\(bar)] \(String(format: "%3d", Int(fraction * 100)))%\(counts)  \(eta)\(detail.isEmpty ? "" : "  " + detail)"
        lastLine = line
        lastLinePrinted = due
        guard due else { return }
        lastDraw = now
        FileHandle.standardError.write(Data(((interactive ? "\r\u{1B}[K" : "") + line + (interactive ? "" : "\n")).utf8))
    }

    /// Ends the bar's line.
    func finish() {
        guard enabled else { return }
        lock.withLock {
            if interactive {
                FileHandle.standardError.write(Data(("\r\u{1B}[K" + lastLine + "\n").utf8))
            } else if !lastLinePrinted {
                FileHandle.standardError.write(Data((lastLine + "\n").utf8))
            }
        }
    }

    /// `1h02m`, `3m12s`, `42s`.
    static func format(seconds: Double) -> String {
        guard seconds.isFinite else { return "?" }
        let s = Int(seconds.rounded())
        if s >= 3600 { return String(format: "%dh%02dm", s / 3600, (s % 3600) / 60) }
        if s >= 60 { return String(format: "%dm%02ds", s / 60, s % 60) }
        return "\(s)s"
    }

    static func number(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(format: "%.1f", value)
    }
}
