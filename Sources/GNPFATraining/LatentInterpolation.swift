import Foundation
import M2FEngine
import M2FFace
import M2FGNPFA

/// How decoded weights behave along straight lines between codes.
package struct InterpolationReport: Codable, Sendable, Equatable {
    /// Pairs of codes tested and points per line.
    package var pairs: Int
    package var steps: Int
    /// Whether every decoded weight of every point lay in [0, 1].
    package var allInRange: Bool
    /// Share of (pair, channel) curves that change monotonically: their movement against the overall
    /// direction (start → end) adds up to at most `tolerance`.
    package var monotoneShare: Float
    /// The largest such backward movement of any curve.
    package var worstReversal: Float
    package var tolerance: Float
}

package enum LatentInterpolation {
    /// `steps` points from `a` to `b` inclusive: (1 − t)·a + t·b with t = i / (steps − 1).
    package static func line(from a: [Float], to b: [Float], steps: Int) -> Tensor {
        precondition(a.count == b.count && steps >= 2)
        var values: [Float] = []
        for i in 0..<steps {
            let t = Float(i) / Float(steps - 1)
            values += zip(a, b).map { $0 + ($1 - $0) * t }
        }
        return Tensor(values, shape: [steps, a.count])
    }

    /// Backward movement of one curve against its start → end direction.
    package static func reversal(_ curve: [Float]) -> Float {
        let direction: Float = curve.last! >= curve.first! ? 1 : -1
        var back: Float = 0
        for i in 1..<curve.count { back += max(0, -(curve[i] - curve[i - 1]) * direction) }
        return back
    }

    /// Decodes lines between the codes of `pairs` held-out sampled expressions.
    package static func measure(coder: any ExpressionCoding, pairs: Int = 200, steps: Int = 32, tolerance: Float = 0.01) -> InterpolationReport {
        var sampler = ExpressionSampler(seed: 9_500_001)
        let codes = coder.encode(weights: sampler.batch(2 * pairs)).toArray()
        let z = coder.latentSize
        var inRange = true, monotone = 0, worst: Float = 0
        for p in 0..<pairs {
            let a = Array(codes[(2 * p * z)..<((2 * p + 1) * z)]), b = Array(codes[((2 * p + 1) * z)..<((2 * p + 2) * z)])
            let decoded = coder.decode(latents: line(from: a, to: b, steps: steps)).toArray()
            if decoded.contains(where: { !($0 >= 0 && $0 <= 1) }) { inRange = false }
            for k in 0..<ARKit.count {
                let back = reversal((0..<steps).map { decoded[$0 * ARKit.count + k] })
                worst = max(worst, back)
                if back <= tolerance { monotone += 1 }
            }
        }
        return InterpolationReport(pairs: pairs, steps: steps, allInRange: inRange,
                                   monotoneShare: Float(monotone) / Float(pairs * ARKit.count), worstReversal: worst, tolerance: tolerance)
    }

    /// A strip of `steps` renders of the default head along the line from the code of `from` to the
    /// code of `to` (weights, 52 each), left to right and top to bottom, t = 0 first. Each tile has a
    /// bar above it whose filled width is t.
    package static func contactSheet(coder: any ExpressionCoding, from: [Float], to: [Float], steps: Int = 8, tileSize: Int = 192,
                                    rig: FaceRig = DefaultHead.shared) -> RGBImage {
        let codes = coder.encode(weights: Tensor(from + to, shape: [2, ARKit.count])).toArray()
        let z = coder.latentSize
        let decoded = coder.decode(latents: line(from: Array(codes[0..<z]), to: Array(codes[z..<(2 * z)]), steps: steps)).toArray()
        let columns = min(steps, 8), rows = (steps + columns - 1) / columns, label = 16
        var sheet = RGBImage(width: columns * tileSize, height: rows * (tileSize + label))
        for i in sheet.pixels.indices { sheet.pixels[i] = 24 }
        let renderer = FaceRenderer(rig: rig, options: RenderOptions(width: tileSize, height: tileSize, supersample: 2, camera: .face))
        for i in 0..<steps {
            let x = (i % columns) * tileSize, y = (i / columns) * (tileSize + label)
            let filled = Int(Float(tileSize - 8) * Float(i) / Float(steps - 1))
            for by in (y + 5)..<(y + 11) {
                for bx in (x + 4)..<(x + 4 + filled) { for c in 0..<3 { sheet.pixels[(by * sheet.width + bx) * 3 + c] = 200 } }
            }
            sheet.paste(renderer.render(weights: Array(decoded[(i * ARKit.count)..<((i + 1) * ARKit.count)])), x: x, y: y + label)
        }
        return sheet
    }
}
