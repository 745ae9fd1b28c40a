import M2FFace

/// Canonical ARKit indices, resolved once (the enum's `index` looks the name up in a dictionary).
enum ARKitBlendshapeIndex {
    static let jawOpen = ARKitBlendshape.jawOpen.index
    static let mouthClose = ARKitBlendshape.mouthClose.index
    static let mouthPucker = ARKitBlendshape.mouthPucker.index
    static let mouthFunnel = ARKitBlendshape.mouthFunnel.index
    static let mouthStretchLeft = ARKitBlendshape.mouthStretchLeft.index
    static let mouthStretchRight = ARKitBlendshape.mouthStretchRight.index
    static let mouthSmileLeft = ARKitBlendshape.mouthSmileLeft.index
    static let mouthSmileRight = ARKitBlendshape.mouthSmileRight.index
    static let mouthLowerDownLeft = ARKitBlendshape.mouthLowerDownLeft.index
    static let mouthLowerDownRight = ARKitBlendshape.mouthLowerDownRight.index
    static let mouthUpperUpLeft = ARKitBlendshape.mouthUpperUpLeft.index
    static let mouthUpperUpRight = ARKitBlendshape.mouthUpperUpRight.index
    static let mouthRollLower = ARKitBlendshape.mouthRollLower.index
    static let mouthPressLeft = ARKitBlendshape.mouthPressLeft.index
    static let mouthPressRight = ARKitBlendshape.mouthPressRight.index
    static let tongueOut = ARKitBlendshape.tongueOut.index
    static let eyeBlinkLeft = ARKitBlendshape.eyeBlinkLeft.index
    static let eyeBlinkRight = ARKitBlendshape.eyeBlinkRight.index
    static let eyeLookOutLeft = ARKitBlendshape.eyeLookOutLeft.index
    static let eyeLookOutRight = ARKitBlendshape.eyeLookOutRight.index
    static let eyeLookInLeft = ARKitBlendshape.eyeLookInLeft.index
    static let eyeLookInRight = ARKitBlendshape.eyeLookInRight.index
    static let eyeLookUpLeft = ARKitBlendshape.eyeLookUpLeft.index
    static let eyeLookUpRight = ARKitBlendshape.eyeLookUpRight.index
    static let eyeLookDownLeft = ARKitBlendshape.eyeLookDownLeft.index
    static let eyeLookDownRight = ARKitBlendshape.eyeLookDownRight.index
    static let lipCorners: [Int] = [mouthSmileLeft, mouthSmileRight, mouthStretchLeft, mouthStretchRight,
                                    ARKitBlendshape.mouthDimpleLeft.index, ARKitBlendshape.mouthDimpleRight.index]
    /// Shapes that part the lips: held back while the lips are sealed for p b m.
    static let lipOpeners: [Int] = [mouthFunnel, mouthStretchLeft, mouthStretchRight, mouthLowerDownLeft,
                                    mouthLowerDownRight, mouthUpperUpLeft, mouthUpperUpRight, tongueOut,
                                    ARKitBlendshape.mouthRollLower.index, ARKitBlendshape.mouthRollUpper.index]
}

/// Articulators → ARKit weights for one frame (the JALI split: jaw and lips are separate inputs).
///
/// jawOpen = gains.jawOpen · jaw; mouthPucker = gains.pucker · round; mouthFunnel = gains.funnel ·
/// funnel; spreading drives mouthStretch and (weakly) mouthSmile; lowerDown / upperUp part the
/// lips for open vowels; tongueOut for dentals. Labiodental contact l rolls the lower lip in, lifts
/// the upper lip slightly and holds the jaw near `labiodentalJaw`. Bilabial closure c is applied
/// last, after the emotion overlay (`sealLips`): every lip opener is scaled by (1 − c) and
/// mouthClose = c · `mouthCloseRatio` · jawOpen, which seals the lips at any jaw opening.
enum ArticulationMapping {
    static func speechWeights(jaw: Double, round: Double, funnel: Double, spread: Double, lowerDown: Double, upperUp: Double,
                              tongue: Double, press: Double, labiodental l: Double, leftGain: Double, rightGain: Double,
                              configuration c: TeacherConfiguration, into weights: inout [Float]) {
        let g = c.gains
        let heldJaw = jaw * (1 - l) + l * min(jaw, c.labiodentalJaw)
        typealias I = ARKitBlendshapeIndex
        weights[I.jawOpen] += Float(g.jawOpen * heldJaw)
        weights[I.mouthPucker] += Float(g.pucker * round)
        weights[I.mouthFunnel] += Float(g.funnel * funnel * (1 - l))
        weights[I.mouthStretchLeft] += Float(g.stretch * spread * leftGain)
        weights[I.mouthStretchRight] += Float(g.stretch * spread * rightGain)
        weights[I.mouthSmileLeft] += Float(g.smile * spread * leftGain)
        weights[I.mouthSmileRight] += Float(g.smile * spread * rightGain)
        let down = g.lowerDown * lowerDown * (1 - l)
        weights[I.mouthLowerDownLeft] += Float(down * leftGain)
        weights[I.mouthLowerDownRight] += Float(down * rightGain)
        let up = g.upperUp * upperUp * (1 - l) + g.labiodentalUpperUp * l
        weights[I.mouthUpperUpLeft] += Float(up * leftGain)
        weights[I.mouthUpperUpRight] += Float(up * rightGain)
        weights[I.mouthRollLower] += Float(g.labiodentalRollLower * l)
        weights[I.tongueOut] += Float(g.tongueOut * tongue)
        weights[I.mouthPressLeft] += Float(g.stopPress * press)
        weights[I.mouthPressRight] += Float(g.stopPress * press)
    }

    /// Shrinks the lip-corner pulls by `roundingSuppressesCorners` × rounding (round + ½ funnel).
    static func yieldCornersToRounding(round: Double, funnel: Double, configuration c: TeacherConfiguration, weights: inout [Float]) {
        let rounding = min(1, round + 0.5 * funnel)
        let keep = Float(1 - c.gains.roundingSuppressesCorners * rounding)
        for i in ARKitBlendshapeIndex.lipCorners { weights[i] *= keep }
    }

    /// Seals the lips with closure c (0…1) and clamps every weight to [0, 1].
    static func sealLips(closure c: Float, mouthCloseRatio ratio: Float, weights: inout [Float]) {
        for i in weights.indices { weights[i] = min(1, max(0, weights[i])) }
        guard c > 0 else { return }
        for i in ARKitBlendshapeIndex.lipOpeners { weights[i] *= 1 - c }
        let jaw = weights[ARKitBlendshapeIndex.jawOpen]
        weights[ARKitBlendshapeIndex.mouthClose] = min(1, max(weights[ARKitBlendshapeIndex.mouthClose], c * ratio * jaw))
    }
}
