import Foundation

/// Head pose of one frame: rotation in radians, translation in metres.
///
/// Axes are glTF's (+Y up, +Z out of the face, +X toward the face's left). The rotation is
/// R = Ry(yaw) · Rx(pitch) · Rz(roll) (right-hand rule): positive yaw turns the face toward its left,
/// positive pitch tips the face down, positive roll tilts the head toward its right shoulder.
/// Translation is relative to the rest position.
public struct HeadPose: Equatable, Sendable {
    public var yaw: Float, pitch: Float, roll: Float
    public var tx: Float, ty: Float, tz: Float

    public init(yaw: Float = 0, pitch: Float = 0, roll: Float = 0, tx: Float = 0, ty: Float = 0, tz: Float = 0) {
        (self.yaw, self.pitch, self.roll, self.tx, self.ty, self.tz) = (yaw, pitch, roll, tx, ty, tz)
    }

    public static let identity = HeadPose()

    /// [yaw, pitch, roll, tx, ty, tz], the order of the JSON format.
    public var values: [Float] { [yaw, pitch, roll, tx, ty, tz] }

    public init(values v: [Float]) {
        precondition(v.count == 6, "a head pose has 6 values")
        self.init(yaw: v[0], pitch: v[1], roll: v[2], tx: v[3], ty: v[4], tz: v[5])
    }

    /// Rotation as a unit quaternion (x, y, z, w) for R = Ry(yaw) · Rx(pitch) · Rz(roll).
    public var quaternion: SIMD4<Float> {
        let y = SIMD4<Float>(0, sin(yaw / 2), 0, cos(yaw / 2))
        let x = SIMD4<Float>(sin(pitch / 2), 0, 0, cos(pitch / 2))
        let z = SIMD4<Float>(0, 0, sin(roll / 2), cos(roll / 2))
        return quaternionProduct(quaternionProduct(y, x), z)
    }

    static let channelNames = ["headYaw", "headPitch", "headRoll", "headTx", "headTy", "headTz"]
}

/// Hamilton product of quaternions stored as (x, y, z, w).
public func quaternionProduct(_ a: SIMD4<Float>, _ b: SIMD4<Float>) -> SIMD4<Float> {
    SIMD4(
        a.w * b.x + a.x * b.w + a.y * b.z - a.z * b.y,
        a.w * b.y - a.x * b.z + a.y * b.w + a.z * b.x,
        a.w * b.z + a.x * b.y - a.y * b.x + a.z * b.w,
        a.w * b.w - a.x * b.x - a.y * b.y - a.z * b.z
    )
}

/// Per-eye gaze angles of one frame in radians (yaw positive toward the face's left, pitch positive down).
public struct EyePose: Equatable, Sendable {
    public var leftYaw: Float, leftPitch: Float, rightYaw: Float, rightPitch: Float

    public init(leftYaw: Float = 0, leftPitch: Float = 0, rightYaw: Float = 0, rightPitch: Float = 0) {
        (self.leftYaw, self.leftPitch, self.rightYaw, self.rightPitch) = (leftYaw, leftPitch, rightYaw, rightPitch)
    }

    public var values: [Float] { [leftYaw, leftPitch, rightYaw, rightPitch] }

    public init(values v: [Float]) {
        precondition(v.count == 4, "an eye pose has 4 values")
        self.init(leftYaw: v[0], leftPitch: v[1], rightYaw: v[2], rightPitch: v[3])
    }

    static let channelNames = ["leftEyeYaw", "leftEyePitch", "rightEyeYaw", "rightEyePitch"]
}

/// What `FaceAnimation.validated()` changed.
public struct ValidationReport: Equatable, Sendable {
    /// Number of weights that were outside [0, 1] and were clamped.
    public var clampedCount: Int
    /// Per ARKit shape (canonical order), how many of its weights were clamped.
    public var clampedPerShape: [Int]
}

/// A facial animation: ARKit weights per frame at a fixed rate, with head pose and optional eye gaze.
///
/// Weights are stored frame-major in one flat array (F frames × 52, canonical ARKit order) so that
/// hour-long takes (108k frames) stay compact and fast to process.
public struct FaceAnimation: Equatable, Sendable {
    /// Frames per second (30 in the paper; Live Link Face records at 60).
    public var fps: Double
    /// F × 52 weights, frame-major: `weights[f * 52 + k]` is shape k of frame f.
    public var weights: [Float]
    /// F head poses.
    public var headPose: [HeadPose]
    /// F eye poses, or nil when the source has none.
    public var eyePose: [EyePose]?
    /// Free-form provenance (prompt, seed, model version, source timecode…), kept by JSON and glTF.
    public var metadata: [String: String]

