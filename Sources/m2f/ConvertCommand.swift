import ArgumentParser
import Foundation
import M2FFace
import M2FSystem

/// `m2f convert`: between Live Link Face CSV, m2f JSON and glTF/GLB (the default head), by extension.
struct ConvertCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convert",
        abstract: "Convert an animation between .csv (Live Link Face), .json (m2f v1) and .glb/.gltf (default head with the animation).",
        discussion: "The frame rate of the input is kept unless --fps is given. Weights outside [0, 1] are clamped and counted; NaN is an error.")

    @Argument(help: "Input animation (.csv, .json, or a .glb/.gltf written by m2f).")
    var input: String?

    @Flag(help: "Use the built-in scripted animation (4 s at 30 fps) as the input.")
    var demo = false

    @Option(name: .shortAndLong, help: "Output file; the format follows the extension.")
    var output: String

    @Option(parsing: .unconditional, help: "Resample to this frame rate.")
    var fps: Double?

    @Option(help: "Audio file to reference in glTF extras.")
    var audio: String?

    @Option(parsing: .unconditional, help: "Frame rate of CSV timecodes' frame field (needed for takes shorter than one second).")
    var timecodeRate: Double?

    func validate() throws {
        try OptionRange.check(fps, "--fps", FaceAnimation.frameRates, unit: " fps")
        try OptionRange.check(timecodeRate, "--timecode-rate", FaceAnimation.frameRates, unit: " fps")
    }

    func run() throws {
        try OutputName.check(output)
        let outputURL = URL(fileURLWithPath: output)
        _ = try AnimationFile.format(of: outputURL)
        var animation: FaceAnimation
        if demo {
            animation = ScriptedAnimation.make()
        } else {
            guard let input else { throw ValidationError("give an input animation, or --demo") }
            animation = try AnimationFile.read(URL(fileURLWithPath: input), csvOptions: .init(timecodeRate: timecodeRate))
        }
        let (clean, report) = try animation.validated()
        animation = clean
        if report.clampedCount > 0 { print("clamped \(report.clampedCount) weight(s) to [0, 1]") }
        if let rows = animation.metadata["resampledFromRows"], Int(rows) != animation.frameCount {
            print("note: \(rows) rows at irregular timecodes were placed on a grid of \(animation.frameCount) frames at \(animation.fps) fps")
        }
        if let fps { animation = try animation.resampled(to: fps) }
        try AnimationFile.write(animation, to: outputURL, audio: audio)
        print("wrote \(output): \(animation.frameCount) frames at \(animation.fps) fps")
    }
}
