import ArgumentParser
import Foundation
import GNPFATraining
import M2FEngine
import M2FGNPFA

/// `m2f eval gnpfa --json`: held-out metrics of a GNPFA model folder as one JSON object.
struct EvalGNPFACommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gnpfa",
        abstract: "Held-out metrics of the GNPFA model: reconstruction, lip error, disentanglement, interpolation.",
        discussion: """
            Held-out data: 2000 FACS-sampled frames (seed no training run uses), plus the held-out files of --data; \
            6 held-out identities for geometry (400 samples) and disentanglement (40 expressions × 6 identities). \
            lip_error_mm_*: per frame the largest lip-vertex \
            distance on the default head between true and reconstructed weights (mean and 95th percentile over frames).
            """)

    @Option(help: "Model folder (default: Models/gnpfa of the checkout, or $M2F_GNPFA).")
    var model: String?

    @Option(help: "An M2F-D dataset (its test split is evaluated too) or a folder of recorded animations (its held-out files, every 10th).")
    var data: String?

    @Flag(help: "Print one JSON object (the only output format).")
    var json = false

    func run() throws {
        let coder = try GNPFAModel(directory: model.map { URL(fileURLWithPath: $0) } ?? GNPFAModel.defaultDirectory)
        let report = VAEEvaluation.reconstruction(of: VAEEvaluation.heldOutSampledFrames(), coder: coder)
        var object: [String: Any] = [
            "latent_size": coder.latentSize,
            "arkit_mae": report.arkitMAE,
            "arkit_max_error": report.arkitMaxError,
            "lip_error_mm_mean": report.lipErrorMillimetres.mean,
            "lip_error_mm_p95": report.lipErrorMillimetres.p95,
            "heldout_frames": report.frameCount,
        ]
        if let data {
            // An M2F-D dataset's test split (voices and sentences no training saw), or a folder's held-out files.
            let frames = try GNPFAFrameSource.frames(URL(fileURLWithPath: data), heldOut: .test, quiet: true)
            if frames.heldOutCount > 0 {
                let recorded = VAEEvaluation.reconstruction(of: Tensor(frames.heldOut, shape: [frames.heldOutCount, 52]), coder: coder)
                object["recorded_arkit_mae"] = recorded.arkitMAE
                object["recorded_lip_error_mm_mean"] = recorded.lipErrorMillimetres.mean
                object["recorded_lip_error_mm_p95"] = recorded.lipErrorMillimetres.p95
                object["recorded_frames"] = recorded.frameCount
            }
        }
        let interpolation = LatentInterpolation.measure(coder: coder)
        object["interpolation_all_in_range"] = interpolation.allInRange
        object["interpolation_monotone_share"] = interpolation.monotoneShare
        object["interpolation_worst_reversal"] = interpolation.worstReversal
        if let geometry = coder.geometryEncoder {
            let heads = GNPFAHeldOut.identities.map { ReducedHead(identity: $0, configuration: geometry.configuration) }
            let geometryReport = GNPFAEvaluation.geometry(model: coder, encoder: geometry, heads: heads)
            let ratio = GNPFAEvaluation.disentanglement(encoder: geometry, heads: heads)
            object["geometry_arkit_mae"] = geometryReport.arkitMAE
            object["geometry_pose_error_deg"] = geometryReport.poseErrorDegrees
            object["disentanglement_ratio"] = ratio.ratio
            object["disentanglement_across_identities"] = ratio.acrossIdentities
            object["disentanglement_across_expressions"] = ratio.acrossExpressions
        }
        let encoded = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        print(String(decoding: encoded, as: UTF8.self))
    }
}
