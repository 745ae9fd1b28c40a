import Foundation

/// Bad input to the diffusion generator or its training: each message names the file or value,
/// the problem and the fix.
package enum DiffusionError: LocalizedError, Equatable {
    /// A model directory lacks a file.
    case missingModelFile(path: String)
    /// `config.json` (or another JSON file) could not be read.
    case invalidConfiguration(path: String, problem: String)
    /// The model was trained in a latent space of another size than the coding given.
    case latentSizeMismatch(path: String, model: Int, coding: Int)
    /// Audio features are not [F, 384] with F ≥ 1.
    case invalidAudioFeatures(shape: [Int], expectedChannels: Int)
    /// A sampling option is out of range.
    case invalidOption(name: String, value: String, allowed: String)
    /// A style segment's times make no sense.
    case invalidStyleSegment(index: Int, problem: String)
    /// A style condition's vector has the wrong length.
    case invalidStyleCondition(problem: String)
    /// A keyframe is outside the clip or has an invalid channel or value.
    case invalidKeyframe(index: Int, problem: String)
    /// The training data cannot be used.
    case invalidTrainingData(path: String, problem: String)

    package var errorDescription: String? {
        switch self {
        case let .missingModelFile(path):
            return "\(path): file not found. Train a model with `m2f train diffusion --data DIR -o MODEL_DIR` or point to a directory holding config.json and model.safetensors (e.g. Models/media2face)."
        case let .invalidConfiguration(path, problem):
            return "\(path): \(problem). Re-create it with `m2f train diffusion`."
        case let .latentSizeMismatch(path, model, coding):
            return "\(path): the model works in a \(model)-channel expression latent space but the expression coding has \(coding) channels. Use the GNPFA model it was trained with (see its config.json, key \"coding\")."
        case let .invalidAudioFeatures(shape, channels):
            return "audio features have shape \(shape); expected [frames ≥ 1, \(channels)] at the model's frame rate (SpeechFeatureExtractor.resample(_:toFPS:))."
        case let .invalidOption(name, value, allowed):
            return "\(name) = \(value) is out of range; allowed: \(allowed)."
        case let .invalidStyleSegment(index, problem):
            return "style segment \(index): \(problem). Fix the style timeline."
        case let .invalidStyleCondition(problem):
            return "style condition: \(problem)."
        case let .invalidKeyframe(index, problem):
            return "keyframe \(index): \(problem). Fix the keyframes (times in seconds inside the clip, channels 0..<52, weights in [0, 1])."
        case let .invalidTrainingData(path, problem):
            return "\(path): \(problem)."
        }
    }
}
