import ArgumentParser
import Foundation
import M2FFace
import M2FSystem

/// `m2f render`: an animation to an MP4 (through ffmpeg) or PNG, or the 52-shape contact sheet.
struct RenderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Render an animation on the default head to MP4 (H.264 + AAC via ffmpeg) or PNG, or a contact sheet of the 52 shapes.",
        discussion: """
            Examples:
              m2f render anim.json -o out.mp4 --audio speech.wav
              m2f render --contact-sheet -o sheet.png
              m2f render --demo -o demo.mp4
              m2f render --shapes jawOpen=1,eyeBlinkLeft=1 -o still.png
            """)

    @Argument(help: "Animation to render (.json, .csv or .glb/.gltf written by m2f).")
    var input: String?

    @Option(name: .shortAndLong, help: "Output file: .mp4/.mov/.mkv for video, .png for a still or the contact sheet.")
    var output: String

    @Option(help: "Audio muxed into the video from time 0 (wav, mp3, …).")
    var audio: String?

    @Flag(help: "Write a PNG grid of the neutral face and all 52 shapes at weight 1.")
    var contactSheet = false

    @Flag(help: "Render the built-in scripted animation (talking, blinks, smile, gaze, nod) instead of an input.")
    var demo = false

    @Option(help: "Weights for a still, e.g. jawOpen=1,mouthSmileLeft=0.5.")
    var shapes: String?

    @Option(parsing: .unconditional, help: "Frame size in pixels (square).")
    var size = 512

    @Option(parsing: .unconditional, help: "Supersampling per axis for anti-aliasing (1 = off).")
    var supersample = 2

    @Option(help: "Camera: portrait (head and neck), face, mouth or eye (close-ups).")
    var camera = "portrait"

    @Option(parsing: .unconditional, help: "Frame rate of the video; default: the animation's.")
    var fps: Double?

    @Option(parsing: .unconditional, help: "Frame to render when the output is a PNG.")
    var frame = 0

    func validate() throws {
        try OptionRange.check(size, "--size", RenderOptions.sizes, unit: " pixels")
        try OptionRange.check(supersample, "--supersample", RenderOptions.supersampling)
        try OptionRange.check(size * supersample, "--size × --supersample", 1...RenderOptions.maximumSampledSize, unit: " samples per side")
        try OptionRange.check(fps, "--fps", FaceAnimation.frameRates, unit: " fps")
        try OptionRange.check(frame, "--frame", 0...Int.max)
    }

    func run() throws {
        try OutputName.check(output)
        let outputURL = URL(fileURLWithPath: output)
        let format = try AnimationExport.Format(path: output)
        guard format == .png || format.isVideo else { throw ValidationError("-o must end in .mp4, .mov, .mkv or .png") }
        let chosenCamera: Camera
        switch camera {
        case "portrait": chosenCamera = .portrait
        case "face": chosenCamera = .face
        case "mouth": chosenCamera = .mouth
        case "eye": chosenCamera = .eye
        default: throw ValidationError("--camera must be portrait, face, mouth or eye")
        }
        let rig = DefaultHead.shared
        if contactSheet {
            let start = Date()
            let sheet = ContactSheet.render(rig: rig, tileSize: size / 2, camera: .face)
            try PNG.write(sheet, to: outputURL)
            print("wrote \(output) (\(sheet.width)×\(sheet.height), 53 tiles) in \(String(format: "%.1f", Date().timeIntervalSince(start))) s")
            return
        }
        let options = RenderOptions(width: size, height: size, supersample: supersample, camera: chosenCamera)
        let renderer = FaceRenderer(rig: rig, options: options)
        if let shapes {
            var weights = [Float](repeating: 0, count: ARKit.count)
            for item in shapes.split(separator: ",") {
                let parts = item.split(separator: "=")
                guard let shape = ARKitNameMatcher.match(String(parts[0])) else { throw ValidationError("unknown ARKit shape '\(parts[0])'") }
                weights[shape.index] = parts.count > 1 ? Float(parts[1]) ?? 1 : 1
            }
            try PNG.write(renderer.render(weights: weights), to: outputURL)
            print("wrote \(output)")
            return
        }
        var animation: FaceAnimation
        if demo {
            animation = ScriptedAnimation.make()
        } else {
            guard let input else { throw ValidationError("give an animation to render, --demo, --contact-sheet, or --shapes") }
            animation = try AnimationFile.read(URL(fileURLWithPath: input))
        }
        animation = try animation.validated().0
        if let fps { animation = try animation.resampled(to: fps) }
        let export = AnimationExport(rig: rig, render: options, audioTrack: audio, stillFrame: frame)
        if format == .png {
            guard (0..<animation.frameCount).contains(frame) else { throw ValidationError("--frame \(frame) is outside 0..<\(animation.frameCount)") }
            try export.write(animation, to: output)
            print("wrote \(output) (frame \(frame))")
            return
        }
        let start = Date()
        try export.write(animation, to: output)
        let perFrame = Date().timeIntervalSince(start) / Double(max(animation.frameCount, 1)) * 1000
        print("wrote \(output): \(animation.frameCount) frames at \(animation.fps) fps, \(size)×\(size), render and encode \(String(format: "%.1f", perFrame)) ms/frame")
    }
}
