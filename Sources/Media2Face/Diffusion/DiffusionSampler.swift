import Foundation
import M2FEngine

/// Run options of sampling (not part of the model).
public struct SamplingOptions: Sendable, Equatable {
    /// DDIM steps, 1...T. Default `defaultSteps`.
    package var steps: Int
    /// sA, the audio guidance scale. Default `defaultAudioGuidance`.
    package var audioGuidance: Float
    /// sP, the style (prompt) guidance scale. Default `defaultStyleGuidance`.
    package var styleGuidance: Float
    /// Seeds the initial noise and RePaint's noise.
    package var seed: UInt64
    /// Frames shared by neighbouring windows (cross-faded). Default 24 (0.8 s at 30 fps).
    package var overlap: Int
    /// Largest number of windows (over all branches) per forward pass; bounds memory for long clips.
    package var maximumBatch: Int
    /// x̂₀ is clamped to ±this many data standard deviations at each step (guidance extrapolates).
    package var clampStd: Float

    /// The defaults, chosen on the full validation split of the default dataset (docs/ARCHITECTURE.md,
    /// "Choosing steps and guidance"): with the paper's 2.5 / 1.5 and 25 steps our model moved the upper
    /// face about twice as much as the reference (FDD worse than the regressor's) and lost LVE; 10 steps
    /// at 0.5 / 1 keep lip closure above 0.9, beat the regressor on LVE and FDD, and run 2.5× faster.
    public static let defaultSteps = 10
    public static let defaultAudioGuidance: Float = 0.5
    public static let defaultStyleGuidance: Float = 1.0

    package init(steps: Int = SamplingOptions.defaultSteps, audioGuidance: Float = SamplingOptions.defaultAudioGuidance,
                styleGuidance: Float = SamplingOptions.defaultStyleGuidance, seed: UInt64 = 0,
                overlap: Int = 24, maximumBatch: Int = 96, clampStd: Float = 6) {
        self.steps = steps
        self.audioGuidance = audioGuidance
        self.styleGuidance = styleGuidance
        self.seed = seed
        self.overlap = overlap
        self.maximumBatch = maximumBatch
        self.clampStd = clampStd
    }

    /// - Throws: `DiffusionError.invalidOption` for out-of-range values.
    package func validate(diffusionSteps: Int, windowLength: Int) throws {
        guard (1...diffusionSteps).contains(steps) else {
            throw DiffusionError.invalidOption(name: "steps", value: "\(steps)", allowed: "1...\(diffusionSteps)")
        }
        for (name, value) in [("audio guidance", audioGuidance), ("style guidance", styleGuidance)] {
            guard value.isFinite, value >= 0, value <= 20 else {
                throw DiffusionError.invalidOption(name: name, value: "\(value)", allowed: "0...20 (0 disables that guidance term)")
            }
        }
        guard overlap >= 0, overlap < windowLength else {
            throw DiffusionError.invalidOption(name: "overlap", value: "\(overlap)", allowed: "0..<\(windowLength) frames")
        }
        guard maximumBatch >= 3 else {
            throw DiffusionError.invalidOption(name: "maximum batch", value: "\(maximumBatch)", allowed: "≥ 3")
        }
        guard clampStd > 0 else { throw DiffusionError.invalidOption(name: "clamp", value: "\(clampStd)", allowed: "> 0") }
    }
}

