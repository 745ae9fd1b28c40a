/// An expression's value from ARKit weights: a sum of weights times factors, clamped to [0, 1]
/// (VRM expressions, which a whole viseme or emotion drives), or one ARKit weight as it is.
public struct ExpressionFormula: Sendable, Equatable {
    public struct Term: Sendable, Equatable {
        public var shape: ARKitBlendshape
        public var factor: Float
    }

    public var terms: [Term]
    /// VRM's `isBinary`: the expression is either off or fully on (above 0.5).
    public var isBinary = false

    /// One ARKit shape, passed through unchanged.
    public static func arkit(_ shape: ARKitBlendshape) -> ExpressionFormula { ExpressionFormula(terms: [Term(shape: shape, factor: 1)]) }

    /// The value at one frame, given that frame's 52 weights in ARKit order.
    func value(_ weights: ArraySlice<Float>) -> Float {
        let base = weights.startIndex
        if !isBinary, terms.count == 1, terms[0].factor == 1 { return weights[base + terms[0].shape.index] }
        var sum: Float = 0
        for term in terms { sum += term.factor * weights[base + term.shape.index] }
        let clamped = min(max(sum, 0), 1)
        return isBinary ? (clamped > 0.5 ? 1 : 0) : clamped
    }
}

/// How one morph target's weight follows the animation: the sum of the expressions bound to it, each
/// times its bind weight (a target named after an ARKit shape has one part: that shape, weight 1).
struct MorphDrive: Sendable {
    struct Part: Sendable {
        var weight: Float
        var expression: ExpressionFormula
    }

    var parts: [Part]

    static func arkit(_ index: Int) -> MorphDrive {
        MorphDrive(parts: [Part(weight: 1, expression: .arkit(ARKitBlendshape(index: index)))])
    }

    func value(_ weights: ArraySlice<Float>) -> Float {
        if parts.count == 1, parts[0].weight == 1 { return parts[0].expression.value(weights) }
        var sum: Float = 0
        for part in parts { sum += part.weight * part.expression.value(weights) }
        return sum
    }
}
