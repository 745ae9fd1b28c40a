import Foundation

/// The parsers m2f feeds with files from users, each as a function of raw bytes, for libFuzzer
/// (`m2f-fuzz`, built by `make fuzz`) and for the corpus replay in the normal test suite.
///
/// A target returns normally for any input: a parse error is the expected answer to bad bytes. It
/// traps (`FuzzFailure.fail`) when an oracle breaks: an error that does not name the file, or a result
/// that the next stage of m2f could not use (a non-finite sample, a frame count that disagrees with
/// the weights). Memory errors are ASan's to find.
public enum FuzzTarget: String, CaseIterable, Sendable {
    case wav
    case animationJSON = "animation-json"
    case requestJSON = "request-json"
    case liveLinkCSV = "livelink-csv"
    case gltf
    case safetensors
    case modelConfig = "model-config"

    /// Runs one input through the target.
    public func run(_ data: Data) {
        switch self {
        case .wav: AudioFuzzTargets.wav(data)
        case .animationJSON: FaceFuzzTargets.animationJSON(data)
        case .requestJSON: RequestFuzzTargets.requestJSON(data)
        case .liveLinkCSV: FaceFuzzTargets.liveLinkCSV(data)
        case .gltf: FaceFuzzTargets.gltf(data)
        case .safetensors: ModelFuzzTargets.safetensors(data)
        case .modelConfig: ModelFuzzTargets.modelConfig(data)
        }
    }
}

/// Oracles shared by the targets.
enum FuzzCheck {
    /// Traps with the input's story; libFuzzer saves the input as a crash.
    static func fail(_ message: String) -> Never {
        fatalError("fuzz oracle: \(message)")
    }

    /// A rejected input must be rejected with a message that names the file.
    static func errorNamesFile(_ error: any Error, file: String, target: String) {
        let message = (error as? LocalizedError)?.errorDescription ?? String(describing: error)
        if !message.contains(file) { fail("\(target): error does not name the file: \(message)") }
    }
}

/// One scratch folder per process for the loaders that take a path (glTF, safetensors, model folders):
/// the bytes are written there and read back through the same call m2f makes.
enum FuzzScratch {
    static let directory: URL = {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("m2f-fuzz-\(getpid())", isDirectory: true)
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }()

    /// `data` written to `name` inside the scratch folder.
    static func file(_ name: String, _ data: Data) -> URL {
        let url = directory.appendingPathComponent(name)
        do { try data.write(to: url) } catch { fail("cannot write the scratch file \(url.path): \(error)") }
        return url
    }

    static func fail(_ message: String) -> Never { FuzzCheck.fail(message) }
}
