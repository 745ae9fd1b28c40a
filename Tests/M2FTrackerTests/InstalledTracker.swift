import Foundation
import M2FEncoders
import M2FTracker
import Testing

/// The installed face-landmarker model, fetched on first use when the cache (`$M2F_MODELS`, default
/// `~/.cache/m2f`) lacks it — these tests never skip silently. `make test` fetches it beforehand.
enum InstalledTracker {
    private static let folder: Result<URL, any Error> = Result {
        let store = ModelStore()
        _ = try store.fetch(FaceLandmarkerModel.catalogEntry)
        return try FaceLandmarkerModel.directory(store: store)
    }

    /// The installed model folder; the error names the cache and the command that installs it.
    static func directory() throws -> URL {
        do {
            return try folder.get()
        } catch {
            Issue.record("face-landmarker could not be installed from \(ModelStore.defaultRoot.path): \(error.localizedDescription). Run `m2f models fetch --only face-landmarker` (needs python3 with pip and network access).")
            throw error
        }
    }

    static let detector = Result { try FaceDetectorNetwork(directory: try directory()) }
    static let landmarks = Result { try FaceLandmarkNetwork(directory: try directory()) }
    static let blendshapes = Result { try BlendshapeNetwork(directory: try directory()) }
}
