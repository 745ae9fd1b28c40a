import Foundation
import Media2Face

/// The options of POST /v1/animate, from the query string: the flags of `m2f animate` without their
/// dashes (`?text=calm&seed=3&steps=25&audio-guidance=1&articulation=1.5&format=glb`), checked by the same library code
/// so a bad value gets the CLI's message.
struct AnimateQuery: Equatable {
    /// One of csv, json, glb (MP4 is not served: it needs ffmpeg and seconds per frame).
    var format: ExportFormat = .json
    var style: StyleSpecification = .none
    var options = AnimationOptions()
    /// The upload's file name (`?filename=talk.mp3`): its extension tells ffmpeg the format, and the
    /// name is what the CLI records as "audio" in JSON and glTF. Default "upload.wav".
    var filename = "upload.wav"

    static let formats: [ExportFormat] = [.csv, .json, .glb]
    static let keys: Set<String> = ["format", "text", "emotion", "intensity", "seed", "steps", "audio-guidance",
                                    "style-guidance", "no-head-pose", "no-added-blinks", "articulation", "energy", "head-motion", "filename", "token"]

    /// Parses and checks `parameters` (name → value; repeated names refused).
    init(_ parameters: [(String, String)]) throws(ServerError) {
        var values: [String: String] = [:]
        for (name, value) in parameters {
            guard Self.keys.contains(name) else {
                throw .badRequest("unknown parameter \"\(name)\"; use \(Self.keys.sorted().joined(separator: ", ")).")
            }
            guard values[name] == nil else { throw .badRequest("parameter \"\(name)\" is given twice.") }
            values[name] = value
        }
        if let name = values["format"] {
            guard let format = ExportFormat(rawValue: name.lowercased()), Self.formats.contains(format) else {
                throw .badRequest("unknown output format \"\(name)\"; this endpoint answers with one of csv, json, glb.")
            }
            self.format = format
        }
        let intensity: Float = try Self.number(values["intensity"], "intensity") ?? 1
        do {
            style = try StyleChoice(text: values["text"], emotion: values["emotion"], intensity: intensity).resolve()
        } catch {
            throw .badRequest(error.message)
        }
        options.seed = try Self.number(values["seed"], "seed") ?? options.seed
        options.steps = try Self.number(values["steps"], "steps") ?? options.steps
        options.audioGuidance = try Self.number(values["audio-guidance"], "audio-guidance") ?? options.audioGuidance
        options.styleGuidance = try Self.number(values["style-guidance"], "style-guidance") ?? options.styleGuidance
        if let off = try Self.yesNo(values["no-head-pose"], "no-head-pose") { options.headPose = !off }
        if let off = try Self.yesNo(values["no-added-blinks"], "no-added-blinks") { options.addsBlinks = !off }
        // The speaking-style dials; their ranges are checked by `options.validate()`, as for the CLI.
        options.speaking = SpeakingDials(articulation: try Self.number(values["articulation"], "articulation"),
                                         energy: try Self.number(values["energy"], "energy"),
                                         headMotion: try Self.number(values["head-motion"], "head-motion"))
        if let filename = values["filename"] { self.filename = try Self.checkedFilename(filename) }
        do { try options.validate() } catch { throw .badRequest(error.localizedDescription) }
    }

    /// A flag's value: present with no value, 1 or true is on; 0 or false off; nil when absent.
    static func yesNo(_ text: String?, _ name: String) throws(ServerError) -> Bool? {
        guard let text else { return nil }
        if ["", "1", "true"].contains(text) { return true }
        if ["0", "false"].contains(text) { return false }
        throw .badRequest("\(name) \(text) is not a yes/no value; use true or false.")
    }

    static func number<T: LosslessStringConvertible>(_ text: String?, _ name: String) throws(ServerError) -> T? {
        guard let text else { return nil }
        guard let value = T(text) else { throw .badRequest("\(name) \"\(text)\" is not a valid \(T.self == UInt64.self || T.self == Int.self ? "whole number" : "number").") }
        return value
    }

    /// A plain file name (letters, digits, `.`, `-`, `_`; up to 100 characters), as written into the
    /// temporary folder and the outputs' metadata.
    static func checkedFilename(_ name: String) throws(ServerError) -> String {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-")
        guard !name.isEmpty, name.count <= 100, name.allSatisfy(allowed.contains), !name.hasPrefix(".") else {
            throw .badRequest("filename \"\(name)\" must be a plain file name such as talk.wav (letters, digits, . - _; up to 100 characters).")
        }
        return name
    }
}
