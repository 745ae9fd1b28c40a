import Foundation

/// What can go wrong between a video or image file and tracked frames, and in loading and running the
/// networks; each message names the file.
public enum TrackerError: LocalizedError, Equatable, Sendable {
    /// ffmpeg or ffprobe is not installed.
    case ffmpegMissing(path: String)
    /// The file is missing, unreadable or not a regular file.
    case unreadable(path: String, problem: String)
    /// ffmpeg or ffprobe could not read the file (corrupt, truncated, not a video or image).
    case undecodable(path: String, problem: String)
    /// The file decodes but holds no picture (an audio file, zero frames).
    case noFrames(path: String)
    /// A frame larger than the tracker accepts (each side and the pixel count are capped).
    case tooLarge(path: String, width: Int, height: Int)
    /// An image holds no face.
    case noFace(path: String)
    /// A `.tflite` flatbuffer, a converted graph or the geometry metadata is not what the parser expects.
    case malformedModel(path: String, problem: String)
    /// The graph holds an operator the engine does not implement.
    case unsupportedOperator(path: String, name: String)
    /// Strict loading: the weights file and the graph disagree (missing, unused or mis-shaped tensors).
    case weightMismatch(path: String, problem: String)
    /// An input of the wrong size was passed to a network.
    case badInput(network: String, problem: String)

    public var errorDescription: String? {
        switch self {
        case let .ffmpegMissing(path):
            return "\(path): ffmpeg and ffprobe are needed to read videos and images; install ffmpeg (scripts/bootstrap.sh) or set M2F_FFMPEG"
        case let .unreadable(path, problem):
            return "\(path): cannot read: \(problem)"
        case let .undecodable(path, problem):
            return "\(path): not a readable video or image (\(problem)); check that the file is complete"
        case let .noFrames(path):
            return "\(path): holds no video frames"
        case let .tooLarge(path, width, height):
            return "\(path): \(width) × \(height) pixels is beyond what the tracker reads (at most \(FrameLimits.maximumSourceSide) px a side, \(FrameLimits.maximumSourcePixels / 1_000_000) MP)"
        case let .noFace(path):
            return "\(path): no face found in the image"
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

/// Frame sizes: large frames are scaled down by ffmpeg while decoding (the networks see 128 and 256 px
/// crops, so 4096 px keeps every face the detector can find); absurd sizes are refused before decoding.
public enum FrameLimits {
    /// Frames whose longer side exceeds this are decoded scaled down to it (aspect kept).
    public static let decodeSide = 4096
    /// Longest side ffmpeg is asked to read at all.
    public static let maximumSourceSide = 65_536
    /// Pixel count ffmpeg is asked to read at all (1 GB of RGB).
    public static let maximumSourcePixels = 357_913_941
}
