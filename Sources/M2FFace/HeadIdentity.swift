/// Shape parameters of the default head, each in [-1, 1] (0 is the default face).
///
/// They change the neutral geometry only; the topology (vertex count and order) and the meaning of
/// every blendshape stay the same, so identity-invariant encoders can be trained on varied heads.
public struct HeadIdentity: Codable, Equatable, Sendable {
    /// Face width: ±7 % on the broad shapes (skull, cheeks, jaw) and the mouth.
    public var faceWidth: Float
    /// Jaw length: the chin ±8 mm lower.
    public var jawLength: Float
    /// Nose size: ±20 % on the bridge, tip and wings.
    public var noseSize: Float
    /// Lip thickness: ±30 % on the lip volumes.
    public var lipThickness: Float
    /// Eye spacing: each eye ±3 mm from the midline.
    public var eyeSpacing: Float

    public init(faceWidth: Float = 0, jawLength: Float = 0, noseSize: Float = 0, lipThickness: Float = 0, eyeSpacing: Float = 0) {
        self.faceWidth = faceWidth
        self.jawLength = jawLength
        self.noseSize = noseSize
        self.lipThickness = lipThickness
        self.eyeSpacing = eyeSpacing
    }

    /// The default head.
    public static let neutral = HeadIdentity()

    /// A reproducible identity with every parameter drawn uniformly from [-1, 1].
    public static func random(seed: UInt64) -> HeadIdentity {
        var state = seed &* 0x9E37_79B9_7F4A_7C15 &+ 1
        func next() -> Float {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Float(state >> 40) / Float(1 << 24) * 2 - 1
        }
        return HeadIdentity(faceWidth: next(), jawLength: next(), noseSize: next(), lipThickness: next(), eyeSpacing: next())
    }

    /// The parameters clamped to [-1, 1].
    public var clamped: HeadIdentity {
        func c(_ v: Float) -> Float { min(max(v, -1), 1) }
        return HeadIdentity(faceWidth: c(faceWidth), jawLength: c(jawLength), noseSize: c(noseSize),
                            lipThickness: c(lipThickness), eyeSpacing: c(eyeSpacing))
    }
}
