/// The word lists of `SentenceGrammar` (written for this project; no dictionary file is read).
///
/// Chosen for phonetic variety: every English consonant and vowel appears in many contexts
/// (clusters, bilabials, labiodentals, dentals, rounded vowels, diphthongs, r-coloured vowels).
enum GrammarVocabulary {
    /// Third-person singular subjects.
    static let subjects = [
        "my brother", "the old teacher", "our neighbour", "a young doctor", "the little girl", "your friend",
        "the tall farmer", "my grandmother", "the quiet student", "a busy waiter", "the pilot", "her cousin",
        "the baker", "his father", "the new manager", "a tired nurse", "the shy boy", "my aunt", "the mayor",
        "the gardener", "a famous singer", "the fisherman", "our captain", "the clever judge", "my uncle",
        "the postman", "a kind stranger", "the village priest", "the sleepy porter", "the young mother",
        "the patient builder", "a worried father", "the bright pupil", "the woman next door", "the chef",
    ]
    /// Plural subjects (take the plain verb form).
    static let pluralSubjects = [
        "we", "they", "you", "the children", "my parents", "the soldiers", "our guests", "the twins",
        "the workers", "the players", "my friends", "the tourists", "the neighbours", "the students",
    ]
    /// Transitive verbs: (base, past, -ing).
    static let verbs: [(String, String, String)] = [
        ("find", "found", "finding"), ("paint", "painted", "painting"), ("carry", "carried", "carrying"),
        ("buy", "bought", "buying"), ("wash", "washed", "washing"), ("fix", "fixed", "fixing"),
        ("drop", "dropped", "dropping"), ("open", "opened", "opening"), ("borrow", "borrowed", "borrowing"),
        ("cook", "cooked", "cooking"), ("build", "built", "building"), ("sell", "sold", "selling"),
        ("watch", "watched", "watching"), ("notice", "noticed", "noticing"), ("bring", "brought", "bringing"),
        ("throw", "threw", "throwing"), ("lose", "lost", "losing"), ("pack", "packed", "packing"),
        ("clean", "cleaned", "cleaning"), ("push", "pushed", "pushing"), ("move", "moved", "moving"),
        ("hide", "hid", "hiding"), ("measure", "measured", "measuring"), ("choose", "chose", "choosing"),
        ("deliver", "delivered", "delivering"), ("break", "broke", "breaking"), ("weigh", "weighed", "weighing"),
        ("share", "shared", "sharing"), ("polish", "polished", "polishing"), ("judge", "judged", "judging"),
    ]
    /// Object noun phrases.
    static let objects = [
        "a blue bicycle", "the broken window", "three yellow apples", "an empty box", "the kitchen table",
        "a heavy suitcase", "the morning paper", "a silver spoon", "the wooden chair", "a bag of oranges",
        "the old piano", "a pair of boots", "the birthday cake", "a map of the city", "the garden gate",
        "a bottle of milk", "the red umbrella", "a basket of fish", "the leather jacket", "a small puppy",
        "the purple curtains", "a cup of coffee", "the picture frame", "a loaf of bread", "the thick rope",
        "a bunch of flowers", "the lunch boxes", "a jar of honey", "the iron key", "the photographs",
        "a new toothbrush", "the round mirror", "a bowl of soup", "the violin", "the feather pillow",
        "a pile of leaves", "the treasure chest", "a pot of jam", "the fishing boat", "the vegetables",
    ]
    /// Place and time adjuncts.
    static let adjuncts = [
        "in the garden", "before lunch", "near the river", "at the station", "after the storm",
        "on Sunday morning", "behind the library", "during the summer", "under the bridge", "by the harbour",
        "at midnight", "in the attic", "outside the bakery", "last Thursday", "early this morning",
        "on the way home", "beside the fountain", "in the dark", "at the market", "through the window",
        "every evening", "in the rain", "near the old mill", "at the zoo", "before the meeting",
        "in the museum", "across the street", "at the beach", "after school", "in the valley",
    ]
    /// Adjectives.
    static let adjectives = [
        "beautiful", "strange", "enormous", "tiny", "gloomy", "cheerful", "brave", "foolish", "gentle",
        "noisy", "smooth", "bitter", "fresh", "ancient", "shiny", "lovely", "dreadful", "peaceful",
        "crowded", "curious", "frozen", "golden", "huge", "lonely", "mighty", "pleasant", "rough",
    ]
    /// Plural nouns (for counting).
    static let pluralNouns = [
        "apples", "books", "chairs", "dollars", "horses", "letters", "candles", "boxes", "pencils", "tickets",
        "sheep", "windows", "bottles", "stones", "cookies", "miles", "minutes", "people", "birds", "shoes",
    ]
    /// Singular nouns (for exclamations and descriptions).
    static let nouns = [
        "day", "surprise", "view", "party", "idea", "garden", "voice", "story", "song", "house", "dinner",
        "journey", "dress", "puzzle", "morning", "painting", "present", "game", "holiday", "sunset",
    ]
    /// Events (for emotional lines).
    static let events = [
        "the party", "my birthday", "the wedding", "the concert", "the picnic", "the game", "our meeting",
        "the school play", "the dinner", "the funeral", "the exhibition", "the match",
    ]
    /// Foods and things that can be disgusting.
    static let foods = [
        "soup", "cheese", "fish", "milk", "meat", "sauce", "stew", "coffee", "pudding", "salad", "butter",
    ]
    /// People someone can miss or talk about.
    static let people = [
        "my mother", "my old dog", "my best friend", "our grandfather", "my sister", "the children",
        "my teacher", "our neighbours", "my brother", "my father", "my cousin", "the old man",
    ]
    /// Interjections that start an exclamation.
    static let interjections = ["Oh", "Wow", "Hey", "Well", "Look", "Listen", "Goodness", "Oh no", "Hooray"]
    /// Weekdays and months (for dates).
    static let weekdays = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
    static let months = ["January", "February", "March", "April", "May", "June", "July", "August",
                         "September", "October", "November", "December"]
}
