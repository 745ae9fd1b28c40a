import Foundation

/// One emotion's channel at intensities 0 … 1 (0 is no style).
package struct IntensityRow: Codable, Sendable, Equatable {
    package var emotion: String
    package var channel: ControlChannel
    package var intensities: [Float]
    package var values: [Double]
    /// (value − value at 0) / (value at 1 − value at 0) per intensity.
    package var shares: [Double]
    /// Non-decreasing within 0.002 from one intensity to the next.
    package var monotone: Bool

    package init(emotion: String, channel: ControlChannel, intensities: [Float], values: [Double]) {
        self.emotion = emotion
        self.channel = channel
        self.intensities = intensities
        self.values = values
        let span = values.last! - values.first!
        shares = values.map { span == 0 ? 0 : ($0 - values.first!) / span }
        monotone = zip(values, values.dropFirst()).allSatisfy { $1 >= $0 - 0.002 }
    }
}

/// A prompt's channel with no style, with the bare MiniLM embedding (shipped) and read through the
/// style vocabulary, and whether each moved it as expected.
package struct PromptRow: Codable, Sendable, Equatable {
    package var prompt: String
    package var channel: ControlChannel
    package var rises: Bool
    package var none: Double
    package var shipped: Double
    package var read: Double
    /// The change that counts as moved: a quarter of the emotion label's full effect, or a tenth of the
    /// no-style value for a dial measure.
    package var threshold: Double
    package var moved_shipped: Bool
    package var moved_read: Bool
    /// The vocabulary anchors nearest the prompt.
    package var neighbours: [String]
    /// MiniLM cosine similarity of the nearest anchor (how well the vocabulary knows the prompt).
    package var best_similarity: Float?

    package init(expectation: PromptExpectation, none: Double, shipped: Double, read: Double, emotionFullEffect: Double?, neighbours: [String],
                bestSimilarity: Float? = nil) {
        prompt = expectation.prompt
        channel = expectation.channel
        rises = expectation.rises
        self.none = none
        self.shipped = shipped
        self.read = read
        let need = emotionFullEffect.map { PromptExpectation.emotionShare * $0 } ?? PromptExpectation.dialThreshold * abs(none)
        let rises = expectation.rises
        func moved(_ value: Double) -> Bool { (rises ? value - none : none - value) >= max(need, 1e-6) }
        threshold = need
        moved_shipped = moved(shipped)
        moved_read = moved(read)
        self.neighbours = neighbours
        best_similarity = bestSimilarity
    }
}

/// A dial's measure at several settings (1 = as generated).
package struct DialRow: Codable, Sendable, Equatable {
    package var dial: String
    package var channel: ControlChannel
    package var settings: [Float]
    package var values: [Double]
}

/// The keyframe of issue 17 beside a range constraint: hit, and no velocity spike.
package struct KeyframeRangeCheck: Codable, Sendable, Equatable {
    package var key_frame: Int
    package var jaw_open_at_key: Double
    package var jaw_open_frames_57_to_63: [Double]
    /// Largest ‖Δw‖₂ of the transitions 58→59 … 61→62, and the clip's 99th percentile.
    package var speed_next_to_key_max: Double
    package var speed_p99: Double
    /// The range constraint: browInnerUp over the whole clip.
    package var brow_inner_up_max: Double
}

/// The JSON of `m2f eval controls`.
package struct ControlReport: Codable, Sendable {
    package var clips: [String]
    package var none: ControlSignals
    /// Each emotion label at intensity 1.
    package var emotion_full: [String: ControlSignals]
    package var intensity: [IntensityRow]
    package var held_out_prompts: [PromptRow]
    /// `ControlPrompts.heldOutSecond`: written before the vocabulary grew from the first list's misses.
    package var held_out_second: [PromptRow]
    package var everyday_words: [PromptRow]
    package var dials: [DialRow]
    package var keyframe_with_range: KeyframeRangeCheck?

    /// The report as text tables.
    package var table: String {
        func f(_ x: Double) -> String { String(format: "%.3f", x) }
        func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s + " " : s.padding(toLength: n, withPad: " ", startingAt: 0) }
        var lines = ["controls on \(clips.joined(separator: ", "))", "", "emotion intensity 0 / 0.25 / 0.5 / 0.75 / 1 (share of the full effect)"]
        for row in intensity {
            lines.append(pad("\(row.emotion) \(row.channel.rawValue)", 24) + row.values.map(f).joined(separator: " / ")
                         + "  (" + row.shares.map { String(format: "%.2f", $0) }.joined(separator: " / ") + ")" + (row.monotone ? "" : "  NOT MONOTONE"))
        }
        for (title, rows) in [("held-out prompts", held_out_prompts), ("second held-out prompts", held_out_second), ("everyday words", everyday_words)] {
            let moved = (rows.filter(\.moved_shipped).count, rows.filter(\.moved_read).count)
            lines += ["", "\(title): moved as expected, shipped (bare MiniLM) \(moved.0)/\(rows.count), vocabulary \(moved.1)/\(rows.count)",
                      pad("prompt", 46) + pad("channel", 20) + pad("none", 8) + pad("shipped", 10) + pad("read", 10) + "need"]
            for row in rows {
                lines.append(pad(row.prompt, 46) + pad(row.channel.rawValue + (row.rises ? " ↑" : " ↓"), 20) + pad(f(row.none), 8)
                             + pad(f(row.shipped) + (row.moved_shipped ? " ✓" : " ✗"), 10) + pad(f(row.read) + (row.moved_read ? " ✓" : " ✗"), 10)
                             + "±" + f(row.threshold))
            }
        }
        lines += ["", "dials at " + (dials.first?.settings.map { String(format: "%g", $0) }.joined(separator: " / ") ?? "")]
        for row in dials { lines.append(pad("\(row.dial) (\(row.channel.rawValue))", 40) + row.values.map(f).joined(separator: " / ")) }
        if let k = keyframe_with_range {
            lines += ["", "keyframe jawOpen 0.9 at frame 60 beside browInnerUp = 0: jaw at the key \(f(k.jaw_open_at_key)), frames 57–63 "
                      + k.jaw_open_frames_57_to_63.map { String(format: "%.2f", $0) }.joined(separator: " "),
                      "  speed next to the key \(f(k.speed_next_to_key_max)) vs the clip's p99 \(f(k.speed_p99)); browInnerUp max \(f(k.brow_inner_up_max))"]
        }
        return lines.joined(separator: "\n")
    }
}
