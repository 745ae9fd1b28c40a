import ArgumentParser
import Foundation
import GNPFATraining
import M2FFace
import M2FGNPFA

/// `m2f gnpfa interpolate`: decode a straight line between two expressions' codes, as a contact sheet,
/// and measure range and monotonicity over many held-out pairs.
struct GNPFAInterpolateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "interpolate",
        abstract: "Render a contact sheet of a straight-line interpolation between two expression codes; print range/monotonicity JSON.",
        discussion: "Example: m2f gnpfa interpolate --from mouthSmileLeft=1,mouthSmileRight=1,eyeBlinkLeft=1 --to jawOpen=0.7,mouthFunnel=0.8 -o lerp.png")

    @Option(help: "Start expression, e.g. mouthSmileLeft=1,mouthSmileRight=1.")
    var from = "mouthSmileLeft=1,mouthSmileRight=1,cheekSquintLeft=0.6,cheekSquintRight=0.6,eyeBlinkLeft=1,eyeBlinkRight=1"

    @Option(help: "End expression.")
    var to = "jawOpen=0.7,mouthFunnel=0.8,mouthPucker=0.4,browInnerUp=0.9,browOuterUpLeft=0.7,browOuterUpRight=0.7"

    @Option(name: .shortAndLong, help: "Contact sheet PNG to write.")
    var output: String?

    @Option(parsing: .unconditional, help: "Points along the line (tiles).")
    var steps = 8

    @Option(help: "Model folder (default: Models/gnpfa of the checkout, or $M2F_GNPFA).")
    var model: String?

    func parse(_ text: String) throws -> [Float] {
        var weights = [Float](repeating: 0, count: ARKit.count)
        for item in text.split(separator: ",") {
            let parts = item.split(separator: "=")
            guard let shape = ARKitNameMatcher.match(String(parts[0])) else { throw ValidationError("unknown ARKit shape '\(parts[0])'") }
            guard let value = parts.count > 1 ? Float(parts[1]) : 1, (0...1).contains(value) else {
                throw ValidationError("'\(item)': a weight must be a number in [0, 1]")
            }
            weights[shape.index] = value
        }
        return weights
    }

    func validate() throws {
        try OptionRange.check(steps, "--steps", 2...1000)
    }

    func run() throws {
        guard steps >= 2 else { throw ValidationError("--steps must be at least 2") }
        let coder = try GNPFAModel(directory: model.map { URL(fileURLWithPath: $0) } ?? GNPFAModel.defaultDirectory)
        if let output {
            let sheet = LatentInterpolation.contactSheet(coder: coder, from: try parse(from), to: try parse(to), steps: steps)
            try PNG.write(sheet, to: URL(fileURLWithPath: output))
            FileHandle.standardError.write(Data("wrote \(output) (\(sheet.width)×\(sheet.height), \(steps) tiles, t = 0 at the top left)\n".utf8))
        }
        let report = LatentInterpolation.measure(coder: coder)
        let object: [String: Any] = ["pairs": report.pairs, "steps": report.steps, "all_in_range": report.allInRange,
                                     "monotone_share": report.monotoneShare, "worst_reversal": report.worstReversal,
                                     "tolerance": report.tolerance]
        print(String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self))
    }
}
