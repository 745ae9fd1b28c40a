import M2FEngine

/// How a clip of any length is covered by overlapping windows that are denoised together as one batch.
///
/// F ≤ N: one window of F frames. F > N: n = ⌈(F − O) / (N − O)⌉ windows of exactly N frames whose starts
/// are spread evenly from 0 to F − N, so every overlap is at least O frames. Each window weighs its frames
/// with a trapezoid: 1 in its middle, rising linearly across the first overlap and falling across the last
/// (clip ends keep weight 1). Blending is Σ wᵢ·xᵢ / Σ wᵢ, a cross-fade with no seam.
package struct WindowPlan: Sendable, Equatable {
    /// F, the clip's frames.
    package let frameCount: Int
    /// Frames per window (N, or F when the clip is shorter).
    package let windowLength: Int
    /// Window starts (frame indices), ascending.
    package let starts: [Int]
    /// Per window, its N frame weights.
    package let weights: [[Float]]
    /// 1 / Σ weights at each frame of the clip.
    let inverseTotals: [Float]

    /// - Parameters: frameCount F ≥ 1, windowLength N ≥ 1, overlap O in 0..<N.
    package init(frameCount: Int, windowLength: Int, overlap: Int) {
        precondition(frameCount >= 1 && windowLength >= 1 && overlap >= 0 && overlap < windowLength,
                     "window plan: \(frameCount) frames, window \(windowLength), overlap \(overlap)")
        self.frameCount = frameCount
        if frameCount <= windowLength {
            self.windowLength = frameCount
            starts = [0]
        } else {
            self.windowLength = windowLength
            let count = (frameCount - overlap + (windowLength - overlap) - 1) / (windowLength - overlap)
            let span = Double(frameCount - windowLength)
            starts = (0..<count).map { Int((span * Double($0) / Double(max(count - 1, 1))).rounded()) }
        }
        var weights: [[Float]] = []
        var totals = [Float](repeating: 0, count: frameCount)
        for (index, start) in starts.enumerated() {
            var w = [Float](repeating: 1, count: self.windowLength)
            if index > 0 {
                let ramp = starts[index - 1] + self.windowLength - start  // frames shared with the previous window
                for i in 0..<min(ramp, self.windowLength) { w[i] = min(w[i], Float(i + 1) / Float(ramp + 1)) }
            }
            if index + 1 < starts.count {
                let ramp = start + self.windowLength - starts[index + 1]
                for i in 0..<min(ramp, self.windowLength) {
                    w[self.windowLength - 1 - i] = min(w[self.windowLength - 1 - i], Float(i + 1) / Float(ramp + 1))
                }
            }
            for i in 0..<self.windowLength { totals[start + i] += w[i] }
            weights.append(w)
        }
        self.weights = weights
        inverseTotals = totals.map { 1 / $0 }
    }

    /// Number of windows n.
    package var windowCount: Int { starts.count }

    /// The frame indices of all windows in order (n·N of them), for `Tensor.gathered(axis:indices:)`.
    package var gatherIndices: [Int] { starts.flatMap { start in (start..<(start + windowLength)) } }

    /// [F, D] → [n, N, D]: the windows of a whole-clip tensor.
    package func split(_ sequence: Tensor) -> Tensor {
        precondition(sequence.rank == 2 && sequence.shape[0] == frameCount, "split: \(sequence.shape) is not [\(frameCount), D]")
        return sequence.gathered(axis: 0, indices: gatherIndices).reshaped([windowCount, windowLength, sequence.shape[1]])
    }

    /// [n, N, D] → [F, D]: the cross-faded blend of the windows.
    package func blend(_ windows: Tensor) -> Tensor {
        precondition(windows.rank == 3 && windows.shape[0] == windowCount && windows.shape[1] == windowLength,
                     "blend: \(windows.shape) is not [\(windowCount), \(windowLength), D]")
        let d = windows.shape[2]
        let source = windows.contiguous()
        return withExtendedLifetime(source) {
            Tensor(shape: [frameCount, d]) { out, count in
                out.initialize(repeating: 0, count: count)
                let input = source.basePointer
                for (index, start) in starts.enumerated() {
                    for i in 0..<windowLength {
                        let weight = weights[index][i]
                        let row = input + (index * windowLength + i) * d
                        let target = out + (start + i) * d
                        for c in 0..<d { target[c] += weight * row[c] }
                    }
                }
                for frame in 0..<frameCount {
                    let scale = inverseTotals[frame]
                    for c in 0..<d { out[frame * d + c] *= scale }
                }
            }
        }
    }
}
