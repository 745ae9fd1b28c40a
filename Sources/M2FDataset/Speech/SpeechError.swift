import Foundation

/// Everything that can go wrong producing speech: each case names the tool or file, the problem and the fix.
public enum SpeechError: LocalizedError, Equatable {
    /// A synthesiser program is not installed (`flite`, `festival`).
    case toolMissing(tool: String, aptPackage: String)
    /// A synthesiser program ran and failed.
    case toolFailed(tool: String, status: Int32, stderr: String)
    /// The synthesiser does not know the voice.
    case voiceMissing(engine: String, voice: String, aptPackage: String)
    /// libespeak-ng could not be initialised (no data directory).
    case engineUnavailable(engine: String, problem: String, aptPackage: String)
    /// The synthesiser produced output this code cannot read (no phones, bad WAV, times out of order).
    case badOutput(engine: String, voice: String, problem: String)
    /// The text holds nothing to speak.
    case emptyText(voice: String)
    /// A corpus text source (the fortune files) is missing or unreadable.
    case corpusSourceMissing(path: String, aptPackage: String)
    /// No voice in the catalog has this id.
    case unknownVoice(id: String, known: [String])

    public var errorDescription: String? {
        switch self {
        case let .toolMissing(tool, package):
            return "`\(tool)` is not installed or not on PATH. Install it with `apt-get install \(package)` "
                + "(or run `make bootstrap`)."
        case let .toolFailed(tool, status, stderr):
            let detail = stderr.trimmingCharacters(in: .whitespacesAndNewlines)
            return "`\(tool)` exited with status \(status)" + (detail.isEmpty ? "" : ": \(detail.suffix(400))")
                + ". Run the same command by hand to see the problem; reinstall the package if it persists."
        case let .voiceMissing(engine, voice, package):
            return "\(engine) has no voice `\(voice)`. Install `\(package)` (`apt-get install \(package)`), "
                + "or choose a voice from `VoiceCatalog.standard`."
        case let .engineUnavailable(engine, problem, package):
            return "\(engine) could not start (\(problem)). Install `\(package)` (`apt-get install \(package)`)."
        case let .badOutput(engine, voice, problem):
            return "\(engine) voice `\(voice)` produced unusable output (\(problem)). "
                + "Try simpler text (letters and punctuation); report the sentence if it keeps failing."
        case let .emptyText(voice):
            return "voice `\(voice)`: the text is empty. Give it at least one word."
        case let .corpusSourceMissing(path, package):
            return "\(path): the sentence source is missing. Install it with `apt-get install \(package)`, "
                + "or build the corpus from the grammar alone (`includeFortunes: false`)."
        case let .unknownVoice(id, known):
            return "no voice `\(id)`; known voices: \(known.joined(separator: ", "))."
        }
    }
}
