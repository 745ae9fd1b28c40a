import ArgumentParser
import Foundation
import M2FEngine
import M2FFace
import M2FGNPFA

/// `m2f gnpfa encode-image face.png`: the expression code, decoded ARKit weights and head rotation of a
/// face image, as one JSON object on stdout.
struct GNPFAEncodeImageCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "encode-image",
        abstract: "Print the GNPFA expression code, its ARKit weights and the head pose (degrees) of a face image as JSON.",
        discussion: """
            The image is centre-cropped to a square and resized (ffmpeg decodes PNG, JPEG, …). The encoder was \
            trained on renders of the default head framed like `m2f render --camera face`; other faces and framings \
            are outside its training data.
            Example: m2f render --shapes jawOpen=0.6,mouthSmileLeft=0.8 --camera face -o face.png && m2f gnpfa encode-image face.png
            """)

    @Argument(help: "Face image (PNG, JPEG, …).")
    var image: String

    @Option(help: "Model folder (default: Models/gnpfa of the checkout, or $M2F_GNPFA).")
    var model: String?

    func run() throws {
        let coder = try GNPFAModel(directory: model.map { URL(fileURLWithPath: $0) } ?? GNPFAModel.defaultDirectory)
        guard let encoder = coder.imageEncoder else {
            throw GNPFAError.missingFile(path: coder.directory.appendingPathComponent(GNPFAConfiguration.imageFile).path,
                                        fix: "train the image encoder: m2f train gnpfa --stage image -o \(coder.directory.path)")
        }
        let picture = try ImageFileDecoder.read(path: image, size: encoder.configuration.imageSize)
        let (latents, poses) = encoder.encode([picture])
        let weights = coder.decode(latents: latents).toArray()
        var named: [String: Float] = [:]
        for (k, name) in ARKit.names.enumerated() { named[name] = (weights[k] * 1000).rounded() / 1000 }
        let degrees: (Float) -> Float = { ($0 * 180 / .pi * 100).rounded() / 100 }
        let object: [String: Any] = [
            "z": latents.toArray(),
            "head_pose_deg": ["yaw": degrees(poses[0].yaw), "pitch": degrees(poses[0].pitch), "roll": degrees(poses[0].roll)],
            "weights": named,
        ]
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        print(String(decoding: data, as: UTF8.self))
    }
}
