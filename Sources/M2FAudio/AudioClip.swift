/// Mono audio: samples in [-1, 1] (nominally) at `sampleRate`, plus what the source file held.
public struct AudioClip: Sendable, Equatable {
    /// Mono samples, channels averaged.
    public var samples: [Float]
    /// Samples per second of `samples`.
    public var sampleRate: Int
    /// Channel count of the source before the downmix.
    public var sourceChannels: Int
    /// Sample rate of the source before any resampling.
    public var sourceSampleRate: Int

    public init(samples: [Float], sampleRate: Int, sourceChannels: Int = 1, sourceSampleRate: Int? = nil) {
        self.samples = samples
        self.sampleRate = sampleRate
        self.sourceChannels = sourceChannels
        self.sourceSampleRate = sourceSampleRate ?? sampleRate
    }

    /// Length in seconds.
    public var duration: Double { Double(samples.count) / Double(sampleRate) }
}
