import Foundation
import M2FFace
import M2FGNPFA

/// The held-out sets every GNPFA report uses (seeds and identities no training run touches).
package enum GNPFAHeldOut {
    /// Identities of the held-out geometry tests.
    package static let identities = GeometrySampler.heldOutIdentities(6)
}
