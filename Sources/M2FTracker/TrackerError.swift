import Foundation

/// Errors of the face tracker's networks: each names the file involved and what is wrong with it.
public enum TrackerError: LocalizedError, Equatable {
    /// A `.tflite` flatbuffer (or a converted graph) is not what the parser expects.
    case malformedModel(path: String, problem: String)
    /// The graph holds an operator the engine does not implement.
    case unsupportedOperator(path: String, name: String)
    /// Strict loading: the weights file and the graph disagree (missing, unused or mis-shaped tensors).
    case weightMismatch(path: String, problem: String)
    /// An input of the wrong size was passed to a network.
    case badInput(network: String, problem: String)

    public var errorDescription: String? {
        switch self {
        case let .malformedModel(path, problem):
            return "\(path): not a usable model (\(problem)); reinstall it with `m2f models fetch --only face-landmarker --force`"
        case let .unsupportedOperator(path, name):
            return "\(path): operator \(name) is not implemented by the tracker's graph runner"
        case let .weightMismatch(path, problem):
            return "\(path): \(problem); reinstall it with `m2f models fetch --only face-landmarker --force`"
        case let .badInput(network, problem):
            return "\(network): \(problem)"
        }
    }
}
