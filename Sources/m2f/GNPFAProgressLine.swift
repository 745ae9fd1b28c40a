import Foundation
import M2FGNPFA

/// A one-line progress bar with loss and ETA on stderr, redrawn at most a few times per second.
final class GNPFAProgressLine {
    private var lastDraw = Date.distantPast
    private let quiet: Bool

    init(quiet: Bool = false) { self.quiet = quiet }

    func update(_ p: TrainingProgress) {
        guard !quiet else { return }
        let now = Date()
        let finished = p.step == p.totalSteps
        guard finished || now.timeIntervalSince(lastDraw) > 0.5 else { return }
        lastDraw = now
        let width = 24
        let filled = min(width, width * p.step / max(1, p.totalSteps))
        let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
        let parts = p.parts.keys.sorted().map { "\($0) \(String(format: "%.4g", p.parts[$0]!))" }.joined(separator: " ")
        let line = "\r\(p.stage) [\(bar)] \(p.step)/\(p.totalSteps) loss \(String(format: "%.5f", p.loss)) \(parts) "
            + "· \(Self.clock(p.elapsed)) elapsed, ETA \(Self.clock(p.remaining))   "
        FileHandle.standardError.write(Data(line.utf8))
        if finished { FileHandle.standardError.write(Data("\n".utf8)) }
    }

    static func clock(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        return s >= 3600 ? String(format: "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String(format: "%d:%02d", s / 60, s % 60)
    }
}
