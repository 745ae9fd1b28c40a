import Foundation

/// Errors of the pipeline façade: each names the input, the problem and the fix.
/// (Audio decoding, request files and encoders have their own error types, passed through.)
public enum PipelineError: LocalizedError, Equatable, Sendable {
    /// A run option is out of range.
    case invalidOption(name: String, value: String, allowed: String)
    /// The audio could not be decoded: not audio, or a format ffmpeg does not read.
    case unsupportedAudio(file: String, detail: String)
    /// The audio file decodes to no samples.
    case emptyAudio(file: String)
    /// The diffusion model directory is missing or incomplete.
    case modelMissing(path: String?, detail: String)
    /// An image could not be encoded.
    case imageUnreadable(image: String, problem: String)
    /// An output file or folder cannot be written.
    case outputNotWritable(path: String, problem: String)
    /// A format name in `--format` is unknown.
    case unknownFormat(String)
    /// The generator returned something other than what was asked (a bug in the generator).
    case generatorMismatch(problem: String)
    /// Batch input problems: empty folder, unreadable list, unusable output.
    case batch(String)
    /// The audio is longer than the request allows (`AnimationOptions.maximumSeconds`).
    case audioTooLong(file: String, estimate: String, limitHours: Double)
    /// The run would need more memory than the process may still take (`MemoryHeadroom`).
    case insufficientMemory(file: String, estimate: String, limit: String)
    /// The diffusion model was trained in another GNPFA latent space than the one found.
    case latentSpaceMismatch(model: String, gnpfa: String, trained: String, found: String)
    /// Audio or a change was sent to a stream after `finish()`.
    case streamFinished
    /// A stream chunk cannot be used (non-finite samples, a sample rate out of range or changed mid-stream).
    case invalidStreamAudio(problem: String)

    public var errorDescription: String? {
        switch self {
        case let .invalidOption(name, value, allowed):
            return "\(name) \(value) is out of range; allowed: \(allowed)."
        case let .unsupportedAudio(file, detail):
            return "\(file): cannot read this as audio (\(detail)). Use WAV, MP3, M4A/AAC, FLAC, OGG/Opus or a video "
                + "with an audio track (read through ffmpeg), or convert it: ffmpeg -i \"\(file)\" speech.wav"
        case let .emptyAudio(file):
            return "\(file): the file holds no audio samples. Export the recording again."
        case let .modelMissing(path, detail):
            return "the Media2Face model \(path.map { "at \($0) " } ?? "")is not usable (\(detail)). "
                + "Pass --model DIR (a folder with config.json and model.safetensors), set M2F_MODEL, or run from the repository root "
                + "(Models/media2face); `make train` rebuilds it."
        case let .imageUnreadable(image, problem):
            return "\(image): cannot use this image as a style (\(problem)). Use a PNG or JPEG of a face."
        case let .outputNotWritable(path, problem):
            return "\(path): cannot write the output (\(problem)). Choose a folder you can write to with -o."
        case let .unknownFormat(name):
            return "unknown output format \"\(name)\"; use a comma-separated list of csv, json, glb, mp4."
        case let .generatorMismatch(problem):
            return "the generator returned an unexpected result (\(problem)); this is a bug, please report it."
        case let .batch(problem):
            return problem
        case let .audioTooLong(file, estimate, limitHours):
            return "\(file): \(estimate); that is longer than the limit of \(String(format: "%g", limitHours)) h. "
                + "Raise it with --max-hours if the machine has the memory and time, or split the audio."
        case let .insufficientMemory(file, estimate, limit):
            return "\(file): out of memory: \(estimate), but \(limit). Raise the limit, free memory, or split the audio "
                + "(pieces of \(Int(Media2FacePipelineConfiguration().chunkSeconds / 60)) min bound the memory)."
        case let .latentSpaceMismatch(model, gnpfa, trained, found):
            return "the Media2Face model at \(model) was trained with GNPFA VAE weights sha256 \(trained), but \(gnpfa) holds \(found); "
                + "its latents would decode to nonsense. Use the GNPFA folder it was trained with (--gnpfa DIR), or retrain it: "
                + "m2f train diffusion --data DIR --gnpfa \(gnpfa) -o \(model)"
        case .streamFinished:
            return "the stream was finished; start a new session for more audio."
        case let .invalidStreamAudio(problem):
            return "stream audio: \(problem). Send mono samples in [-1, 1] at one rate."
        }
    }
}
