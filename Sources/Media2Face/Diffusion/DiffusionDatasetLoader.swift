import Foundation
import M2FEngine
import M2FGNPFA

/// Reads an M2F-D dataset into training clips in the model's latent space.
enum DiffusionDatasetLoader {
    static func load(directory: URL, coding: any ExpressionCoding, fps: Double) throws -> (training: [DiffusionTrainingClip], validation: [DiffusionTrainingClip]) {
        throw DiffusionError.invalidTrainingData(path: directory.path, problem: "the M2F-D reader lands with the dataset merge")
    }
}
