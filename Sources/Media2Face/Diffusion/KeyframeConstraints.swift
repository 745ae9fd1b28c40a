import Foundation
import M2FEngine
import M2FGNPFA

/// Keyframes prepared for sampling: RePaint-style latent targets during denoising and an exact,
/// smooth correction in ARKit space after decoding.
///
/// Method (docs/ARCHITECTURE.md):
/// 1. **Latent targets.** A full frame (all 52 weights) is encoded with the `ExpressionCoding` and then
///    refined so that *decoding* it reproduces the weights. A partial constraint ("mouthClose = 0") has
///    no latent of its own: at every step the latent the model currently predicts for that frame is
///    moved, by damped Gauss–Newton on the decoder (finite-difference Jacobian, batched into one decode),
///    to the nearest latent whose decoded constrained channels hit the targets; the other channels stay
///    close to the prediction. Nearby keys' channels join a partial key as soft, eased targets
///    (`widened`), so a range constraint (a key at every frame) cannot block the easing toward a point key.
/// 2. **RePaint, eased.** At every DDIM step the predicted x̂₀ is pulled toward the latent targets around
///    each keyframe (weight 1 at the key, a half cosine to 0 over `latentSpread` frames: a hard replacement
///    at one frame left a jump the model did not smooth), and the next noisy sample xₜ₋₁ takes the
///    targets noised to that step's level at the key frames, so the model fills in around them.
/// 3. **Exact hit.** After decoding, the residual at each constrained (frame, channel) is spread
///    smoothly: linearly between neighbouring keys whose tapers touch, and with a half-cosine taper
///    otherwise, at least `spread` frames wide and wider when the residual is large, so that the taper's
///    slope stays under the clip's own 90th-percentile speed.
package struct KeyframeConstraints: @unchecked Sendable {
    /// One constrained frame: ARKit channel → target weight.
    package struct Target: Sendable, Equatable {
        package var frame: Int
        package var channels: [Int]
        package var values: [Float]
        package var isFullFrame: Bool { channels.count == 52 }
    }

    /// Constrained frames, ascending, one entry per frame.
    package let targets: [Target]
    /// Frames of the taper in ARKit space. Default 6 (0.2 s at 30 fps); widened per key when its
    /// residual is large (`residualSpread`).
    package var spread: Int = 6
    /// Frames on each side of a keyframe that the predicted clean latents are pulled toward its target
    /// (half-cosine weights), so the model's path eases into the key instead of jumping at one frame.
    /// Default 8 (0.27 s at 30 fps).
    package var latentSpread: Int = 8
    let coding: any ExpressionCoding
    /// Statistics of the latent channels (the first Z of the frame normalisation).
    let latentNormalization: FrameNormalization
    /// Normalised latent targets of the full-frame keyframes, by frame.
    let fullFrameLatents: [Int: [Float]]

    /// - Throws: `DiffusionError.invalidKeyframe` for a time outside the clip, a channel outside 0..<52 or
    ///   a weight outside [0, 1].
    package init(keyframes: [Keyframe], frameCount: Int, fps: Double, coding: any ExpressionCoding,
                latentNormalization: FrameNormalization) throws {
        var byFrame: [Int: [Int: Float]] = [:]
        for (index, keyframe) in keyframes.enumerated() {
            let duration = Double(frameCount) / fps
            guard keyframe.time.isFinite, keyframe.time >= 0 else {
                throw DiffusionError.invalidKeyframe(index: index, problem: "time \(keyframe.time) s is not a time ≥ 0")
            }
            // Up to the clip's end (a key in the last frame's second half lands on that frame).
            guard let frame = Keyframe.frame(at: keyframe.time, fps: fps, frameCount: frameCount, end: duration + 1e-9) else {
                throw DiffusionError.invalidKeyframe(index: index, problem: String(format: "time %.4f s is after the end of the clip (%.4f s)", keyframe.time, duration))
            }
            guard !keyframe.channels.isEmpty else {
                throw DiffusionError.invalidKeyframe(index: index, problem: "no channels are constrained")
            }
            for (channel, value) in keyframe.channels {
                guard (0..<52).contains(channel) else {
                    throw DiffusionError.invalidKeyframe(index: index, problem: "channel \(channel) is not an ARKit index 0..<52")
                }
                guard value.isFinite, value >= 0, value <= 1 else {
                    throw DiffusionError.invalidKeyframe(index: index, problem: "weight \(value) for channel \(channel) is outside [0, 1]")
                }
                byFrame[frame, default: [:]][channel] = value
            }
        }
        targets = byFrame.keys.sorted().map { frame in
            let channels = byFrame[frame]!.keys.sorted()
            return Target(frame: frame, channels: channels, values: channels.map { byFrame[frame]![$0]! })
        }
        self.coding = coding
        self.latentNormalization = latentNormalization
        let full = targets.filter(\.isFullFrame)
        if full.isEmpty {
            fullFrameLatents = [:]
        } else {
            let weights = Tensor(full.flatMap(\.values), shape: [full.count, 52])
            let encoded = latentNormalization.normalize(coding.encode(weights: weights))
            let refined = Self.solve(targets: full, start: encoded, anchorWeight: 1e-6, coding: coding, normalization: latentNormalization)
            let z = coding.latentSize
            var latents: [Int: [Float]] = [:]
            for (row, target) in full.enumerated() { latents[target.frame] = Array(refined[(row * z)..<((row + 1) * z)]) }
            fullFrameLatents = latents
        }
    }

    package var isEmpty: Bool { targets.isEmpty }
    package var frames: [Int] { targets.map(\.frame) }

    /// Normalised latent targets [K, Z] at the keyframe frames for the current prediction x̂₀ [F, D]
    /// (normalised; the latent channels come first).
    package func latentTargets(prediction: Tensor) -> Tensor {
        let z = coding.latentSize
        let rows = prediction.gathered(axis: 0, indices: frames).sliced(axis: 1, 0..<z).contiguous()
        let partial = targets.enumerated().filter { !$0.element.isFullFrame }
        var values = rows.toArray()
        if !partial.isEmpty {
            let start = Tensor(partial.flatMap { Array(values[($0.offset * z)..<(($0.offset + 1) * z)]) }, shape: [partial.count, z])
            let predicted = withoutGrad { coding.decode(latents: latentNormalization.denormalize(start)) }.contiguous().toArray()
            let solved = Self.solve(targets: widened(partial.map(\.element), predicted: predicted), start: start, anchorWeight: 1e-4,
                                    coding: coding, normalization: latentNormalization)
            for (row, entry) in partial.enumerated() {
                values.replaceSubrange((entry.offset * z)..<((entry.offset + 1) * z), with: solved[(row * z)..<((row + 1) * z)])
            }
        }
        for (row, target) in targets.enumerated() where target.isFullFrame {
            values.replaceSubrange((row * z)..<((row + 1) * z), with: fullFrameLatents[target.frame]!)
        }
        return Tensor(values, shape: [targets.count, z])
    }

    /// Partial targets widened by their neighbours: the channels of a key within `latentSpread` frames
    /// that a partial key does not constrain itself become soft targets there, eased from the predicted
    /// weights `predicted` [K·52] toward the key's values (the `easing` weights; the nearest key wins).
    /// Without this a range constraint, which is a key at every frame, blocks the easing toward a point
    /// key, and the point key becomes a one-frame pop (jaw 0.21 → 0.90 → 0.21).
    func widened(_ partial: [Target], predicted: [Float]) -> [Target] {
        guard latentSpread > 0 else { return partial }
        let keyAt = Dictionary(uniqueKeysWithValues: targets.map { ($0.frame, $0) })
        return partial.enumerated().map { row, target in
            var values = Dictionary(uniqueKeysWithValues: zip(target.channels, target.values))
            let own = Set(target.channels)
            var closest: [Int: Int] = [:]
            for distance in 1...latentSpread {
                let weight = 0.5 * (1 + Foundation.cos(Float.pi * Float(distance) / Float(latentSpread + 1)))
                for frame in [target.frame - distance, target.frame + distance] {
                    guard let key = keyAt[frame] else { continue }
                    for (channel, value) in zip(key.channels, key.values) where !own.contains(channel) {
                        guard closest[channel] == nil || closest[channel] == distance else { continue }
                        let start = predicted[row * 52 + channel]
                        // Two keys at the same distance on both sides: their average.
                        let eased = start + weight * (value - start)
                        values[channel] = closest[channel] == distance ? 0.5 * (values[channel]! + eased) : eased
                        closest[channel] = distance
                    }
                }
            }
            let channels = values.keys.sorted()
            return Target(frame: target.frame, channels: channels, values: channels.map { values[$0]! })
        }
    }

    /// x [F, D] with rows `frames`, columns 0..<Z replaced by `latents` [K, Z].
    package func imposing(_ latents: Tensor, on x: Tensor) -> Tensor {
        let (f, d, z) = (x.shape[0], x.shape[1], latents.shape[1])
        var values = x.contiguous().toArray()
        let replacement = latents.toArray()
        for (row, frame) in frames.enumerated() {
            values.replaceSubrange((frame * d)..<(frame * d + z), with: replacement[(row * z)..<((row + 1) * z)])
        }
        return Tensor(values, shape: [f, d])
    }

    /// x [F, D] with columns 0..<Z eased toward the nearest keyframe's latent [K, Z]: weight 1 at the key,
    /// falling as a half cosine to 0 at `latentSpread + 1` frames away (RePaint on x̂₀ made smooth).
    package func easing(toward latents: Tensor, on x: Tensor) -> Tensor {
        guard latentSpread > 0 else { return imposing(latents, on: x) }
        let (f, d, z) = (x.shape[0], x.shape[1], latents.shape[1])
        var values = x.contiguous().toArray()
        let replacement = latents.toArray()
        let keyFrames = frames
        var nearest = 0
        for frame in 0..<f {
            while nearest + 1 < keyFrames.count, abs(keyFrames[nearest + 1] - frame) <= abs(keyFrames[nearest] - frame) { nearest += 1 }
            let distance = abs(keyFrames[nearest] - frame)
            guard distance <= latentSpread else { continue }
            let weight = 0.5 * (1 + Foundation.cos(Float.pi * Float(distance) / Float(latentSpread + 1)))
            for j in 0..<z {
                let value = values[frame * d + j]
                values[frame * d + j] = value + weight * (replacement[nearest * z + j] - value)
            }
        }
        return Tensor(values, shape: [f, d])
    }

    /// The taper width for a residual of L2 size `magnitude` at one key: at least `spread`, wide enough
    /// that the half cosine's steepest slope (π·r / (2·(s + 1)) per frame) stays under `speedBudget`,
    /// and at most 1 s of frames (30).
    static func residualSpread(magnitude: Float, speedBudget: Float, minimum: Int) -> Int {
        guard speedBudget > 0, magnitude > 0 else { return minimum }
        let needed = Int((Float.pi * magnitude / (2 * speedBudget)).rounded(.up)) - 1
        return min(max(minimum, needed), 30)
    }

    /// Decoded weights [F, 52] → the same with every constrained channel exactly at its target at its
    /// frame, the residual spread smoothly to the neighbours, and everything kept in [0, 1].
    package func snapping(_ weights: Tensor) -> Tensor {
        let f = weights.shape[0]
        var values = weights.contiguous().toArray()
        let original = values
        // A large residual spread over a few frames would itself be a velocity spike: each key's taper
        // widens until its steepest slope stays under the clip's own 90th-percentile speed.
        let budget = Self.speedPercentile(original, frames: f, quantile: 0.9)
        var spreadAt: [Int: Int] = [:]
        for target in targets {
            var squared: Float = 0
            for (i, channel) in target.channels.enumerated() { let r = target.values[i] - original[target.frame * 52 + channel]; squared += r * r }
            spreadAt[target.frame] = Self.residualSpread(magnitude: squared.squareRoot(), speedBudget: budget, minimum: spread)
        }
        for channel in 0..<52 {
            let keys = targets.compactMap { target in
                target.channels.firstIndex(of: channel).map { (frame: target.frame, residual: target.values[$0] - original[target.frame * 52 + channel],
                                                               spread: spreadAt[target.frame]!) }
            }
            guard !keys.isEmpty else { continue }
            var field = [Float](repeating: 0, count: f)
            func taper(_ distance: Int, _ width: Int) -> Float { 0.5 * (1 + Foundation.cos(Float.pi * Float(distance) / Float(width + 1))) }
            for (index, key) in keys.enumerated() {
                field[key.frame] = key.residual
                let next = index + 1 < keys.count ? keys[index + 1] : nil
                if let next, next.frame - key.frame <= key.spread + next.spread {
                    for frame in (key.frame + 1)..<next.frame {
                        let u = Float(frame - key.frame) / Float(next.frame - key.frame)
                        field[frame] = key.residual * (1 - u) + next.residual * u
                    }
                } else {
                    for distance in 1...key.spread where key.frame + distance < f { field[key.frame + distance] += key.residual * taper(distance, key.spread) }
                }
                let previousIsClose = index > 0 && key.frame - keys[index - 1].frame <= keys[index - 1].spread + key.spread
                if !previousIsClose {
                    for distance in 1...key.spread where key.frame - distance >= 0 { field[key.frame - distance] += key.residual * taper(distance, key.spread) }
                }
            }
            for frame in 0..<f { values[frame * 52 + channel] = min(max(original[frame * 52 + channel] + field[frame], 0), 1) }
        }
        return Tensor(values, shape: [f, 52])
    }

    /// The `quantile` of the frame-to-frame speeds ‖w[i] − w[i−1]‖₂ of weights [F, 52] (row-major).
    static func speedPercentile(_ weights: [Float], frames: Int, quantile: Double) -> Float {
        guard frames >= 2 else { return 0 }
        var speeds: [Float] = []
        speeds.reserveCapacity(frames - 1)
        for i in 1..<frames {
            var squared: Float = 0
            for c in 0..<52 { let d = weights[i * 52 + c] - weights[(i - 1) * 52 + c]; squared += d * d }
            speeds.append(squared.squareRoot())
        }
        speeds.sort()
        return speeds[min(speeds.count - 1, Int(quantile * Double(speeds.count - 1)))]
    }

    /// Damped Gauss–Newton in normalised latent space: per target row, minimise
    /// ‖decode(z)[C] − target‖² + μ·‖z − start‖² from `start` [K, Z], with a forward-difference Jacobian.
    /// - Returns: the K·Z solved latents, row-major.
    static func solve(targets: [Target], start: Tensor, anchorWeight mu: Double, coding: any ExpressionCoding,
                      normalization: FrameNormalization, iterations: Int = 10) -> [Float] {
        let (k, z) = (targets.count, coding.latentSize)
        let anchor = start.contiguous().toArray().map(Double.init)
        var current = anchor
        let h = 1e-2
        var damping = Array(repeating: 1e-3, count: k)
        func decode(_ rows: [Double], count: Int) -> [Float] {
            let latents = normalization.denormalize(Tensor(rows.map(Float.init), shape: [count, z]))
            return withoutGrad { coding.decode(latents: latents) }.contiguous().toArray()
        }
        func objective(_ row: Int, _ latent: ArraySlice<Double>, _ decoded: ArraySlice<Float>) -> Double {
            let target = targets[row]
            var total = 0.0
            for (i, channel) in target.channels.enumerated() { let r = Double(decoded[decoded.startIndex + channel] - target.values[i]); total += r * r }
            for j in 0..<z { let d = latent[latent.startIndex + j] - anchor[row * z + j]; total += mu * d * d }
            return total
        }
        for _ in 0..<iterations {
            // Rows: for each target, z then z + h·e_j for j in 0..<Z.
            var probes: [Double] = []
            probes.reserveCapacity(k * (z + 1) * z)
            for row in 0..<k {
                let base = Array(current[(row * z)..<((row + 1) * z)])
                probes += base
                for j in 0..<z { var p = base; p[j] += h; probes += p }
            }
            let decoded = decode(probes, count: k * (z + 1))
            var proposal = current
            for row in 0..<k {
                let target = targets[row]
                let baseOffset = row * (z + 1) * 52
                let m = target.channels.count
                var jacobian = [Double](repeating: 0, count: m * z)
                var residual = [Double](repeating: 0, count: m)
                for (i, channel) in target.channels.enumerated() {
                    let value = Double(decoded[baseOffset + channel])
                    residual[i] = value - Double(target.values[i])
                    for j in 0..<z { jacobian[i * z + j] = (Double(decoded[baseOffset + (j + 1) * 52 + channel]) - value) / h }
                }
                var normal = [Double](repeating: 0, count: z * z)
                var gradient = [Double](repeating: 0, count: z)
                for a in 0..<z {
                    for b in a..<z {
                        var s = 0.0
                        for i in 0..<m { s += jacobian[i * z + a] * jacobian[i * z + b] }
                        normal[a * z + b] = s; normal[b * z + a] = s
                    }
                    var g = mu * (current[row * z + a] - anchor[row * z + a])
                    for i in 0..<m { g += jacobian[i * z + a] * residual[i] }
                    gradient[a] = g
                    normal[a * z + a] += mu + damping[row]
                }
                let step = Self.choleskySolve(normal, gradient, size: z)
                for j in 0..<z { proposal[row * z + j] = current[row * z + j] - step[j] }
            }
            // Accept per row where the objective went down (Levenberg–Marquardt damping otherwise).
            let proposed = decode(proposal, count: k)
            for row in 0..<k {
                let before = objective(row, current[(row * z)..<((row + 1) * z)], decoded[(row * (z + 1) * 52)..<(row * (z + 1) * 52 + 52)])
                let after = objective(row, proposal[(row * z)..<((row + 1) * z)], proposed[(row * 52)..<(row * 52 + 52)])
                if after < before {
                    for j in 0..<z { current[row * z + j] = proposal[row * z + j] }
                    damping[row] = max(damping[row] / 3, 1e-6)
                } else {
                    damping[row] *= 10
                }
            }
        }
        return current.map(Float.init)
    }

    /// Solves A·x = b for a symmetric positive definite A (n × n, row-major) by Cholesky.
    static func choleskySolve(_ a: [Double], _ b: [Double], size n: Int) -> [Double] {
        var l = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in 0...i {
                var s = a[i * n + j]
                for k in 0..<j { s -= l[i * n + k] * l[j * n + k] }
                l[i * n + j] = i == j ? Foundation.sqrt(max(s, 1e-12)) : s / l[j * n + j]
            }
        }
        var y = [Double](repeating: 0, count: n)
        for i in 0..<n {
            var s = b[i]
            for k in 0..<i { s -= l[i * n + k] * y[k] }
            y[i] = s / l[i * n + i]
        }
        var x = [Double](repeating: 0, count: n)
        for i in stride(from: n - 1, through: 0, by: -1) {
            var s = y[i]
            for k in (i + 1)..<n { s -= l[k * n + i] * x[k] }
            x[i] = s / l[i * n + i]
        }
        return x
    }
}
