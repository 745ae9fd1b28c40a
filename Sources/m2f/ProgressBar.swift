import Foundation

/// The one progress display of every long `m2f` command (dataset, training, animate, eval): a bar
/// with rate and ETA on stderr, redrawn at most 5 times a second:
///
///     build  [██████████░░░░░░░░░░]  52%  12/23 shards  ETA 3m12s  (audio 31.4 min, 7.9× real time)
///
/// A multi-stage job gives each update its stage: a new stage ends the current line and starts a
/// new one with its own clock. `message` prints a line of its own; `finish()` ends the line. When
/// stderr is not a terminal it prints a line every 5 s. Thread-safe (the pipeline reports from its
/// own task).
final class ProgressBar: @unchecked Sendable {
    let width: Int
    let interactive: Bool
    let enabled: Bool
    private let lock = NSLock()
    private var label: String
    private var start = Date()
    private var lastDraw = Date.distantPast
    private var lastLine = ""
    private var lastLinePrinted = true
    /// Whether the current line has been drawn and not yet ended.
    private var open = false

    init(label: String = "", width: Int = 24, enabled: Bool = true) {
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
        lock.withLock { draw(done: done, total: total, unit: unit, detail: detail, remaining: remaining, force: force) }
    }

    /// The same for one stage of a multi-stage job: a stage other than the current one (or any stage
    /// after `finish()`) starts a new line. The last step of a stage is always drawn.
    func update(stage: String, done: Double, total: Double, unit: String = "", detail: String = "", remaining: Double? = nil) {
        guard enabled, total > 0 else { return }
        lock.withLock {
            if stage != label || !open {
                end()
                (label, start, lastDraw) = (stage, Date(), .distantPast)
            }
            draw(done: done, total: total, unit: unit, detail: detail, remaining: remaining, force: done >= total)
        }
    }

    func update(stage: String, done: Int, total: Int) {
        update(stage: stage, done: Double(done), total: Double(total))
    }

    /// Ends the current line and prints `text` on a line of its own.
    func message(_ text: String) {
        guard enabled else { return }
        lock.withLock {
            end()
            FileHandle.standardError.write(Data((text + "\n").utf8))
        }
    }

    /// Ends the bar's line.
    func finish() {
        guard enabled else { return }
        lock.withLock { end() }
    }

    private func draw(done: Double, total: Double, unit: String, detail: String, remaining: Double?, force: Bool) {
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
        open = true
        guard due else { return }
        lastDraw = now
        FileHandle.standardError.write(Data(((interactive ? "\r\u{1B}[K" : "") + line + (interactive ? "" : "\n")).utf8))
    }

    /// Ends the current line (called with the lock held); nothing when no line is open.
    private func end() {
        guard open else { return }
        open = false
        if interactive {
            FileHandle.standardError.write(Data(("\r\u{1B}[K" + lastLine + "\n").utf8))
        } else if !lastLinePrinted {
            FileHandle.standardError.write(Data((lastLine + "\n").utf8))
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
