import M2FFace

/// One labelled description of the style vocabulary: words a user may type, and the emotion, intensity
/// and speaking-style dials they mean.
package struct StyleAnchor: Sendable, Equatable {
    package var text: String
    /// nil: no emotion (the face's own), only the dials.
    package var emotion: Emotion?
    package var intensity: Float
    package var speaking: SpeakingStyle
    /// The wording of the model's training descriptions (`StyleDescription` in M2FDataset): there the
    /// raw MiniLM embedding is what the model learned, and it is kept.
    package var seenInTraining: Bool
}

/// The words the style prompt reader knows: groups of paraphrases that share one label. MiniLM puts a
/// prompt near the paraphrases that mean the same; their labels are conditions the model was trained on
/// (emotion tokens) plus dials applied to its output, so unseen wording still steers it.
///
/// Intensities follow the training descriptions' three levels (0.35 mild, 0.65 plain, 1 strong). The
/// prompts `m2f eval controls` measures are held out: none of them is here.
package enum StyleVocabulary {
    private static func group(_ emotion: Emotion?, _ intensity: Float, _ speaking: SpeakingStyle, _ texts: [String]) -> [StyleAnchor] {
        texts.map { StyleAnchor(text: $0, emotion: emotion, intensity: intensity, speaking: speaking, seenInTraining: false) }
    }

    private static func group(_ emotion: Emotion, _ intensity: Float, seen: Bool = false, _ texts: [String]) -> [StyleAnchor] {
        texts.map { StyleAnchor(text: $0, emotion: emotion, intensity: intensity, speaking: .neutral, seenInTraining: seen) }
    }

    private static let lively = SpeakingStyle(articulation: 1.15, energy: 1.35, headMotion: 1.6)
    private static let subdued = SpeakingStyle(articulation: 0.85, energy: 0.6, headMotion: 0.6)

    /// Every anchor, in a fixed order.
    package static let anchors: [StyleAnchor] = [
        // The training descriptions' own wording ("a cheerful woman speaking quickly").
        group(.neutral, 1, seen: true, ["a calm person speaking", "a calm woman speaking", "a calm man speaking softly"]),
        group(.happy, 0.35, seen: true, ["a pleased person speaking", "a pleased man speaking slowly"]),
        group(.happy, 0.65, seen: true, ["a cheerful person speaking", "a cheerful woman speaking quickly"]),
        group(.happy, 1, seen: true, ["a delighted person speaking", "a delighted man speaking loudly"]),
        group(.sad, 0.35, seen: true, ["a wistful person speaking"]),
        group(.sad, 0.65, seen: true, ["a sad person speaking", "a sad woman speaking slowly"]),
        group(.sad, 1, seen: true, ["a heartbroken person speaking"]),
        group(.angry, 0.35, seen: true, ["an annoyed person speaking"]),
        group(.angry, 0.65, seen: true, ["an angry person speaking", "an angry man speaking loudly"]),
        group(.angry, 1, seen: true, ["a furious person speaking"]),
        group(.surprised, 0.35, seen: true, ["a curious person speaking"]),
        group(.surprised, 0.65, seen: true, ["a surprised person speaking", "a surprised woman speaking in a high voice"]),
        group(.surprised, 1, seen: true, ["an astonished person speaking"]),
        group(.fearful, 0.35, seen: true, ["an uneasy person speaking"]),
        group(.fearful, 0.65, seen: true, ["a frightened person speaking"]),
        group(.fearful, 1, seen: true, ["a terrified person speaking"]),
        group(.disgusted, 0.35, seen: true, ["a displeased person speaking"]),
        group(.disgusted, 0.65, seen: true, ["a disgusted person speaking"]),
        group(.disgusted, 1, seen: true, ["a revolted person speaking"]),
        group(.contempt, 0.35, seen: true, ["a dismissive person speaking"]),
        group(.contempt, 0.65, seen: true, ["a contemptuous person speaking"]),
        group(.contempt, 1, seen: true, ["a scornful person speaking"]),

        // Everyday words and paraphrases.
        group(.neutral, 1, ["neutral", "calm", "relaxed", "composed", "normal", "natural", "serene", "peaceful", "at ease",
                            "no particular emotion", "plain and neutral"]),
        group(.happy, 0.35, ["slightly happy", "a slight smile", "pleasant", "mildly amused", "content", "friendly"]),
        group(.happy, 0.65, ["happy", "a happy person", "cheerful", "glad", "joyful", "smiling", "in a good mood", "upbeat",
                             "warm and friendly", "friendly and cheerful", "amused", "laughing", "a happy, smiling, cheerful person"]),
        group(.happy, 1, lively, ["excited", "very excited", "ecstatic", "overjoyed", "delighted", "elated", "euphoric",
                                  "full of joy", "enthusiastic", "exhilarated", "jubilant"]),
        group(.sad, 0.35, ["wistful", "a bit sad", "somewhat down", "nostalgic", "pensive", "melancholic"]),
        group(.sad, 0.65, SpeakingStyle(articulation: 0.9, energy: 0.8, headMotion: 0.8),
              ["sad", "a sad person", "unhappy", "sorrowful", "gloomy", "glum", "downcast", "depressed", "dejected",
               "miserable", "disappointed", "mournful", "a sad, unhappy, gloomy person"]),
        group(.sad, 1, ["heartbroken", "devastated", "crying", "weeping", "despairing", "grief-stricken", "in deep sorrow"]),
        group(.angry, 0.35, ["annoyed", "a little irritated", "grumpy", "impatient", "irritable"]),
        group(.angry, 0.65, ["angry", "an angry person", "mad", "irritated", "cross", "hostile", "frustrated", "resentful",
                             "indignant", "stern"]),
        group(.angry, 1, lively, ["furious", "enraged", "raging", "in a rage", "incensed", "outraged", "shouting angrily"]),
        group(.surprised, 0.35, ["curious", "intrigued", "puzzled", "mildly surprised"]),
        group(.surprised, 0.65, ["surprised", "a surprised person", "amazed", "shocked", "stunned", "in disbelief",
                                 "caught off guard", "wow"]),
        group(.surprised, 1, ["astonished", "astounded", "flabbergasted", "completely shocked"]),
        group(.fearful, 0.35, SpeakingStyle(articulation: 1, energy: 1.1, headMotion: 1.3),
              ["nervous", "anxious", "worried", "uneasy", "tense", "apprehensive", "jittery", "on edge"]),
        group(.fearful, 0.65, ["afraid", "scared", "frightened", "fearful", "alarmed"]),
        group(.fearful, 1, ["terrified", "panicked", "horrified", "petrified", "in a panic"]),
        group(.disgusted, 0.35, ["displeased", "put off", "distasteful"]),
        group(.disgusted, 0.65, ["disgusted", "repulsed", "revolted", "nauseated", "sickened", "appalled", "yuck"]),
        group(.contempt, 0.65, ["contemptuous", "scornful", "disdainful", "smug", "sarcastic", "condescending", "mocking",
                                "arrogant", "dismissive", "sneering"]),

        // Speaking styles beyond emotion.
        group(.neutral, 1, SpeakingStyle(articulation: 0.85, energy: 0.4, headMotion: 0.4),
              ["deadpan", "expressionless", "poker face", "flat affect", "monotone", "blank face", "emotionless", "stoic",
               "robotic"]),
        group(nil, 0, SpeakingStyle(articulation: 0.75, energy: 0.55, headMotion: 0.55),
              ["bored", "uninterested", "tired", "sleepy", "weary", "apathetic", "indifferent", "listless", "exhausted",
               "lethargic"]),
        group(nil, 0, SpeakingStyle(articulation: 0.5, energy: 0.75, headMotion: 0.7),
              ["whispering", "a whisper", "speaking softly", "a quiet voice", "murmuring", "speaking quietly", "hushed"]),
        group(nil, 0, SpeakingStyle(articulation: 0.5, energy: 0.85, headMotion: 0.9),
              ["mumbling", "muttering", "slurred speech", "lazy articulation", "lips barely moving"]),
        group(nil, 0, SpeakingStyle(articulation: 1.6, energy: 1.1, headMotion: 1),
              ["exaggerated articulation", "over-articulating", "clear articulation", "enunciating clearly", "precise diction",
               "wide mouth movements", "speaking very clearly", "crisp pronunciation"]),
        group(nil, 0, SpeakingStyle(articulation: 1.25, energy: 1.5, headMotion: 1.7),
              ["energetic", "lively", "animated", "dynamic", "vigorous", "full of energy", "passionate", "spirited",
               "vivacious", "an energetic speaker"]),
        group(nil, 0, SpeakingStyle(articulation: 1.4, energy: 1.3, headMotion: 1.3),
              ["shouting", "yelling", "loud", "speaking loudly", "a booming voice", "projecting the voice"]),
        group(nil, 0, subdued, ["subdued", "reserved", "restrained", "understated", "low key", "gentle"]),
        group(nil, 0, SpeakingStyle(articulation: 1, energy: 1, headMotion: 2.2),
              ["nodding a lot", "lots of head movement", "expressive head motion", "bobbing head", "moving the head a lot",
               "gesturing with the head"]),
        group(nil, 0, SpeakingStyle(articulation: 1, energy: 1, headMotion: 0.2),
              ["still head", "head not moving", "motionless head", "keeping the head still", "rigid posture", "steady head"]),
    ].flatMap { $0 }
}
