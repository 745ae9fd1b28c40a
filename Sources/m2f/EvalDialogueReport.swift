import Foundation
import M2FEval

/// The JSON and table of `m2f eval dialogue`.
struct DialogueReport: Codable {
    struct Variant: Codable {
        /// "ungated", "no listening" or "dialogue".
        var name: String
        /// Face A (first speaker), face B.
        var faces: [DialogueFaceMeasures]
    }
    struct Model: Codable {
        var folder: String
        var variants: [Variant]
    }
    var dataset: String
    var speakers: [String]
    /// Length of the conversation and each speaker's number of turns.
    var seconds: Double
    var turns: [Int]
    /// The tracked people over their own turns.
    var people: [DialoguePersonMeasures]
    var models: [Model]

    var table: String {
        func value(_ x: Double?, _ digits: Int = 3) -> String { x.map { String(format: "%.\(digits)f", $0) } ?? "—" }
        func pad(_ s: String, _ width: Int) -> String { s.padding(toLength: width, withPad: " ", startingAt: 0) }
        let faceRows: [(String, (DialogueFaceMeasures) -> String)] = [
            ("jawOpen vs own loudness", { value($0.jawVsOwnLoudness) }),
            ("jawOpen vs other's loudness", { value($0.jawVsOtherLoudness) }),
            ("lip gap vs own loudness", { value($0.lipGapVsOwnLoudness) }),
            ("lip gap vs other's loudness", { value($0.lipGapVsOtherLoudness) }),
            ("listening: lip gap vs other's", { value($0.listeningLipGapVsOtherLoudness) }),
            ("listening seconds", { value($0.listeningSeconds, 1) }),
            ("listening: blinks per minute", { value($0.listeningBlinksPerMinute, 1) }),
            ("listening: nods per minute", { value($0.listeningNodsPerMinute, 1) }),
            ("listening: head rotation std, °", { value($0.listeningHeadRotationStdDegrees, 2) }),
            ("listening: mouth at rest share", { value($0.listeningMouthAtRestShare) }),
            ("listening: jawOpen mean", { value($0.listeningJawOpenMean) }),
            ("speaking: jawOpen mean", { value($0.speakingJawOpenMean) }),
        ]
        let personRows: [(String, (DialoguePersonMeasures) -> String)] = [
            ("seconds of own turns", { value($0.seconds, 1) }),
            ("jawOpen vs own loudness", { value($0.jawVsOwnLoudness) }),
            ("lip gap vs own loudness", { value($0.lipGapVsOwnLoudness) }),
            ("blinks per minute", { value($0.blinksPerMinute, 1) }),
            ("nods per minute", { value($0.nodsPerMinute, 1) }),
            ("head rotation std, °", { value($0.headRotationStdDegrees, 2) }),
            ("nod size median, °", { value($0.nodProminenceMedianDegrees, 2) }),
            ("nod width median, s", { value($0.nodWidthMedianSeconds, 2) }),
        ]
        var lines = ["dialogue: \(speakers[0]) and \(speakers[1]) of \(dataset), \(value(seconds, 1)) s, \(turns[0]) + \(turns[1]) turns, cross-talk -20 dB",
                     "", "tracked people, over their own turns (monologue clips: no real listening)",
                     pad("measure", 34) + pad("A: " + speakers[0], 20) + "B: " + speakers[1]]
        for (name, read) in personRows { lines.append(pad(name, 34) + people.map { pad(read($0), 20) }.joined()) }
        for model in models {
            lines += ["", "model \(model.folder)",
                      pad("measure", 34) + model.variants.flatMap { v in ["A", "B"].map { pad("\(v.name) \($0)", 16) } }.joined()]
            for (name, read) in faceRows {
                lines.append(pad(name, 34) + model.variants.flatMap { $0.faces.map { pad(read($0), 16) } }.joined())
            }
        }
        return lines.joined(separator: "\n")
    }
}