/// DDIM sampling with two-scale classifier-free guidance over overlapping windows, batched.
///
/// At every step the whole clip's xₜ [F, D] is cut into windows (`WindowPlan`); every window of every
/// guidance branch — f(∅,∅), f(A,∅), f(A,P) — goes through the denoiser in one batch (chunks of at most
/// `maximumBatch` for long clips), the branches are combined as
/// x̂₀ = (1 − sA − sP)·f(∅,∅) + sA·f(A,∅) + sP·f(A,P), the windows are cross-faded into one x̂₀ [F, D],
/// keyframes are imposed (RePaint) and DDIM moves the whole clip to the next step. Without any style
/// f(A,P) = f(A,∅), so only two branches run.
package struct DiffusionSampler {
    package let denoiser: Media2FaceDenoiser
    package let schedule: CosineNoiseSchedule

    package init(denoiser: Media2FaceDenoiser) {
        self.denoiser = denoiser
        schedule = CosineNoiseSchedule(stepCount: denoiser.configuration.diffusionSteps)
    }

    /// One denoiser pass per guidance branch: which conditions it sees and its weight in the combination.
    package struct GuidanceBranch: Sendable, Equatable {
        package var audio: Bool
        package var style: Bool
        package var weight: Float
        package init(audio: Bool, style: Bool, weight: Float) {
            self.audio = audio
            self.style = style
            self.weight = weight
        }
    }

    /// The branches of two-scale guidance, x̂₀ = (1 − sA − sP)·f(∅,∅) + sA·f(A,∅) + sP·f(A,P).
    /// Without style f(A,P) = f(A,∅), so its weight joins that branch; zero-weight branches are dropped;
    /// the regression baseline runs f(A,P) alone.
    /// `keepingAudioBranch` keeps f(A,∅) even at weight 0 (per-frame style strength needs it).
    package static func guidanceBranches(audioGuidance sA: Float, styleGuidance sP: Float, hasStyle: Bool,
                                        objective: DenoiserObjective = .diffusion, keepingAudioBranch: Bool = false) -> [GuidanceBranch] {
        if objective == .regression { return [GuidanceBranch(audio: true, style: hasStyle, weight: 1)] }
        var branches = hasStyle
            ? [GuidanceBranch(audio: false, style: false, weight: 1 - sA - sP), GuidanceBranch(audio: true, style: false, weight: sA),
               GuidanceBranch(audio: true, style: true, weight: sP)]
            : [GuidanceBranch(audio: false, style: false, weight: 1 - sA - sP), GuidanceBranch(audio: true, style: false, weight: sA + sP)]
        let active = branches.filter { $0.weight != 0 || (keepingAudioBranch && $0.audio && !$0.style) }
        if !active.isEmpty { branches = active }
        return branches
    }

    /// Σ weightᵦ · outputᵦ over the branches (outputs in branch order, all the same shape).
    package static func combine(_ outputs: [Tensor], branches: [GuidanceBranch]) -> Tensor {
        precondition(outputs.count == branches.count, "\(outputs.count) outputs for \(branches.count) branches")
        var guided = outputs[0] * branches[0].weight
        for (output, branch) in zip(outputs, branches).dropFirst() { guided = guided + output * branch.weight }
        return guided
    }

    /// Samples a normalised sequence [F, D].
    /// - Parameters:
    ///   - audio: Whisper features at the model's frame rate [F, 384].
    ///   - styleTokens: per-frame style tokens [F, C] (`StyleGuidance.frameTokens`), nil for no style.
    ///   - styleStrength: per-frame scale s [F, 1] of the style term (`StyleGuidance.strengths`), nil for 1:
    ///     x̂₀ = (1 − sA − sP)·f(∅,∅) + sA·f(A,∅) + sP·(s·f(A,P) + (1 − s)·f(A,∅)).
    ///   - keyframes: constraints imposed at every step (may be empty).
    ///   - prefix: known first frames (a stream's emitted frames), imposed at every step; nil for none.
    ///   - initialNoise: x_T [F, D] (a stream's `FrameNoise` rows); nil: drawn from the seed.
    ///   - progress: (step done, steps) after each step; what it throws (a `CancellationError`) stops
    ///     sampling there, so a cancelled caller waits at most one step.
    ///   - restingStyle: the style token [1, C] of the audio branch f(A,·) (the neutral emotion's token:
    ///     with no style the face is the trained neutral, and a style pushes away from it); nil: the null
    ///     token, the average over every style in training (a worried, scowling face in silence).
    package func sample(audio: Tensor, styleTokens: Tensor?, styleStrength: Tensor? = nil, restingStyle: Tensor? = nil, keyframes: KeyframeConstraints?,
                       prefix: FramePrefix? = nil, initialNoise: Tensor? = nil, options: SamplingOptions,
                       progress: (Int, Int) throws -> Void = { _, _ in }) rethrows -> Tensor {
        let configuration = denoiser.configuration
        let (f, d) = (audio.shape[0], configuration.frameSize)
        let plan = WindowPlan(frameCount: f, windowLength: configuration.windowLength, overlap: options.overlap)
        let (n, length) = (plan.windowCount, plan.windowLength)
        let audioWindows = plan.split(audio)
        let styleWindows = styleTokens.map { plan.split($0) }
        let nullStyle = denoiser.style.nullToken.value.reshaped([1, 1, configuration.width])
        let audioBranchStyle = restingStyle?.reshaped([1, 1, configuration.width]) ?? nullStyle

        // A strength below 1 somewhere: the style term is scaled per frame (it needs f(A,∅) and f(A,P)).
        let strengthWindows = styleWindows == nil || configuration.objective == .regression ? nil
            : styleStrength.flatMap { strength in strength.toArray().allSatisfy { $0 == 1 } ? nil : plan.split(strength) }
        let branches = Self.guidanceBranches(audioGuidance: options.audioGuidance, styleGuidance: options.styleGuidance,
                                             hasStyle: styleWindows != nil, objective: configuration.objective,
                                             keepingAudioBranch: strengthWindows != nil)
        let audioOnly = branches.firstIndex { $0.audio && !$0.style }, styled = branches.firstIndex { $0.audio && $0.style }
        var generator = RandomGenerator(seed: options.seed)
        let stepsToRun = configuration.objective == .regression ? [configuration.diffusionSteps - 1] : schedule.samplingSteps(count: options.steps)
        precondition(initialNoise == nil || initialNoise!.shape == [f, d], "initial noise \(initialNoise!.shape) for [\(f), \(d)]")
        var x = configuration.objective == .regression ? Tensor.zeros([f, d]) : initialNoise ?? Tensor.randomNormal([f, d], generator: &generator)
        let windowsPerChunk = max(1, options.maximumBatch / branches.count)

        let chunks = stride(from: 0, to: n, by: windowsPerChunk).map { $0..<min($0 + windowsPerChunk, n) }
        // The branch conditions of a chunk [branches·m, N, C] do not change over the steps: computed once
        // (unless that would hold more than 64 M floats, for very long clips).
        func chunkCondition(_ chunk: Range<Int>) -> Tensor {
            withoutGrad {
                let audioCondition = denoiser.audioCondition(features: audioWindows.sliced(axis: 0, chunk))
                let nullAudio = denoiser.nullAudioCondition(batch: chunk.count, frames: length)
                return Tensor.concatenate(branches.map { branch -> Tensor in
                    (branch.audio ? audioCondition : nullAudio)
                        + (branch.style ? styleWindows!.sliced(axis: 0, chunk) : branch.audio ? audioBranchStyle : nullStyle)
                }, axis: 0).contiguous()
            }
        }
        let cached: [Tensor]? = n * length * configuration.width * branches.count <= 64 << 20 ? chunks.map(chunkCondition) : nil

        for (index, t) in stepsToRun.enumerated() {
            let stepEmbedding = withoutGrad { denoiser.stepEmbedding([t]) }
            let noisyWindows = plan.split(x)
            var guidedChunks: [Tensor] = []
            for (chunkIndex, chunk) in chunks.enumerated() {
                let m = chunk.count
                let noisy = noisyWindows.sliced(axis: 0, chunk)
                let condition = cached?[chunkIndex] ?? chunkCondition(chunk)
                let prediction: Tensor = withoutGrad {
                    let batchedNoisy = Tensor.concatenate(Array(repeating: noisy, count: branches.count), axis: 0)
                    let out = denoiser(noisy: batchedNoisy, stepEmbedding: stepEmbedding, condition: condition)
                    let outputs = (0..<branches.count).map { out.sliced(axis: 0, ($0 * m)..<(($0 + 1) * m)) }
                    let guided = Self.combine(outputs, branches: branches)
                    guard let strengthWindows, let audioOnly, let styled else { return guided }
                    // sP·(s − 1)·(f(A,P) − f(A,∅)) turns the full style term into the per-frame scaled one.
                    let scale = (strengthWindows.sliced(axis: 0, chunk) - 1) * options.styleGuidance
                    return guided + (outputs[styled] - outputs[audioOnly]) * scale
                }
                guidedChunks.append(prediction)
            }
            var clean = withoutGrad { plan.blend(Tensor.concatenate(guidedChunks, axis: 0)).clamped(-options.clampStd, options.clampStd) }
            let previous = index + 1 < stepsToRun.count ? stepsToRun[index + 1] : nil
            var targets: Tensor?
            if let keyframes, !keyframes.isEmpty {
                let latentTargets = keyframes.latentTargets(prediction: clean)
                clean = keyframes.easing(toward: latentTargets, on: clean)
                targets = latentTargets
            }
            if let prefix { clean = prefix.imposingClean(on: clean) }
            x = configuration.objective == .regression ? clean
                : withoutGrad { schedule.ddimStep(noisy: x, predictedClean: clean, step: t, previous: previous) }
            if let keyframes, let targets, let previous {
                // RePaint: the known frames of x_prev are the targets noised to step `previous`.
                let noise = Tensor.randomNormal(targets.shape, generator: &generator)
                let noised = targets * schedule.signalScale(previous) + noise * schedule.noiseScale(previous)
                x = keyframes.imposing(noised, on: x)
            }
            if let prefix, let previous {
                x = prefix.imposingNoised(on: x, schedule: schedule, previous: previous, generator: &generator)
            }
            try progress(index + 1, stepsToRun.count)
        }
        return x
    }
}
