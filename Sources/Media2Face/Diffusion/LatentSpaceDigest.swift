import Foundation
import M2FEncoders
import M2FGNPFA

/// Which GNPFA latent space a diffusion model belongs to: the first 16 hex digits of the SHA-256 of
/// the VAE weights, recorded in the model's `coding` ("gnpfa:NAME vae.safetensors sha256 HEX") at
/// training and checked when the pipeline loads (latents mean nothing with other VAE weights).
package enum LatentSpaceDigest {
    /// The digest of `directory`'s VAE weights (nil when unreadable).
    package static func of(_ directory: URL) -> String? {
        let vae = directory.appendingPathComponent(GNPFAConfiguration.vaeFile)
        return FileManager.default.contents(atPath: vae.path).map { String(FileDigest.sha256Hex(of: $0).prefix(16)) }
    }

    /// The digest a model's `coding` string records, if any.
    package static func recorded(in coding: String) -> String? {
        guard let range = coding.range(of: "sha256 ") else { return nil }
        let digest = coding[range.upperBound...].prefix { $0.isHexDigit }
        return digest.count == 16 ? String(digest) : nil
    }
}
