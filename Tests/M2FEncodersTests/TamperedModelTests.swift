import Foundation
import M2FEncoders
import Testing

/// Issue 19: after 200 bytes of the cached Whisper weights were flipped, `models list` said
/// "installed" and `animate` ran on weights off by up to 0.95. Loading now verifies each file against
/// the sha256 recorded at install (hashing only files changed since their last verification).
@Suite("Tampered models")
struct TamperedModelTests {
    /// A private copy of the installed Whisper encoder, so the test can damage it.
    static func copiedWhisperStore() throws -> (store: ModelStore, weights: URL, root: URL) {
        let installed = ModelStore()
        _ = try installed.fetch(WhisperModel.catalogEntry)
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("m2f-tamper-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        let copy = root.appendingPathComponent(WhisperModel.name)
        try FileManager.default.copyItem(at: installed.directory(for: WhisperModel.catalogEntry), to: copy)
        return (ModelStore(root: root), copy.appendingPathComponent("encoder.safetensors"), root)
    }

    @Test("flipped weight bytes are caught on load and by models list, even with the old modification time")
    func flippedBytesAreRefused() throws {
        let (store, weights, root) = try Self.copiedWhisperStore()
        defer { try? FileManager.default.removeItem(at: root) }
        // Intact: loads, and records the verification so the next load does not hash again.
        _ = try WhisperModel.loadEncoder(store: store)
        #expect(FileManager.default.fileExists(atPath: weights.deletingLastPathComponent().appendingPathComponent("verified.json").path))
        guard case .installed = store.status(of: WhisperModel.catalogEntry) else { Issue.record("an intact copy should verify"); return }

        // Flip 200 bytes inside the tensor data, then put the modification time back.
        let modified = try FileManager.default.attributesOfItem(atPath: weights.path)[.modificationDate] as! Date
        let handle = try FileHandle(forUpdating: weights)
        let size = try handle.seekToEnd()
        try handle.seek(toOffset: size / 2)
        let original = try handle.read(upToCount: 200) ?? Data()
        try handle.seek(toOffset: size / 2)
        try handle.write(contentsOf: Data(original.map { ~$0 }))
        try handle.close()
        try FileManager.default.setAttributes([.modificationDate: modified], ofItemAtPath: weights.path)

        guard case let .corrupt(file, problem) = store.status(of: WhisperModel.catalogEntry) else {
            Issue.record("models list must report the tampered file"); return
        }
        #expect(file == weights.path && problem.contains("modified since it was installed"))
        do {
            _ = try WhisperModel.loadEncoder(store: store)
            Issue.record("a tampered encoder was loaded")
        } catch {
            #expect(error.localizedDescription.contains("m2f models fetch --only whisper-tiny-en"))
            #expect(error.localizedDescription.contains(weights.path))
        }
    }

    @Test("a file of another size is caught without reading a stale verification")
    func truncatedWeightsAreRefused() throws {
        let (store, weights, root) = try Self.copiedWhisperStore()
        defer { try? FileManager.default.removeItem(at: root) }
        _ = try WhisperModel.loadEncoder(store: store)
        let handle = try FileHandle(forUpdating: weights)
        try handle.truncate(atOffset: 1000)
        try handle.close()
        guard case .corrupt = store.status(of: WhisperModel.catalogEntry) else { Issue.record("a truncated file must be reported"); return }
    }
}
