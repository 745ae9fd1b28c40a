import ArgumentParser

/// The `m2f` command: speech to ARKit facial animation. Each subcommand lives in its own file.
@main
struct M2F: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "m2f",
        abstract: "Media2Face in Swift: speech to expressive ARKit facial animation.",
        version: "0.1.0",
        subcommands: [
            BenchCommand.self,
            RenderCommand.self,
            ConvertCommand.self,
            RetargetCommand.self,
            MelCommand.self,
            EncodeAudioCommand.self,
            ModelsCommand.self,
            DoctorCommand.self,
            EmbedTextCommand.self,
            DatasetCommand.self,
            TrainCommand.self,
            EvalCommand.self,
            GNPFACommand.self,
            AnimateCommand.self,
            ServeCommand.self,
            StreamCommand.self,
            TrackCommand.self,
        ]
    )
}
