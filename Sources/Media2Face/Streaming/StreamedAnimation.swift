import M2FFace

extension Media2FacePipeline {
    /// `samples` (16 kHz mono) animated through a streaming session, pushed as fast as it takes them:
    /// the frames a live client would get, as one animation (the frames do not depend on the chunking),
    /// for measuring the live path against offline results or real faces (`m2f eval real-faces --stream`).
    package func streamedAnimation(samples: [Float], style: StyleSpecification = .none, options: AnimationOptions = AnimationOptions(),
                                   configuration: StreamConfiguration = StreamConfiguration()) async throws -> FaceAnimation {
        let session = try await stream(style: style, options: options, configuration: configuration)
        let reader = Task { () throws -> [StreamFrame] in
            var frames: [StreamFrame] = []
            for try await frame in session.frames { frames.append(frame) }
            return frames
        }
        let chunk = 16_000
        for first in stride(from: 0, to: samples.count, by: chunk) {
            try await session.push(Array(samples[first..<min(first + chunk, samples.count)]))
        }
        try await session.finish()
        let frames = try await reader.value
        return FaceAnimation(fps: fps, weights: frames.flatMap(\.weights), headPose: frames.map(\.headPose))
    }
}