    /// Frame rates that m2f reads, resamples to and writes (Live Link timecodes, video, glTF keys): outside
    /// them timecodes and frame counts lose their meaning (1e300 fps turned 30 frames into 1).
    public static let frameRates: ClosedRange<Double> = 1...1000
    /// The most frames an animation may reach by resampling: 24 hours at 60 fps (≈ 1.3 GB of values).
    public static let maximumFrameCount = 5_184_000

    /// Number of frames F.
    public var frameCount: Int { headPose.count }
    /// Length in seconds, counting each frame as 1/fps long.
    public var duration: Double { Double(frameCount) / fps }

    /// A neutral animation of `frameCount` frames (all weights zero, identity head pose).
    public init(fps: Double, frameCount: Int, withEyes: Bool = false, metadata: [String: String] = [:]) {
        precondition(fps > 0 && frameCount >= 0)
        self.fps = fps
        self.weights = [Float](repeating: 0, count: frameCount * ARKit.count)
        self.headPose = [HeadPose](repeating: .identity, count: frameCount)
        self.eyePose = withEyes ? [EyePose](repeating: EyePose(), count: frameCount) : nil
        self.metadata = metadata
    }

    /// An animation from flat weights; `headPose` defaults to identity for every frame.
    public init(fps: Double, weights: [Float], headPose: [HeadPose]? = nil, eyePose: [EyePose]? = nil,
                metadata: [String: String] = [:]) {
        precondition(fps > 0, "fps must be positive")
        precondition(weights.count % ARKit.count == 0, "weights must hold F × 52 values")
        let frames = weights.count / ARKit.count
        let pose = headPose ?? [HeadPose](repeating: .identity, count: frames)
        precondition(pose.count == frames, "headPose has \(pose.count) frames, weights \(frames)")
        precondition(eyePose == nil || eyePose!.count == frames, "eyePose frame count differs from weights")
        self.fps = fps
        self.weights = weights
        self.headPose = pose
        self.eyePose = eyePose
        self.metadata = metadata
    }

    /// Weight of `shape` at `frame`.
    public subscript(frame: Int, shape: ARKitBlendshape) -> Float {
        get { weights[frame * ARKit.count + shape.index] }
        set { weights[frame * ARKit.count + shape.index] = newValue }
    }

    /// The 52 weights of one frame.
    public func frame(_ index: Int) -> ArraySlice<Float> {
        weights[index * ARKit.count..<(index + 1) * ARKit.count]
    }

    /// Appends one frame.
    public mutating func append(weights frame: [Float], headPose pose: HeadPose = .identity, eyePose eyes: EyePose? = nil) {
        precondition(frame.count == ARKit.count, "a frame has 52 weights")
        weights.append(contentsOf: frame)
        headPose.append(pose)
        if eyePose != nil { eyePose!.append(eyes ?? EyePose()) }
    }
}

// MARK: - Editing

extension FaceAnimation {
    /// Linearly resampled to `newFPS`: frame k of the result is time k / newFPS of this one; the
    /// result spans the same duration (`round(F · newFPS / fps)` frames).
    public func resampled(to newFPS: Double) throws(FaceError) -> FaceAnimation {
        guard Self.frameRates.contains(newFPS) else {
            throw .invalidArgument("frame rate \(newFPS) is outside \(Int(Self.frameRates.lowerBound)) … \(Int(Self.frameRates.upperBound)) fps")
        }
        if newFPS == fps || frameCount == 0 { var copy = self; copy.fps = newFPS; return copy }
        let exactCount = (Double(frameCount) * newFPS / fps).rounded()
        guard exactCount <= Double(Self.maximumFrameCount) else {
            throw .invalidArgument("\(frameCount) frames at \(fps) fps become \(exactCount) frames at \(newFPS) fps, "
                                   + "more than \(Self.maximumFrameCount) (24 h at 60 fps)")
        }
        let newCount = max(1, Int(exactCount))
        var out = FaceAnimation(fps: newFPS, frameCount: newCount, withEyes: eyePose != nil, metadata: metadata)
        let n = ARKit.count
        weights.withUnsafeBufferPointer { src in
            out.weights.withUnsafeMutableBufferPointer { dst in
                for k in 0..<newCount {
                    let (a, b, t) = interpolationPoint(time: Double(k) / newFPS)
                    for j in 0..<n {
                        dst[k * n + j] = src[a * n + j] + (src[b * n + j] - src[a * n + j]) * t
                    }
                }
            }
        }
        for k in 0..<newCount {
            let (a, b, t) = interpolationPoint(time: Double(k) / newFPS)
            out.headPose[k] = HeadPose(values: zip(headPose[a].values, headPose[b].values).map { $0 + ($1 - $0) * t })
            if let eyes = eyePose {
                out.eyePose![k] = EyePose(values: zip(eyes[a].values, eyes[b].values).map { $0 + ($1 - $0) * t })
            }
        }
        return out
    }

