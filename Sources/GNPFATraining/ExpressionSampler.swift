import M2FEngine
import M2FFace
import M2FGNPFA

/// Random FACS-plausible expression frames (52 ARKit weights in [0, 1]) for training and testing the
/// expression latent space when recorded frames are scarce.
///
/// Each frame adds up independent layers, each present with its own probability, then clamps to [0, 1]:
/// - an **emotion** (happiness, sadness, anger, surprise, disgust, fear, contempt) as its FACS action
///   units mapped to ARKit shapes, at a random intensity, each unit jittered;
/// - a **viseme-like mouth shape** (open vowels, spread, rounded, bilabial press, labiodental, dental
///   with the tongue, postalveolar funnel, `mouthClose` over an open jaw);
/// - **blinks** (both eyes, sometimes a wink), **gaze** (the eyeLook shapes of both eyes agreeing on a
///   direction), **jaw and mouth sideways**, puffs and shrugs;
/// - one to three **random single shapes**, so every channel is seen on its own;
/// - a **left/right asymmetry** applied to every paired shape.
///
/// The stream is reproducible from the seed.
package struct ExpressionSampler: Sendable {
    private var generator: RandomGenerator

    package init(seed: UInt64) { generator = RandomGenerator(seed: seed) }

    typealias Unit = (ARKitBlendshape, Float)

    /// FACS patterns as ARKit shapes with their relative weights.
    static let emotions: [[Unit]] = [
        // happiness: AU6 cheek raise + AU12 lip-corner pull (+ eye squint, dimple)
        [(.cheekSquintLeft, 0.6), (.cheekSquintRight, 0.6), (.mouthSmileLeft, 0.9), (.mouthSmileRight, 0.9),
         (.eyeSquintLeft, 0.4), (.eyeSquintRight, 0.4), (.mouthDimpleLeft, 0.2), (.mouthDimpleRight, 0.2)],
        // sadness: AU1 inner brow raise + AU15 lip-corner depress (+ AU17 chin raise)
        [(.browInnerUp, 0.8), (.mouthFrownLeft, 0.7), (.mouthFrownRight, 0.7), (.mouthShrugLower, 0.3),
         (.browDownLeft, 0.15), (.browDownRight, 0.15)],
        // anger: AU4 brow lower + AU7 lid tighten + AU23/24 lip press
        [(.browDownLeft, 0.9), (.browDownRight, 0.9), (.eyeSquintLeft, 0.35), (.eyeSquintRight, 0.35),
         (.mouthPressLeft, 0.6), (.mouthPressRight, 0.6), (.noseSneerLeft, 0.25), (.noseSneerRight, 0.25)],
        // surprise: AU1+2 brow raise + AU5 upper lid raise + AU26 jaw drop
        [(.browInnerUp, 0.8), (.browOuterUpLeft, 0.8), (.browOuterUpRight, 0.8), (.eyeWideLeft, 0.8),
         (.eyeWideRight, 0.8), (.jawOpen, 0.5)],
        // disgust: AU9 nose wrinkle + AU10 upper lip raise
        [(.noseSneerLeft, 0.8), (.noseSneerRight, 0.8), (.mouthUpperUpLeft, 0.7), (.mouthUpperUpRight, 0.7),
         (.browDownLeft, 0.4), (.browDownRight, 0.4), (.cheekSquintLeft, 0.3), (.cheekSquintRight, 0.3)],
        // fear: AU1+2+4 brows + AU5 lids + AU20 lip stretch
        [(.browInnerUp, 0.7), (.browOuterUpLeft, 0.4), (.browOuterUpRight, 0.4), (.browDownLeft, 0.3),
         (.browDownRight, 0.3), (.eyeWideLeft, 0.7), (.eyeWideRight, 0.7), (.mouthStretchLeft, 0.6),
         (.mouthStretchRight, 0.6)],
        // contempt: unilateral AU12 + AU14 (the side is mirrored at random)
        [(.mouthSmileLeft, 0.5), (.mouthDimpleLeft, 0.5), (.eyeSquintLeft, 0.15)],
    ]

    /// Mouth shapes of speech (jaw and lips as separate channels).
    static let visemes: [[Unit]] = [
        [(.jawOpen, 0.6), (.mouthLowerDownLeft, 0.3), (.mouthLowerDownRight, 0.3)],                       // aa
        [(.jawOpen, 0.15), (.mouthStretchLeft, 0.4), (.mouthStretchRight, 0.4), (.mouthSmileLeft, 0.2),
         (.mouthSmileRight, 0.2)],                                                                          // iy
        [(.jawOpen, 0.15), (.mouthPucker, 0.8), (.mouthFunnel, 0.4)],                                      // uw
        [(.jawOpen, 0.35), (.mouthFunnel, 0.7), (.mouthPucker, 0.3)],                                      // ow
        [(.jawOpen, 0.35), (.mouthStretchLeft, 0.2), (.mouthStretchRight, 0.2), (.mouthLowerDownLeft, 0.2),
         (.mouthLowerDownRight, 0.2)],                                                                      // eh
        [(.mouthPressLeft, 0.5), (.mouthPressRight, 0.5), (.mouthRollLower, 0.2), (.mouthRollUpper, 0.2)], // m b p
        [(.mouthRollLower, 0.6), (.mouthUpperUpLeft, 0.2), (.mouthUpperUpRight, 0.2), (.jawOpen, 0.05)],   // f v
        [(.jawOpen, 0.15), (.tongueOut, 0.35)],                                                            // th
        [(.mouthFunnel, 0.6), (.mouthPucker, 0.3), (.jawOpen, 0.1), (.mouthShrugUpper, 0.2)],              // sh ch
        [(.jawOpen, 0.05), (.mouthStretchLeft, 0.3), (.mouthStretchRight, 0.3)],                           // s z
        [(.jawOpen, 0.5), (.mouthClose, 0.45)],                                                            // closed lips, open jaw
        [(.jawOpen, 0.25), (.mouthShrugUpper, 0.3), (.mouthShrugLower, 0.3)],                              // er
    ]

    /// The next frame: 52 weights in canonical ARKit order, each in [0, 1].
    package mutating func next() -> [Float] {
        var w = [Float](repeating: 0, count: ARKit.count)
        func add(_ units: [Unit], _ intensity: Float, mirror: Bool = false) {
            for (shape, weight) in units {
                let target = mirror ? shape.mirrored : shape
                w[target.index] += weight * intensity * uniform(0.7, 1.3)
            }
        }
        if chance(0.03) { return w }  // exact neutral
        if chance(0.6) {
            let e = generator.nextInt(below: Self.emotions.count)
            add(Self.emotions[e], uniform(0.15, 1.1), mirror: chance(0.5))
        }
        if chance(0.65) { add(Self.visemes[generator.nextInt(below: Self.visemes.count)], uniform(0.3, 1.4)) }
        if chance(0.25) {
            let blink = chance(0.5) ? 1 : uniform(0.2, 1)
            if chance(0.12) {  // a wink
                w[(chance(0.5) ? ARKitBlendshape.eyeBlinkLeft : .eyeBlinkRight).index] += blink
            } else {
                w[ARKitBlendshape.eyeBlinkLeft.index] += blink
                w[ARKitBlendshape.eyeBlinkRight.index] += blink
            }
        }
        if chance(0.5) { addGaze(&w) }
        if chance(0.15) {
            let side: ARKitBlendshape = chance(0.5) ? .jawLeft : .jawRight
            w[side.index] += uniform(0, 0.7)
            if chance(0.4) { w[ARKitBlendshape.jawForward.index] += uniform(0, 0.6) }
        }
        if chance(0.12) { w[(chance(0.5) ? ARKitBlendshape.mouthLeft : .mouthRight).index] += uniform(0, 0.8) }
        if chance(0.06) { w[ARKitBlendshape.cheekPuff.index] += uniform(0.2, 1) }
        if chance(0.1) { w[ARKitBlendshape.eyeSquintLeft.index] += uniform(0, 0.4); w[ARKitBlendshape.eyeSquintRight.index] += uniform(0, 0.4) }
        let extras = chance(0.5) ? 1 + generator.nextInt(below: 3) : 0
        for _ in 0..<extras { w[generator.nextInt(below: ARKit.count)] += uniform(0, 1) * uniform(0.3, 1) }
        // Left/right asymmetry on every pair.
        let asymmetry = chance(0.7) ? generator.nextNormal() * 0.15 : 0
        for shape in ARKit.all where shape.side == 1 {
            w[shape.index] *= 1 + asymmetry
            w[shape.mirrored.index] *= 1 - asymmetry
        }
        for k in w.indices { w[k] = min(max(w[k], 0), 1) }
        // mouthClose closes the lips against an open jaw: it never exceeds jawOpen.
        let jaw = w[ARKitBlendshape.jawOpen.index]
        w[ARKitBlendshape.mouthClose.index] = min(w[ARKitBlendshape.mouthClose.index], jaw)
        return w
    }

    /// [N, 52] frames.
    package mutating func batch(_ count: Int) -> Tensor {
        var values: [Float] = []
        values.reserveCapacity(count * ARKit.count)
        for _ in 0..<count { values += next() }
        return Tensor(values, shape: [count, ARKit.count])
    }

    /// Both eyes look the same way: out for one eye is in for the other.
    private mutating func addGaze(_ w: inout [Float]) {
        let horizontal = uniform(-1, 1) * uniform(0.2, 1)
        let vertical = uniform(-1, 1) * uniform(0.2, 1)
        if horizontal > 0 {  // toward the face's left
            w[ARKitBlendshape.eyeLookOutLeft.index] += horizontal
            w[ARKitBlendshape.eyeLookInRight.index] += horizontal
        } else {
            w[ARKitBlendshape.eyeLookInLeft.index] -= horizontal
            w[ARKitBlendshape.eyeLookOutRight.index] -= horizontal
        }
        let up: [ARKitBlendshape] = [.eyeLookUpLeft, .eyeLookUpRight], down: [ARKitBlendshape] = [.eyeLookDownLeft, .eyeLookDownRight]
        for shape in vertical > 0 ? up : down { w[shape.index] += Swift.abs(vertical) }
    }

    private mutating func chance(_ probability: Float) -> Bool { generator.nextUniform() < probability }
    private mutating func uniform(_ lower: Float, _ upper: Float) -> Float { lower + (upper - lower) * generator.nextUniform() }
}
