import ArgumentParser

/// `m2f eval …`: held-out evaluation of a trained model, one subcommand per model.
struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Evaluate a trained model on held-out data.",
        subcommands: [
            EvalMedia2FaceCommand.self,
            EvalGNPFACommand.self,
            EvalHumanSpeechCommand.self,
            EvalRealFacesCommand.self,
            EvalControlsCommand.self,
            EvalDialogueCommand.self,
            EvalSingingCommand.self,
        ],
        defaultSubcommand: EvalMedia2FaceCommand.self
    )
}