    /// Source frames a, b and blend t for a time in seconds (clamped to the last frame).
    func interpolationPoint(time: Double) -> (Int, Int, Float) {
        let position = min(max(time * fps, 0), Double(frameCount - 1))
        let a = Int(position.rounded(.down))
        let b = min(a + 1, frameCount - 1)
        return (a, b, Float(position - Double(a)))
    }

    /// Frames in `range` (frame indices).
    public func trimmed(frames range: Range<Int>) throws(FaceError) -> FaceAnimation {
        guard range.lowerBound >= 0, range.upperBound <= frameCount else {
            throw .invalidArgument("trim range \(range) is outside 0..<\(frameCount)")
        }
        let n = ARKit.count
        return FaceAnimation(
            fps: fps,
            weights: Array(weights[range.lowerBound * n..<range.upperBound * n]),
            headPose: Array(headPose[range]),
            eyePose: eyePose.map { Array($0[range]) },
            metadata: metadata)
    }

    /// Frames whose start time lies in [start, end) seconds.
    public func trimmed(seconds start: Double, to end: Double) throws(FaceError) -> FaceAnimation {
        guard start >= 0, end >= start else { throw .invalidArgument("trim times must satisfy 0 ≤ start ≤ end, got \(start)…\(end)") }
        let first = min(frameCount, Int((start * fps).rounded(.up)))
        let last = min(frameCount, max(first, Int((end * fps).rounded(.up))))
        return try trimmed(frames: first..<last)
    }

    /// This animation followed by `other`, which is resampled to this frame rate when it differs.
    /// Eye poses are kept only when both have them; metadata of `self` wins.
    public func concatenated(with other: FaceAnimation) throws(FaceError) -> FaceAnimation {
        let tail = other.fps == fps ? other : try other.resampled(to: fps)
        var out = self
        out.weights += tail.weights
        out.headPose += tail.headPose
        if let a = eyePose, let b = tail.eyePose { out.eyePose = a + b } else { out.eyePose = nil }
        out.metadata = tail.metadata.merging(metadata) { mine, _ in mine }
        return out
    }

    /// Checks every value: NaN or infinity anywhere throws (naming frame and channel); weights outside
    /// [0, 1] are clamped and counted in the report.
    public func validated() throws(FaceError) -> (FaceAnimation, ValidationReport) {
        guard Self.frameRates.contains(fps) else {
            throw .invalidArgument("frame rate \(fps) is outside \(Int(Self.frameRates.lowerBound)) … \(Int(Self.frameRates.upperBound)) fps")
        }
        var out = self
        var perShape = [Int](repeating: 0, count: ARKit.count)
        let n = ARKit.count
        for i in 0..<out.weights.count {
            let w = out.weights[i]
            if !w.isFinite { throw .nonFinite(frame: i / n, channel: ARKit.names[i % n]) }
            if w < 0 || w > 1 {
                out.weights[i] = min(max(w, 0), 1)
                perShape[i % n] += 1
            }
        }
        for (f, pose) in headPose.enumerated() {
            for (c, v) in pose.values.enumerated() where !v.isFinite {
                throw .nonFinite(frame: f, channel: HeadPose.channelNames[c])
            }
        }
        for (f, eyes) in (eyePose ?? []).enumerated() {
            for (c, v) in eyes.values.enumerated() where !v.isFinite {
                throw .nonFinite(frame: f, channel: EyePose.channelNames[c])
            }
        }
        return (out, ValidationReport(clampedCount: perShape.reduce(0, +), clampedPerShape: perShape))
    }
}
