import Foundation
import M2FEngine
import M2FGNPFA

/// Identity disentanglement of an encoder from faces to codes.
///
/// With codes c[e][i] of E expressions on I identities (each under its own random pose):
/// - across identities: the mean distance ‖c[e][i] − c[e][j]‖ over all e and all pairs i ≠ j;
/// - across expressions: the mean distance ‖c[e][i] − c[f][i]‖ over all i and all pairs e ≠ f;
/// - ratio = across identities ÷ across expressions (0 = identity is ignored completely).
package struct DisentanglementReport: Codable, Sendable, Equatable {
    package var acrossIdentities: Float
    package var acrossExpressions: Float
    package var ratio: Float
    package var expressions: Int
    package var identities: Int

    /// `codes[e][i]` is the Z-vector of expression e on identity i.
    package init(codes: [[[Float]]]) {
        precondition(codes.count >= 2 && codes[0].count >= 2, "disentanglement needs ≥ 2 expressions and ≥ 2 identities")
        func distance(_ a: [Float], _ b: [Float]) -> Double {
            zip(a, b).reduce(0.0) { $0 + Double(($1.0 - $1.1) * ($1.0 - $1.1)) }.squareRoot()
        }
        let e = codes.count, n = codes[0].count
        var identitySum = 0.0, identityPairs = 0, expressionSum = 0.0, expressionPairs = 0
        for x in 0..<e {
            for i in 0..<n { for j in (i + 1)..<n { identitySum += distance(codes[x][i], codes[x][j]); identityPairs += 1 } }
        }
        for i in 0..<n {
            for x in 0..<e { for y in (x + 1)..<e { expressionSum += distance(codes[x][i], codes[y][i]); expressionPairs += 1 } }
        }
        acrossIdentities = Float(identitySum / Double(identityPairs))
        acrossExpressions = Float(expressionSum / Double(expressionPairs))
        ratio = acrossIdentities / max(acrossExpressions, 1e-12)
        (expressions, identities) = (e, n)
    }
}
