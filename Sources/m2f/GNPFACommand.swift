import ArgumentParser

/// `m2f gnpfa …`: use the GNPFA expression latent space (round trips, interpolation).
struct GNPFACommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gnpfa",
        abstract: "Use the GNPFA expression latent space: round-trip animations, interpolate.",
        subcommands: [
            GNPFARoundtripCommand.self,
            GNPFAInterpolateCommand.self,
        ]
    )
}
