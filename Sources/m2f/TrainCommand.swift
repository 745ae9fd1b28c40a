import ArgumentParser

/// `m2f train …`: training commands, one subcommand per model.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a model (diffusion).",
        subcommands: [TrainDiffusionCommand.self]
    )
}
