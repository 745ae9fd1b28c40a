import ArgumentParser
import Foundation
import GNPFATraining
import M2FEngine
import M2FFace
import M2FGNPFA

/// `m2f gnpfa roundtrip anim.json -o out.json`: encode every frame into the latent space and decode it.
struct GNPFARoundtripCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "roundtrip",
        abstract: "Encode an animation's frames into GNPFA latents and decode them back (head pose and gaze are kept).",
        discussion: "Example: m2f gnpfa roundtrip take.csv -o take_roundtrip.json   (prints the ARKit MAE and lip error on stderr)")

    @Argument(help: "Animation (.json, .csv, .glb/.gltf written by m2f).")
    var input: String

    @Option(name: .shortAndLong, help: "Output animation (.json, .csv, .glb).")
    var output: String

    @Option(help: "Model folder (default: Models/gnpfa of the checkout, or $M2F_GNPFA).")
    var model: String?

    func run() throws {
        let coder = try GNPFAModel(directory: model.map { URL(fileURLWithPath: $0) } ?? GNPFAModel.defaultDirectory)
        var animation = try AnimationFile.read(URL(fileURLWithPath: input))
        guard animation.frameCount > 0 else { throw ValidationError("\(input): the animation has no frames") }
        let clamped = animation.weights.map { min(max($0, 0), 1) }
        let weights = Tensor(clamped, shape: [animation.frameCount, ARKit.count])
        let decoded = coder.decode(latents: try coder.encodeValidated(weights: weights)).toArray()
        let report = VAEEvaluation.compare(reference: clamped, predicted: decoded)
        animation.weights = decoded
        animation.metadata["gnpfa"] = "roundtrip Z=\(coder.latentSize)"
        try AnimationFile.write(animation, to: URL(fileURLWithPath: output))
        FileHandle.standardError.write(Data(String(format: "wrote %@ (%d frames): ARKit MAE %.4f, lip error mean %.2f mm, p95 %.2f mm\n",
                                                   output, animation.frameCount, report.arkitMAE,
                                                   report.lipErrorMillimetres.mean, report.lipErrorMillimetres.p95).utf8))
    }
}
