import Foundation
import M2FFace

/// Labels of a Live Link take: from a sidecar `TAKE.json` next to the CSV, else from command-line
/// flags, else defaults (neutral, intensity 0, a generated description, split train).
///
/// Sidecar example (every key optional):
///
///     {"emotion": "happy", "intensity": 0.7, "description": "a cheerful woman telling a story",
///      "performer": "anna", "transcript": "…", "styleTags": ["storytelling"], "split": "train",
///      "language": "en", "gender": "female", "audioTimecodeStart": "14:03:59:12.000"}
public struct TakeLabels: Codable, Sendable, Equatable {
    public var emotion: Emotion?
    public var intensity: Double?
    public var description: String?
    public var performer: String?
    public var transcript: String?
    public var styleTags: [String]?
    public var split: DatasetSplit?
    public var language: String?
    /// `female`, `male` or `unknown` (for the generated description).
    public var gender: String?
    /// Timecode of the audio's first sample, when the audio file does not carry one.
    public var audioTimecodeStart: String?

    public init(emotion: Emotion? = nil, intensity: Double? = nil, description: String? = nil, performer: String? = nil,
                transcript: String? = nil, styleTags: [String]? = nil, split: DatasetSplit? = nil, language: String? = nil,
                gender: String? = nil, audioTimecodeStart: String? = nil) {
        self.emotion = emotion
        self.intensity = intensity
        self.description = description
        self.performer = performer
        self.transcript = transcript
        self.styleTags = styleTags
        self.split = split
        self.language = language
        self.gender = gender
        self.audioTimecodeStart = audioTimecodeStart
    }

    /// These labels with gaps filled from `fallback` (a sidecar over the flags).
    public func filled(from fallback: TakeLabels) -> TakeLabels {
        TakeLabels(emotion: emotion ?? fallback.emotion, intensity: intensity ?? fallback.intensity,
                   description: description ?? fallback.description, performer: performer ?? fallback.performer,
                   transcript: transcript ?? fallback.transcript, styleTags: styleTags ?? fallback.styleTags,
                   split: split ?? fallback.split, language: language ?? fallback.language, gender: gender ?? fallback.gender,
                   audioTimecodeStart: audioTimecodeStart ?? fallback.audioTimecodeStart)
    }

    /// Reads a sidecar file.
    /// - Throws: `DatasetError.malformed` naming the file and the bad key.
    public static func read(_ url: URL) throws(DatasetError) -> TakeLabels {
        guard let data = FileManager.default.contents(atPath: url.path) else { throw .io(file: url.path, problem: "cannot read the sidecar") }
        do {
            let labels = try JSONDecoder().decode(TakeLabels.self, from: data)
            if let intensity = labels.intensity, !(0...1).contains(intensity) {
                throw DatasetError.malformed(file: url.path, line: 0, problem: "intensity \(intensity) must lie in [0, 1]")
            }
            return labels
        } catch let error as DatasetError {
            throw error
        } catch {
            throw .malformed(file: url.path, line: 0, problem: "not a take sidecar (\(Manifest.describe(error))); emotion must be one of "
                + Emotion.allCases.map(\.rawValue).joined(separator: ", "))
        }
    }
}
