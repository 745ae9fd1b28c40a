import GNPFATraining
import M2FGNPFA

/// GNPFA training progress (stage, step, loss and its parts) on the shared `ProgressBar`.
final class GNPFAProgressLine {
    private var bar: ProgressBar?
    private let quiet: Bool

    init(quiet: Bool = false) { self.quiet = quiet }

    func update(_ p: TrainingProgress) {
        if bar?.label != p.stage {
            bar?.finish()
            bar = ProgressBar(label: p.stage, enabled: !quiet)
        }
        let parts = p.parts.keys.sorted().map { "\($0) \(String(format: "%.4g", p.parts[$0]!))" }.joined(separator: " ")
        bar?.update(done: Double(p.step), total: Double(p.totalSteps), unit: "steps",
                    detail: "loss \(String(format: "%.5f", p.loss)) \(parts)", remaining: p.remaining,
                    force: p.step == p.totalSteps)
        if p.step == p.totalSteps {
            bar?.finish()
            bar = nil
        }
    }
}
