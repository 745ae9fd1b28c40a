import Foundation
import M2FEngine

/// What animating a clip will take, known before any work starts: memory from the longest piece the
/// clip is cut into plus what lives for the whole clip, time from measured real-time factors.
///
/// Measured on the 2-core dev VM (m2f animate, 10 steps, csv): peak RSS 121 MB for 7 s of audio, 220 MB
/// for 60 s, 477 MB for 240 s, 588 MB for 12 min (two pieces of 6.1 min) — about 1.4 MB per second of
/// the longest piece; whole-clip arrays (16 kHz samples, per-frame sums) add ≈ 0.075 MB per second of
/// audio (an 18-hour file was measured at 5.5 GB).
/// Run time was 0.17–0.25 × the audio's length with other jobs on the machine and ≈ 0.055 × alone
/// (18 h in an hour), proportional to the steps.
public struct RunEstimate: Sendable, Equatable {
    public var audioSeconds: Double
    /// Pieces the clip is animated in, and the longest one with its context (seconds).
    public var pieces: Int
    public var pieceSeconds: Double
    /// Memory the run adds at its peak (bytes), over what the loaded models already hold.
    public var peakBytes: Int
    /// Likely wall-clock range (seconds) on 2 cores.
    public var seconds: ClosedRange<Double>

    static let bytesPerPieceSecond = 1.5 * 1_048_576
    static let bytesPerAudioSecond = 0.075 * 1_048_576
    /// BLAS buffers and per-stage working memory that do not grow with the clip.
    static let fixedBytes = 100.0 * 1_048_576
    /// Address space reserved beyond what is touched (OpenBLAS buffers per calling thread, malloc arenas,
    /// stacks): hello.wav peaked at 740 MB of address space for 121 MB resident, and under
    /// `ulimit -v 800000` it still spun once the check had let it start with 345 MB left.
    static let reservedAddressSpace = 400 * 1_048_576

    /// The limit this run would break, described for an error message, or nil when it fits.
    package func shortfall(in headroom: MemoryHeadroom) -> String? {
        if let addressSpace = headroom.addressSpace, peakBytes + Self.reservedAddressSpace > addressSpace {
            return headroom.shortfall(for: peakBytes + Self.reservedAddressSpace)
        }
        return headroom.shortfall(for: peakBytes)
    }

    package init(audioSeconds: Double, plan: ChunkPlan, fps: Double, steps: Int) {
        self.audioSeconds = audioSeconds
        pieces = plan.count
        pieceSeconds = Double(plan.context.map(\.count).max() ?? 0) / fps
        peakBytes = Int(Self.fixedBytes + Self.bytesPerPieceSecond * pieceSeconds + Self.bytesPerAudioSecond * audioSeconds)
        let scale = audioSeconds * Double(max(steps, 1)) / 10
        seconds = (0.05 * scale)...(0.25 * scale)
    }

    /// "12.0 min of audio in 2 pieces: about 0.6 GB of memory and 0.6–3.0 min".
    public var summary: String {
        "\(Self.duration(audioSeconds)) of audio in \(pieces) piece\(pieces == 1 ? "" : "s"): about "
            + "\(MemoryHeadroom.format(peakBytes)) of memory and \(Self.duration(seconds.lowerBound, seconds.upperBound))"
    }

    static func duration(_ low: Double, _ high: Double? = nil) -> String {
        let top = high ?? low
        let (unit, divisor) = top >= 5400 ? ("h", 3600.0) : top >= 90 ? ("min", 60.0) : ("s", 1.0)
        let low = String(format: "%.1f", low / divisor)
        return high.map { "\(low)–\(String(format: "%.1f", $0 / divisor)) \(unit)" } ?? "\(low) \(unit)"
    }
}
