/// The articulatory target of one phone: where jaw, lips and tongue go, and how strongly the phone
/// insists on getting there (its dominance, Cohen & Massaro 1993), channel group by channel group.
///
/// Articulators are 0…1: `jaw` 1 is the widest vowel (aa); `round` is lip rounding (pucker),
/// `funnel` protrusion with an opening (sh, uw), `spread` lip-corner spreading (iy, s), `lowerDown`
/// and `upperUp` the lips parting beyond the jaw (open vowels), `tongue` the tongue tip between the
/// teeth (th dh). Bilabial closure and labiodental contact are hard targets handled separately
/// (`LipHardTargets`), so they are not here.
public struct PhoneTarget: Codable, Sendable, Equatable {
    public var jaw: Double
    public var round: Double = 0
    public var funnel: Double = 0
    public var spread: Double = 0
    public var lowerDown: Double = 0
    public var upperUp: Double = 0
    public var tongue: Double = 0
    /// Dominance of the jaw target (0…1).
    public var jawDominance: Double
    /// Dominance of the lip-shape targets (round, funnel, spread, lowerDown, upperUp).
    public var lipDominance: Double
    /// Diphthongs: the phone whose target the second half glides to.
    public var glideTo: String? = nil

    public init(jaw: Double, round: Double = 0, funnel: Double = 0, spread: Double = 0, lowerDown: Double = 0,
                upperUp: Double = 0, tongue: Double = 0, jawDominance: Double, lipDominance: Double, glideTo: String? = nil) {
        self.jaw = jaw
        self.round = round
        self.funnel = funnel
        self.spread = spread
        self.lowerDown = lowerDown
        self.upperUp = upperUp
        self.tongue = tongue
        self.jawDominance = jawDominance
        self.lipDominance = lipDominance
        self.glideTo = glideTo
    }

    /// Whether the lips are rounded enough that rounding is anticipated across neighbours.
    public var isRounded: Bool { round >= 0.3 || funnel >= 0.4 }

