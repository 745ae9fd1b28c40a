import ArgumentParser
import Foundation
import M2FFace
import M2FSystem

/// `m2f retarget`: writes an ARKit animation into a user's glTF/GLB avatar.
struct RetargetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retarget",
        abstract: "Animate your own avatar: finds its ARKit morph targets by name and writes the animation into a copy.",
        discussion: """
            Names match case-insensitively, with prefixes such as 'blendShape1.' or 'ARKit_' and side suffixes such as \
            '_L'/'_R' understood (Ready Player Me and "perfect sync" avatars work as they are). VRM 0.x and 1.0 avatars \
            without ARKit names are driven through their expressions (visemes, blinks, emotions, gaze). Meshopt- and \
            Draco-compressed files are read and written uncompressed. For other names give --mapping, a JSON object \
            {"avatarTarget": "arkitName"} or lines 'avatarTarget = arkitName'.
            Example: m2f retarget anim.json --avatar me.glb -o me_talking.glb
            """)

    @Argument(help: "Animation (.json, .csv or an m2f .glb).")
    var input: String

    @Option(help: "The avatar (.glb, .vrm or .gltf).")
    var avatar: String

    @Option(name: .shortAndLong, help: "Output avatar (.glb, .vrm or .gltf).")
    var output: String

    @Option(help: "Mapping file for morph targets with other names.")
    var mapping: String?

    @Option(parsing: .unconditional, help: "Resample to this frame rate.")
    var fps: Double?

    @Option(help: "Audio file to reference in the animation's extras.")
    var audio: String?

    func validate() throws {
        try OptionRange.check(fps, "--fps", FaceAnimation.frameRates, unit: " fps")
    }

    func run() throws {
        try OutputName.check(output)
        var animation = try AnimationFile.read(URL(fileURLWithPath: input))
        animation = try animation.validated().0
        if let fps { animation = try animation.resampled(to: fps) }
        let map = try mapping.map { try Retarget.loadMapping(URL(fileURLWithPath: $0)) } ?? [:]
        let report = try Retarget.apply(animation, avatar: URL(fileURLWithPath: avatar), to: URL(fileURLWithPath: output),
                                        mapping: map, audio: audio)
        print("wrote \(output): \(animation.frameCount) frames at \(animation.fps) fps")
        if report.expressions.isEmpty {
            print("matched \(report.matches.count) morph target(s) on \(report.animatedNodes.joined(separator: ", "))")
        } else {
            print("drove \(report.expressions.count) \(report.source.rawValue) (\(report.expressions.map(\.name).joined(separator: ", "))) "
                  + "on \(report.animatedNodes.joined(separator: ", "))")
        }
        print("head rotation: \(report.headNode ?? "no head bone found (pose not applied)")")
        if !report.unmatchedTargets.isEmpty {
            print("unmatched morph targets (\(report.unmatchedTargets.count)): \(report.unmatchedTargets.joined(separator: ", "))")
        }
        if !report.missingShapes.isEmpty {
            print("ARKit shapes with no target (\(report.missingShapes.count)): \(report.missingShapes.map(\.rawValue).joined(separator: ", "))")
        }
    }
}
