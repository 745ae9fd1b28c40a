import Foundation
import Media2Face

/// Animates a clip through the public API only: load the models, cancel a call that runs past a
/// deadline, animate with progress, write Live Link Face CSV.
///
///     swift run --package-path Examples/AnimateHello AnimateHello [audio] [output prefix]
///
/// Run from the repository root, so that the models in Models/ are found (or set M2F_MODEL).
@main
struct AnimateHello {
    static func main() async throws {
        let arguments = CommandLine.arguments.dropFirst()
        let audio = arguments.first ?? "Examples/hello.wav"
        let output = arguments.dropFirst().first ?? "out/hello-example"

        let pipeline = try await Media2FacePipeline.load()
        print(String(format: "models loaded in %.2f s", pipeline.loadSeconds))

        // A call that takes longer than we are willing to wait is cancelled: it stops within one DDIM
        // step and throws CancellationError.
        let fine = AnimationRequest(audioPath: audio, options: AnimationOptions(steps: 200))
        do {
            _ = try await animate(fine, on: pipeline, timeout: .milliseconds(500))
            print("200 steps finished within 0.5 s")
        } catch is CancellationError {
            print("200 steps did not finish within 0.5 s: cancelled")
        }

        // The call we keep: a text style, progress as it goes, per-stage timings in the result.
        let request = AnimationRequest(audioPath: audio, style: .text("friendly and cheerful"))
        let result = try await pipeline.animate(request) { progress in
            if progress.stage == .generating && progress.completed == progress.total { print("denoised \(progress.total) steps") }
        }
        let files = try AnimationExporter().write(result.animation, formats: [.csv], prefix: output, audioPath: audio)
        print(String(format: "%d frames from %.1f s of audio in %.2f s (generation %.2f s) → %@", result.animation.frameCount,
                     result.audioDuration, result.timings.total, result.timings.generation, files.map(\.path).joined(separator: ", ")))
    }

    /// `pipeline.animate(request)`, cancelled when it has not finished after `timeout`.
    static func animate(_ request: AnimationRequest, on pipeline: Media2FacePipeline, timeout: Duration) async throws -> AnimationResult {
        let call = Task { try await pipeline.animate(request) }
        let deadline = Task {
            try await Task.sleep(for: timeout)
            call.cancel()
        }
        defer { deadline.cancel() }
        return try await call.value
    }
}
