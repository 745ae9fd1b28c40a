import Foundation
import M2FEncoders
import M2FFace

/// MediaPipe's Face Landmarker run on our engine, one frame at a time: detector → rotated face crop →
/// 478 landmarks → blendshapes, head pose (geometry pipeline) and eye gaze.
///
/// In `.video` mode the face is tracked as MediaPipe's VIDEO mode does: the next frame's crop comes from
/// this frame's landmarks, and the detector runs only when no face is being tracked (the first frame,
/// or after the presence score fell under `minimumPresence`). `.image` mode detects on every frame.
public final class FaceTracker {
    public enum Mode: Sendable { case image, video }

    /// Per-stage time of the last frame, seconds.
    public struct Timings: Sendable {
        public var crop = 0.0, detector = 0.0, landmarks = 0.0, blendshapes = 0.0, geometry = 0.0
        public var total: Double { crop + detector + landmarks + blendshapes + geometry }
    }

    public let mode: Mode
    /// Landmark presence needed to keep a face (MediaPipe's `min_face_presence_confidence`).
    public var minimumPresence: Float = 0.5
    public var decoding = FaceDetectorDecoding()
    public var gaze = EyeGaze()
    public private(set) var timings = Timings()

    let detector: FaceDetectorNetwork
    let landmarker: FaceLandmarkNetwork
    let blendshapeModel: BlendshapeNetwork
    public let geometry: FaceGeometry
    /// The region to look in next (tracking); nil: detect.
    private var trackedRegion: FaceRegion?
    private var smoothing = LandmarkSmoothing()
    private var frameIndex = 0

    /// Loads the installed model (`m2f models fetch`) from `directory`.
    public init(directory: URL, mode: Mode) throws {
        detector = try FaceDetectorNetwork(directory: directory)
        landmarker = try FaceLandmarkNetwork(directory: directory)
        blendshapeModel = try BlendshapeNetwork(directory: directory)
        geometry = FaceGeometry(metadata: try GeometryPipelineMetadata.read(path: directory.appendingPathComponent(FaceLandmarkerModel.geometryMetadataFile).path))
        self.mode = mode
    }

    /// Loads the installed model from the model cache.
    public convenience init(store: ModelStore = ModelStore(), mode: Mode) throws {
        try self.init(directory: try FaceLandmarkerModel.directory(store: store), mode: mode)
    }

    /// The blendshape model's output names, in its order.
    public var blendshapeNames: [String] { BlendshapeNetwork.names }

    /// Forgets the tracked face: the next frame is detected afresh.
    public func reset() {
        trackedRegion = nil
        smoothing.reset()
        frameIndex = 0
    }

    /// Runs the detector on the whole image (letterboxed to 128 × 128): faces by score, at most one.
    public func detect(_ image: RGBImage) throws -> [FaceDetection] {
        var clock = ContinuousClock.now
        let (region, letterbox) = PixelRegion.letterboxed(imageWidth: image.width, imageHeight: image.height)
        let input = image.crop(region, size: FaceDetectorNetwork.inputSize, range: FaceDetectorNetwork.inputRange, border: .zero)
        timings.crop += lap(&clock)
        let output = try detector.run(image: input)
        timings.detector = lap(&clock)
        return decoding.detections(regressors: output.regressors, scores: output.scoreLogits, letterbox: letterbox)
    }

    /// Tracks (or detects) the face in the next frame, seen at `time` seconds (video mode smooths the
    /// landmarks over time as MediaPipe does; nil: frame index / 30).
    public func process(_ image: RGBImage, time: Double? = nil) throws -> TrackedFrame {
        timings = Timings()
        let time = time ?? Double(frameIndex) / 30
        frameIndex += 1
        var detected = false
        var region = mode == .video ? trackedRegion : nil
        if region == nil {
            detected = true
            guard let face = try detect(image).first else {
                trackedRegion = nil
                var frame = TrackedFrame.missing
                frame.detected = true
                return frame
            }
            region = FaceRegion.around(face, imageWidth: image.width, imageHeight: image.height)
        }
        guard let region else { return .missing }
        var clock = ContinuousClock.now
        let side = FaceLandmarkNetwork.inputSize
        let crop = image.crop(region.pixels(imageWidth: image.width, imageHeight: image.height), size: side,
                              range: FaceLandmarkNetwork.inputRange, border: .replicate)
        timings.crop += lap(&clock)
        let output = try landmarker.run(image: crop)
        timings.landmarks = lap(&clock)
        let presence = 1 / (1 + exp(-output.presenceLogit))
        let cropPoints = (0..<FaceLandmarkNetwork.landmarkCount).map {
            SIMD3(output.landmarks[3 * $0], output.landmarks[3 * $0 + 1], output.landmarks[3 * $0 + 2])
        }
        guard presence >= minimumPresence, cropPoints.allSatisfy({ $0.x.isFinite && $0.y.isFinite && $0.z.isFinite }) else {
            trackedRegion = nil
            smoothing.reset()
            var frame = TrackedFrame.missing
            (frame.confidence, frame.detected) = (presence.isFinite ? presence : 0, detected)
            return frame
        }
        let raw = region.project(cropLandmarks: cropPoints, cropSize: side)
        var landmarks = raw
        if mode == .video {
            landmarks = smoothing(raw, time: time, width: image.width, height: image.height)
        }
        // The next frame's region follows the raw landmarks; blendshapes, pose and gaze read the smoothed ones.
        trackedRegion = FaceRegion.around(landmarks: raw, imageWidth: image.width, imageHeight: image.height)
        let pixelPoints = landmarks.flatMap { [$0.x * Float(image.width), $0.y * Float(image.height)] }
        let scores = try blendshapeModel.run(points: BlendshapeNetwork.points(fromLandmarks: pixelPoints, stride: 2))
        timings.blendshapes = lap(&clock)
        let pose = geometry.pose(landmarks: landmarks, width: image.width, height: image.height)
        let frame = TrackedFrame(found: true, confidence: presence, detected: detected, landmarks: landmarks, blendshapes: scores,
                                 headPose: pose.headPose, eyePose: gaze.eyePose(pose), transformMatrix: pose.transform.rowMajor4x4)
        timings.geometry = lap(&clock)
        return frame
    }

    private func lap(_ clock: inout ContinuousClock.Instant) -> Double {
        let now = ContinuousClock.now
        let elapsed = clock.duration(to: now)
        clock = now
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
    }
}
