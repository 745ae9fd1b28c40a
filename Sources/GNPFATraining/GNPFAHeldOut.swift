import Foundation
import M2FFace
import M2FGNPFA

/// The held-out sets every GNPFA report uses (seeds and identities no training run touches).
package enum GNPFAHeldOut {
    /// Identities of the held-out geometry and image tests.
    package static let identities = GeometrySampler.heldOutIdentities(6)

    /// 600 held-out renders on the held-out identities, cached under `cache` (rendered on first use).
    package static func images(cache: String, size: Int = 64, count: Int = 600, progress: (Int) -> Void = { _ in }) throws -> FaceImageSet {
        try FaceImageSet.cached(at: cache + "/heldout-\(size)-\(count).bin", count: count, identities: identities, size: size,
                                seed: 8_000_001, progress: progress)
    }
}
