import M2FFace

/// Free-text style descriptions and tags from a clip's labels: "a cheerful woman speaking quickly".
///
/// The words depend only on the labels (emotion, intensity, speaker gender, prosody, listening), so
/// equal labels give equal text; the sentence encoder turns them into style codes at featurize time.
public enum StyleDescription {
    /// Adjectives per emotion at low (< 0.45), middle and high (≥ 0.75) intensity.
    static let adjectives: [Emotion: [String]] = [
        .neutral: ["calm", "calm", "calm"],
        .happy: ["pleased", "cheerful", "delighted"],
        .sad: ["wistful", "sad", "heartbroken"],
        .angry: ["annoyed", "angry", "furious"],
        .surprised: ["curious", "surprised", "astonished"],
        .fearful: ["uneasy", "frightened", "terrified"],
        .disgusted: ["displeased", "disgusted", "revolted"],
        .contempt: ["dismissive", "contemptuous", "scornful"],
    ]

    /// The description of a clip.
    public static func describe(emotion: Emotion, intensity: Double, gender: String, prosody: Prosody, listening: Bool) -> String {
        let levels = adjectives[emotion]!
        let adjective = emotion == .neutral ? levels[0] : levels[intensity < 0.45 ? 0 : intensity < 0.75 ? 1 : 2]
        let person = gender == "female" ? "woman" : gender == "male" ? "man" : "person"
        let article = "aeiou".contains(adjective.first!) ? "an" : "a"
        if listening { return "\(article) \(adjective) \(person) listening quietly" }
        var manner: [String] = []
        if prosody.rate >= 1.08 { manner.append("quickly") } else if prosody.rate <= 0.92 { manner.append("slowly") }
        if prosody.volume >= 1.2 { manner.append("loudly") } else if prosody.volume <= 0.82 { manner.append("softly") }
        var text = "\(article) \(adjective) \(person) speaking"
        if !manner.isEmpty { text += " " + manner.joined(separator: " and ") }
        if prosody.pitch >= 1.12 { text += " in a high voice" } else if prosody.pitch <= 0.92 { text += " in a low voice" }
        return text
    }

    /// Tags from prosody and listening (augmentation tags are added by the builder).
    public static func tags(prosody: Prosody, listening: Bool) -> [String] {
        var tags: [String] = []
        if listening { tags.append("listening") }
        if prosody.rate >= 1.08 { tags.append("fast") } else if prosody.rate <= 0.92 { tags.append("slow") }
        if prosody.pitch >= 1.12 { tags.append("high-pitch") } else if prosody.pitch <= 0.92 { tags.append("low-pitch") }
        if prosody.volume >= 1.2 { tags.append("loud") } else if prosody.volume <= 0.82 { tags.append("soft") }
        return tags
    }
}
