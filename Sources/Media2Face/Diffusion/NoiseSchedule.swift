import Foundation
import M2FEngine

/// The cosine noise schedule of Nichol & Dhariwal (2021), as used by MDM and Media2Face.
///
/// ᾱ(u) = f(u) / f(0) with f(u) = cos²((u + s) / (1 + s) · π/2), u = t / T, s = 0.008;
/// βₜ = min(1 − ᾱ((t+1)/T) / ᾱ(t/T), 0.999) for t in 0..<T, and ᾱₜ = Π_{k ≤ t} (1 − βₖ)
/// (guided-diffusion's `betas_for_alpha_bar`). Step t = 0 is the least noisy, t = T − 1 the most.
/// Values are computed in Double and stored as Float (the reference is
/// `scripts/fixtures/make_diffusion_fixtures.py`).
package struct CosineNoiseSchedule: Sendable, Equatable {
    /// T, the number of training steps (500 in the paper).
    package let stepCount: Int
    /// βₜ, t in 0..<T.
    package let betas: [Double]
    /// ᾱₜ = Π_{k ≤ t} (1 − βₖ), t in 0..<T.
    package let alphasCumulative: [Double]

    package init(stepCount: Int = 500, offset: Double = 0.008, maximumBeta: Double = 0.999) {
        precondition(stepCount > 1, "a noise schedule needs at least 2 steps, not \(stepCount)")
        self.stepCount = stepCount
        func alphaBar(_ u: Double) -> Double {
            let c = Foundation.cos((u + offset) / (1 + offset) * Double.pi / 2)
            return c * c
        }
        var betas: [Double] = []
        var cumulative: [Double] = []
        var product = 1.0
        for t in 0..<stepCount {
            let beta = min(1 - alphaBar(Double(t + 1) / Double(stepCount)) / alphaBar(Double(t) / Double(stepCount)), maximumBeta)
            betas.append(beta)
            product *= 1 - beta
            cumulative.append(product)
        }
        self.betas = betas
        alphasCumulative = cumulative
    }

    /// √ᾱₜ, the weight of the clean signal at step t.
    package func signalScale(_ t: Int) -> Float { Float(alphasCumulative[t].squareRoot()) }

    /// √(1 − ᾱₜ), the weight of the noise at step t.
    package func noiseScale(_ t: Int) -> Float { Float((1 - alphasCumulative[t]).squareRoot()) }

    /// q(xₜ | x₀): √ᾱₜ·x₀ + √(1 − ᾱₜ)·ε, one step per batch item.
    /// - Parameters: clean x₀ [B, T, D], noise ε [B, T, D], steps (B of them).
    package func addNoise(clean: Tensor, noise: Tensor, steps: [Int]) -> Tensor {
        precondition(clean.shape == noise.shape && clean.rank == 3 && clean.shape[0] == steps.count,
                     "addNoise: clean \(clean.shape), noise \(noise.shape), \(steps.count) steps")
        let b = steps.count
        let signal = Tensor(steps.map { signalScale($0) }, shape: [b, 1, 1])
        let sigma = Tensor(steps.map { noiseScale($0) }, shape: [b, 1, 1])
        return clean * signal + noise * sigma
    }

    /// The DDIM timesteps for `count` sampling steps, from the noisiest (T − 1) down to 0, evenly spaced:
    /// tᵢ = round((count − 1 − i) · (T − 1) / (count − 1)). One step samples at T − 1 only.
    package func samplingSteps(count: Int) -> [Int] {
        precondition(count >= 1 && count <= stepCount, "DDIM steps \(count) not in 1...\(stepCount)")
        if count == 1 { return [stepCount - 1] }
        return (0..<count).map { i in
            Int((Double(count - 1 - i) * Double(stepCount - 1) / Double(count - 1)).rounded())
        }
    }

    /// One deterministic DDIM update (η = 0) from step t to `previous` (nil: the end, ᾱ = 1) given the
    /// predicted clean sample: ε̂ = (xₜ − √ᾱₜ·x̂₀) / √(1 − ᾱₜ), x_prev = √ᾱ_prev·x̂₀ + √(1 − ᾱ_prev)·ε̂.
    /// - Parameters: xₜ and x̂₀ of the same shape.
    package func ddimStep(noisy: Tensor, predictedClean: Tensor, step t: Int, previous: Int?) -> Tensor {
        precondition(noisy.shape == predictedClean.shape, "DDIM: noisy \(noisy.shape) vs predicted \(predictedClean.shape)")
        guard let previous else { return predictedClean }
        let noiseEstimate = (noisy - predictedClean * signalScale(t)) * (1 / noiseScale(t))
        return predictedClean * signalScale(previous) + noiseEstimate * noiseScale(previous)
    }
}
