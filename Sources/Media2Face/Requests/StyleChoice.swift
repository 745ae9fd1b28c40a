import Foundation
import M2FFace

/// The whole-clip style as a user gives it (`--text`, `--emotion` + `--intensity`, `--image`): at most
/// one of them. `m2f animate` and `m2f serve` both check it here, so both refuse with the same words.
public struct StyleChoice: Sendable, Equatable {
    public var text: String?
    public var emotion: String?
    /// In [0, 1]; only with `emotion`. Default 1.
    public var intensity: Float
    public var image: String?

    public init(text: String? = nil, emotion: String? = nil, intensity: Float = 1, image: String? = nil) {
        self.text = text
        self.emotion = emotion
        self.intensity = intensity
        self.image = image
    }

    /// A style choice that cannot be used; the message names the option and the fix.
    public struct Problem: LocalizedError, Equatable, Sendable {
        public var message: String
        public var errorDescription: String? { message }
    }

    /// The style asked for, or the reason it cannot be used.
    public func resolve() throws(Problem) -> StyleSpecification {
        if [text, emotion, image].compactMap({ $0 }).count > 1 {
            throw Problem(message: "give at most one of --text, --emotion and --image (use --style-timeline to combine styles over time)")
        }
        if !(0...1).contains(intensity) { throw Problem(message: "--intensity \(intensity) is outside [0, 1]") }
        if intensity != 1 && emotion == nil { throw Problem(message: "--intensity goes with --emotion") }
        if let text { return .text(text) }
        if let emotion {
            guard let label = Emotion(rawValue: emotion.lowercased()) else {
                throw Problem(message: "--emotion \(emotion) is unknown; use one of \(Emotion.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return .emotion(label, intensity: intensity)
        }
        if let image { return .image(path: image) }
        return .none
    }
}
