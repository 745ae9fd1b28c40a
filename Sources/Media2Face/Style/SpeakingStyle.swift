import M2FFace

/// How a face speaks, apart from its emotion: three gains applied to the generated animation, 1 = as
/// the model made it. Rest is the neutral face (every ARKit weight 0) facing the camera (head pose 0);
/// each dial scales the distance from it and the weights are clamped back to [0, 1].
///
/// - `articulation` (0 … 2): the speech channels (jaw, lips, mouth shape, tongue: `articulationChannels`).
///   0 keeps the mouth at rest; 2 doubles every opening, pucker and press.
/// - `energy` (0 … 2): the whole face and head: the expressive channels (brows, cheeks, lids, nose,
///   smile/frown/dimple: `expressionChannels`) scale by it, and it multiplies `articulation` and
///   `headMotion`. Blinks and gaze are never scaled.
/// - `headMotion` (0 … 4): head rotation and translation. 0 is a still head facing the camera.
///
/// Because the rig is linear in its weights, scaling the speech channels together scales the lip gap:
/// a closed bilabial stays closed at any articulation.
public struct SpeakingStyle: Codable, Sendable, Equatable, Hashable {
    public var articulation: Float
    public var energy: Float
    public var headMotion: Float

    public init(articulation: Float = 1, energy: Float = 1, headMotion: Float = 1) {
        self.articulation = articulation
        self.energy = energy
        self.headMotion = headMotion
    }

    /// All dials at 1: the animation as generated.
    public static let neutral = SpeakingStyle()

    public static let articulationRange: ClosedRange<Float> = 0...2
    public static let energyRange: ClosedRange<Float> = 0...2
    public static let headMotionRange: ClosedRange<Float> = 0...4

    /// The gain on the speech channels, the expressive channels and the head pose.
    var gains: (speech: Float, expression: Float, head: Float) {
        (articulation * energy, energy, headMotion * energy)
    }

    /// Σ weightₖ · styleₖ, dial by dial (weights need not sum to 1; the rest goes to `neutral`).
    package static func mixed(_ parts: [(style: SpeakingStyle, weight: Float)]) -> SpeakingStyle {
        let rest = max(0, 1 - parts.reduce(0) { $0 + $1.weight })
        func mix(_ dial: (SpeakingStyle) -> Float) -> Float { parts.reduce(rest) { $0 + $1.weight * dial($1.style) } }
        return SpeakingStyle(articulation: mix(\.articulation), energy: mix(\.energy), headMotion: mix(\.headMotion))
    }

    /// Jaw, lips, mouth shape and tongue: what speech moves.
    package static let articulationChannels: Set<Int> = Set(ARKitBlendshape.allCases.filter { shape in
        let name = shape.rawValue
        return (name.hasPrefix("jaw") || name.hasPrefix("mouth") || name == "tongueOut")
            && !name.hasPrefix("mouthSmile") && !name.hasPrefix("mouthFrown") && !name.hasPrefix("mouthDimple")
    }.map(\.index))

    /// Brows, cheeks, lids (squint, wide), nose, smile, frown and dimple: what emotion and emphasis move.
    static let expressionChannels: Set<Int> = Set(ARKitBlendshape.allCases.filter { shape in
        let name = shape.rawValue
        return name.hasPrefix("brow") || name.hasPrefix("cheek") || name.hasPrefix("nose") || name.hasPrefix("eyeSquint")
            || name.hasPrefix("eyeWide") || name.hasPrefix("mouthSmile") || name.hasPrefix("mouthFrown") || name.hasPrefix("mouthDimple")
    }.map(\.index))

    /// Per-channel gain of the 52 weights for this style.
    var channelGains: [Float] {
        let (speech, expression, _) = gains
        return (0..<ARKit.count).map { k in
            Self.articulationChannels.contains(k) ? speech : Self.expressionChannels.contains(k) ? expression : 1
        }
    }

    /// Applies per-frame styles to F frames: `weights` [F · 52] (clamped to [0, 1]) and `pose`
    /// [F · poseSize] (yaw, pitch, roll, tx, ty, tz or a prefix of them; empty for a still head).
    package static func apply(_ styles: [SpeakingStyle], weights: inout [Float], pose: inout [Float], poseSize: Int = 6) {
        precondition(weights.count == styles.count * ARKit.count, "\(weights.count) weights for \(styles.count) frames")
        precondition(pose.isEmpty || pose.count == styles.count * poseSize, "\(pose.count) pose values for \(styles.count) frames")
        var cached: (style: SpeakingStyle, gains: [Float])?
        for (frame, style) in styles.enumerated() where style != .neutral {
            if cached?.style != style { cached = (style, style.channelGains) }
            let gains = cached!.gains
            for k in 0..<ARKit.count {
                let i = frame * ARKit.count + k
                weights[i] = min(max(weights[i] * gains[k], 0), 1)
            }
            if !pose.isEmpty {
                let head = style.gains.head
                for c in 0..<poseSize { pose[frame * poseSize + c] *= head }
            }
        }
    }
}

/// Speaking-style dials a user set explicitly (`--articulation`, `--energy`, `--head-motion`, a timeline
/// segment's keys); nil leaves that dial to the text prompt's reading, or 1.
public struct SpeakingDials: Codable, Sendable, Equatable, Hashable {
    public var articulation: Float?
    public var energy: Float?
    public var headMotion: Float?

    public init(articulation: Float? = nil, energy: Float? = nil, headMotion: Float? = nil) {
        self.articulation = articulation
        self.energy = energy
        self.headMotion = headMotion
    }

    public var isEmpty: Bool { articulation == nil && energy == nil && headMotion == nil }

    /// `base` with the dials set here replacing its own.
    public func overriding(_ base: SpeakingStyle) -> SpeakingStyle {
        SpeakingStyle(articulation: articulation ?? base.articulation, energy: energy ?? base.energy,
                      headMotion: headMotion ?? base.headMotion)
    }

    /// These dials where set, `fallback`'s elsewhere (a segment's own keys over the run's flags).
    public func over(_ fallback: SpeakingDials) -> SpeakingDials {
        SpeakingDials(articulation: articulation ?? fallback.articulation, energy: energy ?? fallback.energy,
                      headMotion: headMotion ?? fallback.headMotion)
    }

    /// (flag, value, range) for each dial that is set.
    var settings: [(name: String, value: Float, range: ClosedRange<Float>)] {
        [("--articulation", articulation, SpeakingStyle.articulationRange), ("--energy", energy, SpeakingStyle.energyRange),
         ("--head-motion", headMotion, SpeakingStyle.headMotionRange)].compactMap { name, value, range in value.map { (name, $0, range) } }
    }
}
