import M2FFace

/// A style prompt and what it should move: a channel and a direction against no style.
package struct PromptExpectation: Codable, Sendable, Equatable {
    package var prompt: String
    package var channel: ControlChannel
    /// true: the channel should rise; false: fall.
    package var rises: Bool

    package init(_ prompt: String, _ channel: ControlChannel, rises: Bool = true) {
        self.prompt = prompt
        self.channel = channel
        self.rises = rises
    }

    /// Smallest relative change of a dial measure (jaw, speed, head std) that counts as moved.
    package static let dialThreshold = 0.1
    /// Share of the emotion label's full effect (intensity 1 minus none) an emotion prompt must reach.
    package static let emotionShare = 0.25
}

/// The prompts `m2f eval controls` measures.
package enum ControlPrompts {
    /// Paraphrases and idioms that are neither in the style vocabulary (`StyleVocabulary`) nor in the
    /// training descriptions: how text works on wording nobody prepared for.
    package static let heldOut: [PromptExpectation] = [
        PromptExpectation("thrilled to bits", .smile),
        PromptExpectation("over the moon about the news", .smile),
        PromptExpectation("grinning from ear to ear", .smile),
        PromptExpectation("beaming with pride", .smile),
        PromptExpectation("down in the dumps", .frown),
        PromptExpectation("feeling blue today", .frown),
        PromptExpectation("on the verge of tears", .frown),
        PromptExpectation("seething with rage", .brow_down),
        PromptExpectation("livid", .brow_down),
        PromptExpectation("fuming after an argument", .brow_down),
        PromptExpectation("taken aback", .eye_wide),
        PromptExpectation("could not believe her eyes", .eye_wide),
        PromptExpectation("startled by a loud bang", .eye_wide),
        PromptExpectation("scared out of his wits", .mouth_stretch),
        PromptExpectation("a bundle of nerves", .mouth_stretch),
        PromptExpectation("grossed out by the smell", .nose_sneer),
        PromptExpectation("looking down on everyone", .dimple),
        PromptExpectation("couldn't care less", .expression_speed, rises: false),
        PromptExpectation("a face like a statue", .expression_speed, rises: false),
        PromptExpectation("talking under her breath", .jaw_open, rises: false),
        PromptExpectation("barely audible", .jaw_open, rises: false),
        PromptExpectation("articulating every consonant crisply", .jaw_open),
        PromptExpectation("like a stage actor projecting to the back row", .jaw_open),
        PromptExpectation("bouncing off the walls", .expression_speed),
        PromptExpectation("full of pep and vigor", .expression_speed),
        PromptExpectation("nodding enthusiastically as she talks", .head_rotation_std),
        PromptExpectation("stiff as a board", .head_rotation_std, rises: false),
    ]

    /// A second held-out list, written before the vocabulary was grown from the first one's results (so
    /// neither list nor near-copies of it are anchors): idioms and paraphrases over the same channels.
    package static let heldOutSecond: [PromptExpectation] = [
        PromptExpectation("tickled pink", .smile),
        PromptExpectation("on cloud nine", .smile),
        PromptExpectation("walking on sunshine", .smile),
        PromptExpectation("heavy-hearted", .frown),
        PromptExpectation("crushed by the bad news", .frown),
        PromptExpectation("moping around all day", .frown),
        PromptExpectation("hopping mad", .brow_down),
        PromptExpectation("ready to bite someone's head off", .brow_down),
        PromptExpectation("boiling over with anger", .brow_down),
        PromptExpectation("gobsmacked", .eye_wide),
        PromptExpectation("blindsided by the announcement", .eye_wide),
        PromptExpectation("eyes popping out of her head", .eye_wide),
        PromptExpectation("shaking like a leaf", .mouth_stretch),
        PromptExpectation("dreading what comes next", .mouth_stretch),
        PromptExpectation("sick to the stomach at the sight", .nose_sneer),
        PromptExpectation("that taste is vile", .nose_sneer),
        PromptExpectation("with a superior smirk", .dimple),
        PromptExpectation("rolling her eyes at him", .dimple),
        PromptExpectation("could not be bothered", .expression_speed, rises: false),
        PromptExpectation("zoned out", .expression_speed, rises: false),
        PromptExpectation("raring to go", .expression_speed),
        PromptExpectation("hyper after too much coffee", .expression_speed),
        PromptExpectation("keeping her voice down", .jaw_open, rises: false),
        PromptExpectation("talking through clenched teeth", .jaw_open, rises: false),
        PromptExpectation("mouthing each word slowly for a lip reader", .jaw_open),
        PromptExpectation("belting it out", .jaw_open),
        PromptExpectation("tossing his head around as he talks", .head_rotation_std),
        PromptExpectation("frozen in place", .head_rotation_std, rises: false),
    ]

    /// The everyday words issue 17 names (they are in the vocabulary: this shows them working).
    package static let everydayWords: [PromptExpectation] = [
        PromptExpectation("surprised", .eye_wide),
        PromptExpectation("excited", .smile),
        PromptExpectation("gloomy", .frown),
        PromptExpectation("furious", .brow_down),
        PromptExpectation("nervous", .mouth_stretch),
        PromptExpectation("bored", .expression_speed, rises: false),
        PromptExpectation("whispering", .jaw_open, rises: false),
        PromptExpectation("energetic", .expression_speed),
        PromptExpectation("deadpan", .expression_speed, rises: false),
        PromptExpectation("exaggerated articulation", .jaw_open),
    ]

    /// The emotion whose signature channel `channel` is, if any.
    package static func emotion(signedBy channel: ControlChannel) -> Emotion? {
        Emotion.allCases.first { ControlChannel.signature(of: $0) == channel }
    }
}
