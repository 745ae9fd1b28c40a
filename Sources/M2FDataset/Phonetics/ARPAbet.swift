/// The ARPAbet phone inventory of M2F-D (CMUdict / flite US English, lower case, no stress digit)
/// with the articulatory classes the teacher animator needs.
///
/// Phones arrive from several synthesisers (flite, espeak-ng mapped to ARPAbet, festival) and from
/// user files, so `ARPAbet.phone(_:)` normalises spelling (case, stress digits, a few aliases) and
/// returns nil for anything it does not know; the animator treats those as neutral, low-dominance
/// segments instead of failing.
public enum ARPAbet {
    /// Where and how a phone is made, as far as the visible face is concerned.
    public enum PhoneClass: String, Sendable, CaseIterable, Codable {
        /// A monophthong vowel (iy ih eh ae aa ao ah ax uh uw er).
        case vowel
        /// A vowel gliding between two targets (ay aw oy ey ow).
        case diphthong
        /// p b: lips closed, then released with a burst.
        case bilabialStop
        /// m: lips closed for the whole segment.
        case bilabialNasal
        /// f v: lower lip against the upper teeth.
        case labiodental
        /// th dh: tongue tip between the teeth.
        case dental
        /// t d n l: jaw nearly closed, lips free.
        case alveolar
        /// s z: jaw nearly closed, lips slightly spread.
        case alveolarFricative
        /// sh zh ch jh: lips protruded and rounded.
        case postalveolar
        /// k g ng: lips and jaw free (low dominance).
        case velar
        /// hh: takes the shape of the following vowel.
        case glottal
        /// w: strongly rounded glide.
        case labialGlide
        /// y: palatal glide, spread like iy.
        case palatalGlide
        /// r: slight rounding.
        case rhotic
        /// pau: silence.
        case silence
    }

    /// Every phone of the inventory with its class.
    public static let classes: [String: PhoneClass] = [
        "iy": .vowel, "ih": .vowel, "eh": .vowel, "ae": .vowel, "aa": .vowel, "ao": .vowel, "ah": .vowel,
        "ax": .vowel, "uh": .vowel, "uw": .vowel, "er": .vowel, "axr": .vowel,
        "ay": .diphthong, "aw": .diphthong, "oy": .diphthong, "ey": .diphthong, "ow": .diphthong,
        "p": .bilabialStop, "b": .bilabialStop, "m": .bilabialNasal,
        "f": .labiodental, "v": .labiodental,
        "th": .dental, "dh": .dental,
        "t": .alveolar, "d": .alveolar, "n": .alveolar, "l": .alveolar, "dx": .alveolar, "el": .alveolar, "en": .alveolar,
        "s": .alveolarFricative, "z": .alveolarFricative,
        "sh": .postalveolar, "zh": .postalveolar, "ch": .postalveolar, "jh": .postalveolar,
        "k": .velar, "g": .velar, "ng": .velar,
        "hh": .glottal,
        "w": .labialGlide, "y": .palatalGlide, "r": .rhotic,
        "pau": .silence,
    ]

    /// Spellings other tools use for the same phone.
    static let aliases: [String: String] = [
        "sil": "pau", "sp": "pau", "h#": "pau", "_": "pau", "": "pau", "#": "pau", "spn": "pau",
        "h": "hh", "hv": "hh", "ix": "ih", "ux": "uw", "em": "m", "nx": "n", "q": "t", "wh": "w",
    ]

    /// The canonical spelling of `raw` (lower case, stress digit removed, aliases resolved), or nil
    /// when it is not an ARPAbet phone.
    public static func phone(_ raw: String) -> String? {
        var name = raw.lowercased()
        while let last = name.last, last.isNumber { name.removeLast() }
        if let alias = aliases[name] { name = alias }
        return classes[name] == nil ? nil : name
    }

    /// The class of `raw` (normalised first), or nil for an unknown phone.
    public static func phoneClass(of raw: String) -> PhoneClass? {
        phone(raw).flatMap { classes[$0] }
    }

    /// p b m.
    public static func isBilabial(_ raw: String) -> Bool {
        let c = phoneClass(of: raw)
        return c == .bilabialStop || c == .bilabialNasal
    }

    /// Vowels and diphthongs.
    public static func isVowel(_ raw: String) -> Bool {
        let c = phoneClass(of: raw)
        return c == .vowel || c == .diphthong
    }

    /// Monophthongs ordered from the most open to the closest (standard American English vowel
    /// height: aa and ao lowest, then ae, ah, eh, er/uh/ih, uw/iy). Used by tests and checks that
    /// relate mouth opening to vowel openness.
    public static let opennessOrder: [String] = ["aa", "ae", "eh", "ih", "iy"]
}
