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

        // Everyday phrasings and idioms, a second layer per emotion (MiniLM puts a multi-word prompt near
        // multi-word anchors of the same register; single words alone leave idioms stranded).
        group(.happy, 0.35, ["quietly pleased", "a hint of a smile", "mildly pleased", "satisfied", "good-natured",
                             "in a pleasant mood", "kind and warm"]),
        group(.happy, 0.65, ["in high spirits", "in a great mood", "all smiles", "lighthearted", "bright and cheerful",
                             "chirpy", "merry", "jolly", "gleeful", "bubbly", "jovial", "playful", "giggling", "chuckling",
                             "laughing and joking", "having a great time", "happy-go-lucky", "pleased as punch",
                             "a big smile on her face", "glowing with happiness", "radiant", "feeling good"]),
        group(.happy, 1, lively, ["jumping for joy", "on top of the world", "bursting with happiness", "absolutely delighted",
                                  "the happiest day of my life", "overflowing with joy", "giddy with excitement",
                                  "wildly happy", "celebrating a big win", "could not be happier"]),
        group(.sad, 0.35, ["a little sad", "slightly down", "feeling a bit low", "sad but composed", "bittersweet",
                           "quietly sad"]),
        group(.sad, 0.65, SpeakingStyle(articulation: 0.9, energy: 0.8, headMotion: 0.8),
              ["feeling down", "in low spirits", "crestfallen", "forlorn", "woeful", "lonely", "homesick", "dispirited",
               "disheartened", "upset", "hurt and upset", "sulking", "sulky", "defeated", "hopeless", "troubled",
               "having a bad day", "saddened by the loss", "grieving", "brokenhearted", "sad and withdrawn"]),
        group(.sad, 1, ["sobbing", "bawling", "in mourning", "inconsolable", "utterly miserable", "wailing in grief",
                        "overcome with sadness", "the worst day of her life"]),
        group(.angry, 0.35, ["a bit annoyed", "miffed", "peeved", "testy", "touchy", "slightly irritated", "huffy"]),
        group(.angry, 0.65, ["irate", "fed up", "exasperated", "ticked off", "really annoyed", "bitter", "glaring",
                             "scowling", "snapping at people", "in a bad temper", "bad-tempered", "short-tempered",
                             "riled up", "worked up", "up in arms", "bristling", "upset and angry", "annoyed and impatient"]),
        group(.angry, 1, lively, ["absolutely furious", "blowing a fuse", "flying off the handle", "losing his temper",
                                  "in a fit of rage", "wrathful", "seeing red", "mad as hell", "ranting", "yelling in anger",
                                  "beside himself with anger", "throwing a tantrum"]),
        group(.surprised, 0.35, ["a little surprised", "raised eyebrows", "hmm, interesting", "somewhat surprised"]),
        group(.surprised, 0.65, ["taken by surprise", "did not expect that", "unexpected news", "oh my", "whoa",
                                 "speechless", "dumbfounded", "bewildered", "staggered", "bowled over", "incredulous",
                                 "amazed and surprised", "jolted", "caught unawares", "a sudden shock", "what a surprise"]),
        group(.surprised, 1, ["utterly astonished", "completely amazed", "shocked to the core", "stunned into silence",
                              "dumbstruck", "thunderstruck", "mind blown"]),
        group(.fearful, 0.35, SpeakingStyle(articulation: 1, energy: 1.1, headMotion: 1.3),
              ["jumpy", "fretful", "edgy", "stressed", "stressed out", "timid", "a little scared", "insecure",
               "self-conscious", "on tenterhooks", "worried sick", "a nervous wreck", "restless and worried"]),
        group(.fearful, 0.65, ["spooked", "panicky", "shaken", "intimidated", "creeped out", "in fear",
                               "afraid of what might happen", "fearful and anxious", "scared and alone", "paranoid"]),
        group(.fearful, 1, ["terror-stricken", "scared to death", "in sheer terror", "screaming in fear", "hysterical",
                            "fearing for her life", "horror-struck"]),
        group(.disgusted, 0.35, ["a bit disgusted", "unappetizing", "off-putting", "mildly repulsed"]),
        group(.disgusted, 0.65, ["repelled", "revolting", "gross", "ew", "icky", "turned off", "nauseous", "queasy",
                                 "makes her skin crawl", "offended", "repugnant", "that is disgusting", "rotten",
                                 "disgusted by the mess", "repulsive"]),
        group(.contempt, 0.65, ["snide", "haughty", "snooty", "stuck-up", "supercilious", "patronizing", "sardonic",
                                "cynical", "derisive", "belittling", "snobbish", "self-satisfied", "pompous",
                                "holier-than-thou", "full of himself", "disrespectful", "scoffing", "unimpressed",
                                "a mocking half smile", "sneering disdain"]),

        // Speaking styles beyond emotion.
        group(.neutral, 1, SpeakingStyle(articulation: 0.85, energy: 0.4, headMotion: 0.4),
              ["deadpan", "expressionless", "poker face", "flat affect", "monotone", "blank face", "emotionless", "stoic",
               "robotic", "straight face", "stone-faced", "unmoved", "impassive", "dry delivery", "emotionally flat",
               "without emotion", "an unreadable expression", "cold and detached", "detached"]),
        group(nil, 0, SpeakingStyle(articulation: 0.75, energy: 0.55, headMotion: 0.55),
              ["bored", "uninterested", "tired", "sleepy", "weary", "apathetic", "indifferent", "listless", "exhausted",
               "lethargic", "uninspired", "half-hearted", "going through the motions", "dull", "drowsy",
               "yawning", "worn out", "drained", "sluggish", "unenthusiastic", "meh", "disengaged", "not interested",
               "lackluster", "low energy", "distracted", "blasé", "jaded", "unmotivated"]),
        group(nil, 0, SpeakingStyle(articulation: 0.5, energy: 0.75, headMotion: 0.7),
              ["whispering", "a whisper", "speaking softly", "a quiet voice", "murmuring", "speaking quietly", "hushed", "soft-spoken", "in a low voice", "quietly", "sotto voce", "almost silent",
               "telling a secret", "a faint voice", "a soft voice", "speaking gently", "so nobody else hears"]),
        group(nil, 0, SpeakingStyle(articulation: 0.5, energy: 0.85, headMotion: 0.9),
              ["mumbling", "muttering", "slurred speech", "lazy articulation", "lips barely moving", "slurring", "mouth barely open", "indistinct speech",
               "sloppy pronunciation", "talking lazily", "drunk", "grumbling to himself"]),
        group(nil, 0, SpeakingStyle(articulation: 1.6, energy: 1.1, headMotion: 1),
              ["exaggerated articulation", "over-articulating", "clear articulation", "enunciating clearly", "precise diction",
               "wide mouth movements", "speaking very clearly", "crisp pronunciation", "over-enunciating", "clear diction", "pronouncing every syllable",
               "speaking slowly and clearly", "careful pronunciation", "big mouth movements", "exaggerated lip movements",
               "like a speech therapist", "theatrical", "dramatic delivery", "a language teacher modelling sounds"]),
        group(nil, 0, SpeakingStyle(articulation: 1.25, energy: 1.5, headMotion: 1.7),
              ["energetic", "lively", "animated", "dynamic", "vigorous", "full of energy", "passionate", "spirited",
               "vivacious", "an energetic speaker", "high energy", "zippy", "bursting with energy", "buzzing",
               "fired up", "pumped up", "amped", "zestful", "vibrant", "sprightly", "brisk", "excitable", "full of life",
               "a motivational speaker", "a sports commentator", "a game show host", "can't sit still"]),
        group(nil, 0, SpeakingStyle(articulation: 1.4, energy: 1.3, headMotion: 1.3),
              ["shouting", "yelling", "loud", "speaking loudly", "a booming voice", "projecting the voice", "screaming", "hollering", "bellowing", "raising the voice",
               "at the top of her lungs", "calling across the room", "a loud voice", "roaring", "a drill sergeant",
               "announcing to a crowd", "cheering at a match"]),
        group(nil, 0, subdued, ["subdued", "reserved", "restrained", "understated", "low key", "gentle", "mellow", "soft and gentle", "quiet and calm", "laid-back",
               "measured", "soothing", "tranquil", "a bedtime story voice", "meek", "shy", "modest"]),
        group(nil, 0, SpeakingStyle(articulation: 1, energy: 1, headMotion: 2.2),
              ["nodding a lot", "lots of head movement", "expressive head motion", "bobbing head", "moving the head a lot",
               "gesturing with the head", "head bobbing", "shaking the head", "lots of nods",
               "nodding along", "tilting the head", "swaying while talking", "turning the head a lot", "a restless head",
               "lively head movement"]),
        group(nil, 0, SpeakingStyle(articulation: 1, energy: 1, headMotion: 0.2),
              ["still head", "head not moving", "motionless head", "keeping the head still", "rigid posture", "steady head", "head held still", "not moving at all", "perfectly still", "unmoving head",
               "like a newsreader", "rigid", "motionless", "upright and still", "static", "immobile", "no head movement"]),
    ].flatMap { $0 }
}
