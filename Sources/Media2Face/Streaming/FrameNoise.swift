import M2FEngine

/// The initial diffusion noise of a stream, row by absolute frame: row f is what the offline sampler
/// draws for frame f of a clip with the same seed (`Tensor.randomNormal([F, D])` from
/// `RandomGenerator(seed)`, row-major). Every hop's window starts from these rows and noises its fixed
/// prefix with them, so a stream follows the offline trajectory of each frame instead of drawing
/// fresh noise per hop (measured in `m2f bench stream`: it is most of the stream's closeness to offline).
/// Rows depend on the frame index alone, so they are the same whatever the audio chunks were.
package struct FrameNoise {
    package let width: Int
    private var generator: RandomGenerator
    /// Rows from frame `base` on, generated so far.
    private var rows: [Float] = []
    private var base = 0

    package init(seed: UInt64, width: Int) {
        generator = RandomGenerator(seed: seed)
        self.width = width
    }

    /// Rows `frames` [frames.count, D]; frames at or after the first not yet forgotten.
    package mutating func rows(_ frames: Range<Int>) -> Tensor {
        precondition(frames.lowerBound >= base, "noise of frame \(frames.lowerBound) was forgotten (kept from \(base))")
        while base * width + rows.count < frames.upperBound * width { rows.append(generator.nextNormal()) }
        let first = (frames.lowerBound - base) * width
        return Tensor(Array(rows[first..<(first + frames.count * width)]), shape: [frames.count, width])
    }

    /// Drops the rows before `frame` (no later window reads them).
    package mutating func forget(before frame: Int) {
        _ = rows(frame..<frame)  // draws up to `frame`, so the generator stays in step with the rows
        let drop = min(max(frame - base, 0) * width, rows.count)
        guard drop > 0 else { return }
        rows.removeFirst(drop)
        base += drop / width
    }
}
