import M2FEngine

/// Frames that are already known at the start of a window (a stream's emitted frames), imposed on the
/// sample the way RePaint imposes keyframes: x̂₀ takes them at every step and xₜ₋₁ takes them noised to
/// that step's level, so the model continues them instead of starting afresh. All D channels (latent
/// and head pose) are imposed, so neither the face nor the head jumps where new frames begin.
package struct FramePrefix: @unchecked Sendable {
    /// [P, D] normalised frames for rows 0..<P of the window.
    package let frames: Tensor
    /// [P, D] the noise the frames are noised with at every step (a stream passes each frame's own
    /// initial noise, `FrameNoise`); nil: fresh noise from the sampler's generator at each step.
    package let noise: Tensor?

    package init(frames: Tensor, noise: Tensor? = nil) {
        precondition(frames.rank == 2 && frames.shape[0] >= 1, "a frame prefix is [P, D] with P ≥ 1, got \(frames.shape)")
        precondition(noise == nil || noise!.shape == frames.shape, "prefix noise \(noise!.shape) vs frames \(frames.shape)")
        self.frames = frames.contiguous()
        self.noise = noise
    }

    package var count: Int { frames.shape[0] }

    /// x [F, D] with rows 0..<P replaced by `rows` [P, D].
    package static func replacing(_ x: Tensor, rows: Tensor) -> Tensor {
        let (f, d, p) = (x.shape[0], x.shape[1], rows.shape[0])
        precondition(rows.shape[1] == d && p <= f, "prefix \(rows.shape) does not fit \(x.shape)")
        var values = x.contiguous().toArray()
        values.replaceSubrange(0..<(p * d), with: rows.contiguous().toArray())
        return Tensor(values, shape: [f, d])
    }

    /// x̂₀ with the known frames in place.
    package func imposingClean(on prediction: Tensor) -> Tensor { Self.replacing(prediction, rows: frames) }

    /// xₜ₋₁ with the known frames noised to the level of step `previous`.
    package func imposingNoised(on x: Tensor, schedule: CosineNoiseSchedule, previous: Int, generator: inout RandomGenerator) -> Tensor {
        let noise = self.noise ?? Tensor.randomNormal(frames.shape, generator: &generator)
        return Self.replacing(x, rows: frames * schedule.signalScale(previous) + noise * schedule.noiseScale(previous))
    }
}
