import Foundation

/// Every error GNPFA throws for a file, a user or bad data: each names the file or input, the
/// problem and the fix.
package enum GNPFAError: LocalizedError, Equatable, Sendable {
    /// A model folder or one of its files is missing.
    case missingFile(path: String, fix: String)
    /// A file exists but its content is unusable (bad JSON, wrong tensors).
    case invalidFile(path: String, problem: String)
    /// A tensor or image handed in has the wrong shape or values.
    case invalidInput(String)
    /// An image file could not be decoded.
    case imageDecoding(path: String, problem: String)
    /// A training data folder holds nothing usable.
    case noTrainingData(path: String)

    package var errorDescription: String? {
        switch self {
        case let .missingFile(path, fix):
            return "\(path): file not found; \(fix)"
        case let .invalidFile(path, problem):
            return "\(path): \(problem)"
        case let .invalidInput(text):
            return text
        case let .imageDecoding(path, problem):
            return "\(path): cannot decode the image (\(problem)); give an 8-bit PNG or JPEG (ffmpeg decodes it)"
        case let .noTrainingData(path):
            return "\(path): no animation files (.json, .csv) found; point --data at a folder of M2F-D clips or omit it to train on sampled expressions only"
        }
    }
}
