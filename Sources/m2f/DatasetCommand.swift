import ArgumentParser

/// `m2f dataset`: build, import, featurise, inspect and export M2F-D datasets (docs/DATASET.md).
struct DatasetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dataset",
        abstract: "Build, import, featurize, inspect and export M2F-D datasets (format: docs/DATASET.md).",
        subcommands: [
            DatasetBuildCommand.self,
            DatasetImportCommand.self,
            DatasetImportVideoCommand.self,
            DatasetFeaturizeCommand.self,
            DatasetStatsCommand.self,
            DatasetPreviewCommand.self,
            DatasetExportCommand.self,
        ])
}
