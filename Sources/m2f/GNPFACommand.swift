import ArgumentParser

/// `m2f gnpfa …`: use the GNPFA expression latent space (round trips, image encoding, interpolation).
struct GNPFACommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gnpfa",
        abstract: "Use the GNPFA expression latent space: round-trip animations, encode face images, interpolate.",
        subcommands: [
            GNPFARoundtripCommand.self,
            GNPFAEncodeImageCommand.self,
            GNPFAInterpolateCommand.self,
        ]
    )
}
