import Foundation

/// The standard sources of `m2f dataset build --synthetic`: every installed voice, the offline
/// sentence corpus and the phonetic teacher.
public enum SyntheticSourceFactory {
    /// - Throws: `DatasetError.invalidArgument` when no voice is installed.
    public static func standard() throws -> SyntheticSources {
        throw DatasetError.invalidArgument("the synthetic voices and the teacher animator are not in this build yet")
    }
}
