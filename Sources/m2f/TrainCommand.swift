import ArgumentParser

/// `m2f train …`: training commands, one subcommand per model.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a model (GNPFA, the Media2Face diffusion model) on M2F-D data.",
        subcommands: [
            TrainGNPFACommand.self,
            TrainDiffusionCommand.self,
        ]
    )
}
