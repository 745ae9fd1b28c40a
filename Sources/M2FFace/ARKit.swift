/// The 52 ARKit blendshapes in the canonical order of the project (alphabetical, as Apple documents them).
///
/// `rawValue` is the ARKit name (`jawOpen`); `index` is the position in every weight vector of the
/// project (`FaceAnimation`, JSON, glTF morph targets). Live Link Face uses capitalised names in a
/// different order: see `liveLinkName` and `ARKit.liveLinkOrder`.
public enum ARKitBlendshape: String, CaseIterable, Sendable, Codable {
    case browDownLeft, browDownRight, browInnerUp, browOuterUpLeft, browOuterUpRight
    case cheekPuff, cheekSquintLeft, cheekSquintRight
    case eyeBlinkLeft, eyeBlinkRight, eyeLookDownLeft, eyeLookDownRight, eyeLookInLeft, eyeLookInRight
    case eyeLookOutLeft, eyeLookOutRight, eyeLookUpLeft, eyeLookUpRight, eyeSquintLeft, eyeSquintRight
    case eyeWideLeft, eyeWideRight
    case jawForward, jawLeft, jawOpen, jawRight
    case mouthClose, mouthDimpleLeft, mouthDimpleRight, mouthFrownLeft, mouthFrownRight, mouthFunnel
    case mouthLeft, mouthLowerDownLeft, mouthLowerDownRight, mouthPressLeft, mouthPressRight, mouthPucker
    case mouthRight, mouthRollLower, mouthRollUpper, mouthShrugLower, mouthShrugUpper
    case mouthSmileLeft, mouthSmileRight, mouthStretchLeft, mouthStretchRight
    case mouthUpperUpLeft, mouthUpperUpRight, noseSneerLeft, noseSneerRight, tongueOut

    /// Position in the canonical 52-vector.
    public var index: Int { ARKit.indexByName[rawValue]! }

    /// The shape by canonical index (0..<52).
    public init(index: Int) {
        precondition((0..<ARKit.count).contains(index), "ARKit index \(index) out of 0..<52")
        self = ARKit.all[index]
    }

    /// The capitalised name Live Link Face uses as a CSV column (`JawOpen`).
    public var liveLinkName: String { rawValue.prefix(1).uppercased() + rawValue.dropFirst() }

    /// Which side of the face the shape acts on: -1 the face's right, +1 its left, 0 both.
    public var side: Int {
        if rawValue.hasSuffix("Left") { return 1 }
        if rawValue.hasSuffix("Right") { return -1 }
        return 0
    }

    /// The mirrored shape (`eyeBlinkLeft` ↔ `eyeBlinkRight`; `jawLeft` ↔ `jawRight`); itself when symmetric.
    public var mirrored: ARKitBlendshape {
        let name = rawValue
        if name.hasSuffix("Left") { return ARKitBlendshape(rawValue: name.dropLast(4) + "Right")! }
        if name.hasSuffix("Right") { return ARKitBlendshape(rawValue: name.dropLast(5) + "Left")! }
        return self
    }
}

/// Schema constants shared by every format.
public enum ARKit {
    /// Number of blendshapes (52).
    public static let count = 52
    /// All shapes in canonical order.
    public static let all: [ARKitBlendshape] = ARKitBlendshape.allCases
    /// ARKit names in canonical order.
    public static let names: [String] = all.map(\.rawValue)
    static let indexByName: [String: Int] = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, $0) })

    /// Canonical index of an ARKit name, exact match (`jawOpen`).
    public static func index(of name: String) -> Int? { indexByName[name] }

    /// Canonical index of a Live Link or ARKit name, ignoring case (`JawOpen`, `jawopen`).
    public static func index(caseInsensitive name: String) -> Int? { lowercasedIndex[name.lowercased()] }
    static let lowercasedIndex: [String: Int] =
        Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1.lowercased(), $0) })

    /// The blendshapes in Live Link Face's network packet order (Unreal's `EARFaceBlendShape`, indices 0–51).
    /// Its CSV takes use `liveLinkCSVOrder`, which differs in two pairs.
    public static let liveLinkOrder: [ARKitBlendshape] = [
        .eyeBlinkLeft, .eyeLookDownLeft, .eyeLookInLeft, .eyeLookOutLeft, .eyeLookUpLeft, .eyeSquintLeft,
        .eyeWideLeft, .eyeBlinkRight, .eyeLookDownRight, .eyeLookInRight, .eyeLookOutRight, .eyeLookUpRight,
        .eyeSquintRight, .eyeWideRight, .jawForward, .jawLeft, .jawRight, .jawOpen, .mouthClose,
        .mouthFunnel, .mouthPucker, .mouthLeft, .mouthRight, .mouthSmileLeft, .mouthSmileRight,
        .mouthFrownLeft, .mouthFrownRight, .mouthDimpleLeft, .mouthDimpleRight, .mouthStretchLeft,
        .mouthStretchRight, .mouthRollLower, .mouthRollUpper, .mouthShrugLower, .mouthShrugUpper,
        .mouthPressLeft, .mouthPressRight, .mouthLowerDownLeft, .mouthLowerDownRight, .mouthUpperUpLeft,
        .mouthUpperUpRight, .browDownLeft, .browDownRight, .browInnerUp, .browOuterUpLeft, .browOuterUpRight,
        .cheekPuff, .cheekSquintLeft, .cheekSquintRight, .noseSneerLeft, .noseSneerRight, .tongueOut,
    ]

    /// The blendshape columns of a Live Link Face CSV take, in the app's order: the packet order with
    /// `JawRight, JawLeft` and `MouthRight, MouthLeft` (right first), as in a real take's header
    /// (Tests/Fixtures/livelink/SOURCE.md).
    public static let liveLinkCSVOrder: [ARKitBlendshape] = liveLinkOrder.map { shape in
        switch shape {
        case .jawLeft: .jawRight
        case .jawRight: .jawLeft
        case .mouthLeft: .mouthRight
        case .mouthRight: .mouthLeft
        default: shape
        }
    }

    /// The pose columns Live Link Face writes after the 52 blendshapes, in its order.
    public static let liveLinkPoseColumns = [
        "HeadYaw", "HeadPitch", "HeadRoll",
        "LeftEyeYaw", "LeftEyePitch", "LeftEyeRoll", "RightEyeYaw", "RightEyePitch", "RightEyeRoll",
    ]
}