    /// The default inventory. Vowels: jaw from vowel height (aa ao widest, ae eh mid, ih iy close),
    /// lips from rounding (uw uh ow w) or spreading (iy ih ae). Consonants: alveolars and s z hold
    /// the jaw nearly closed but leave the lips to their neighbours; velars and h leave both.
    public static let defaults: [String: PhoneTarget] = [
        // Vowels.
        "aa": PhoneTarget(jaw: 1.0, lowerDown: 0.35, upperUp: 0.15, jawDominance: 1, lipDominance: 0.6),
        "ao": PhoneTarget(jaw: 0.9, round: 0.35, funnel: 0.35, lowerDown: 0.2, jawDominance: 1, lipDominance: 0.8),
        "ah": PhoneTarget(jaw: 0.72, lowerDown: 0.2, upperUp: 0.1, jawDominance: 0.9, lipDominance: 0.5),
        "ax": PhoneTarget(jaw: 0.45, lowerDown: 0.1, jawDominance: 0.6, lipDominance: 0.3),
        "ae": PhoneTarget(jaw: 0.82, spread: 0.35, lowerDown: 0.3, upperUp: 0.25, jawDominance: 1, lipDominance: 0.7),
        "eh": PhoneTarget(jaw: 0.62, spread: 0.3, lowerDown: 0.15, upperUp: 0.1, jawDominance: 1, lipDominance: 0.6),
        "er": PhoneTarget(jaw: 0.38, round: 0.25, funnel: 0.3, jawDominance: 0.8, lipDominance: 0.6),
        "axr": PhoneTarget(jaw: 0.35, round: 0.2, funnel: 0.25, jawDominance: 0.7, lipDominance: 0.5),
        "ih": PhoneTarget(jaw: 0.38, spread: 0.45, jawDominance: 0.9, lipDominance: 0.6),
        "iy": PhoneTarget(jaw: 0.22, spread: 0.65, jawDominance: 0.9, lipDominance: 0.8),
        "uh": PhoneTarget(jaw: 0.36, round: 0.55, funnel: 0.3, jawDominance: 0.9, lipDominance: 0.8),
        "uw": PhoneTarget(jaw: 0.22, round: 0.95, funnel: 0.3, jawDominance: 0.9, lipDominance: 1),
        // Diphthongs: the first target here, the second from `glideTo`.
        "ay": PhoneTarget(jaw: 0.92, lowerDown: 0.3, upperUp: 0.1, jawDominance: 1, lipDominance: 0.6, glideTo: "ih"),
        "aw": PhoneTarget(jaw: 0.92, lowerDown: 0.3, jawDominance: 1, lipDominance: 0.6, glideTo: "uh"),
        "oy": PhoneTarget(jaw: 0.8, round: 0.45, funnel: 0.35, jawDominance: 1, lipDominance: 0.8, glideTo: "iy"),
        "ey": PhoneTarget(jaw: 0.6, spread: 0.3, lowerDown: 0.15, jawDominance: 1, lipDominance: 0.6, glideTo: "iy"),
        "ow": PhoneTarget(jaw: 0.62, round: 0.55, funnel: 0.45, jawDominance: 1, lipDominance: 0.9, glideTo: "uw"),
        // Bilabials and labiodentals: the jaw nearly closed; closure / contact come from hard targets.
        "p": PhoneTarget(jaw: 0.08, jawDominance: 0.8, lipDominance: 0.5),
        "b": PhoneTarget(jaw: 0.08, jawDominance: 0.8, lipDominance: 0.5),
        "m": PhoneTarget(jaw: 0.08, jawDominance: 0.8, lipDominance: 0.5),
        "f": PhoneTarget(jaw: 0.1, jawDominance: 0.8, lipDominance: 0.6),
        "v": PhoneTarget(jaw: 0.1, jawDominance: 0.8, lipDominance: 0.6),
        // Dentals: tongue between the teeth, jaw slightly open.
        "th": PhoneTarget(jaw: 0.2, tongue: 1, jawDominance: 0.7, lipDominance: 0.15),
        "dh": PhoneTarget(jaw: 0.18, tongue: 0.7, jawDominance: 0.5, lipDominance: 0.1),
        // Alveolars: jaw nearly closed; lips take the neighbours' shape.
        "t": PhoneTarget(jaw: 0.12, jawDominance: 0.6, lipDominance: 0.08),
        "d": PhoneTarget(jaw: 0.14, jawDominance: 0.5, lipDominance: 0.08),
        "n": PhoneTarget(jaw: 0.14, jawDominance: 0.5, lipDominance: 0.08),
        "dx": PhoneTarget(jaw: 0.2, jawDominance: 0.3, lipDominance: 0.05),
        "l": PhoneTarget(jaw: 0.2, jawDominance: 0.4, lipDominance: 0.08),
        "el": PhoneTarget(jaw: 0.2, jawDominance: 0.4, lipDominance: 0.08),
        "en": PhoneTarget(jaw: 0.14, jawDominance: 0.5, lipDominance: 0.08),
        "s": PhoneTarget(jaw: 0.06, spread: 0.3, jawDominance: 0.85, lipDominance: 0.35),
        "z": PhoneTarget(jaw: 0.07, spread: 0.25, jawDominance: 0.8, lipDominance: 0.3),
        // Postalveolars: lips protruded and rounded.
        "sh": PhoneTarget(jaw: 0.12, round: 0.45, funnel: 0.75, jawDominance: 0.8, lipDominance: 0.85),
        "zh": PhoneTarget(jaw: 0.12, round: 0.45, funnel: 0.7, jawDominance: 0.8, lipDominance: 0.8),
        "ch": PhoneTarget(jaw: 0.12, round: 0.4, funnel: 0.7, jawDominance: 0.8, lipDominance: 0.8),
        "jh": PhoneTarget(jaw: 0.14, round: 0.4, funnel: 0.65, jawDominance: 0.75, lipDominance: 0.8),
        // Velars and h: low dominance, shaped by their neighbours.
        "k": PhoneTarget(jaw: 0.28, jawDominance: 0.25, lipDominance: 0.04),
        "g": PhoneTarget(jaw: 0.28, jawDominance: 0.25, lipDominance: 0.04),
        "ng": PhoneTarget(jaw: 0.22, jawDominance: 0.3, lipDominance: 0.04),
        "hh": PhoneTarget(jaw: 0.35, jawDominance: 0.05, lipDominance: 0.02),
        // Glides and r.
        "w": PhoneTarget(jaw: 0.15, round: 1.0, funnel: 0.2, jawDominance: 0.6, lipDominance: 1),
        "y": PhoneTarget(jaw: 0.16, spread: 0.5, jawDominance: 0.6, lipDominance: 0.5),
        "r": PhoneTarget(jaw: 0.24, round: 0.4, funnel: 0.35, jawDominance: 0.5, lipDominance: 0.6),
        // Silence: relaxed, the jaw at rest (the rest value comes from the configuration).
        "pau": PhoneTarget(jaw: 0, jawDominance: 0.5, lipDominance: 0.5),
    ]
}
