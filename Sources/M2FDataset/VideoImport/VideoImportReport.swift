import Foundation
import M2FFace

/// What `m2f dataset import-video` did with one video: written to `DIR/reports/video-<name>.json`.
public struct VideoImportReport: Codable, Sendable {
    public var file: String
    /// Clip ids written (empty when the whole video was rejected or failed).
    public var clips: [String] = []
    /// Why the video failed as a whole (no audio, unreadable, no face, out of sync); nil otherwise.
    public var error: String?
    /// Video length and the seconds that became clips.
    public var seconds = 0.0
    public var keptSeconds = 0.0
    /// Share of the video's frames with a tracked face.
    public var faceShare = 0.0
    /// Median windowed head-rotation jitter (degrees per frame²).
    public var medianJitter: Float = 0
    public var sync: AudioLipSync.Result?
    public var rejected: [RejectedSpan] = []
    public var trackingSeconds = 0.0
    /// What the calibration did to this video's frames.
    public var calibrationEffect: CalibrationEffect?
    public var alreadyImported = false

    public init(file: String) { self.file = file }
}

/// jawOpen against the lip gap, mouthClose and the resting eye channels, before and after calibration,
/// over a video's clip frames.
public struct CalibrationEffect: Codable, Sendable, Equatable {
    /// Pearson r of jawOpen with the lip gap.
    public var jawOpenLipGapCorrelation: [Double]
    /// Regression slope of jawOpen on the lip gap (gain per inter-pupil distance).
    public var jawOpenGain: [Double]
    public var meanMouthClose: [Double]
    /// Means over the resting frames (no speech): eyeSquint and eyeLookDown, both eyes averaged.
    public var restingEyeSquint: [Double]
    public var restingEyeLookDown: [Double]

    /// [before, after] for each measure, from the raw and calibrated weights of the same frames.
    public static func measure(raw: FaceAnimation, calibrated: FaceAnimation, lipGap: [Float], speaking: [Bool]) -> CalibrationEffect {
        let n = ARKit.count
        func column(_ a: FaceAnimation, _ name: String) -> [Float] { (0..<a.frameCount).map { a.weights[$0 * n + ARKit.index(of: name)!] } }
        func mean(_ values: [Float]) -> Double { values.isEmpty ? 0 : values.reduce(0.0) { $0 + Double($1) } / Double(values.count) }
        func resting(_ a: FaceAnimation, _ names: [String]) -> Double {
            let frames = (0..<a.frameCount).filter { !speaking[$0] }
            return mean(frames.flatMap { f in names.map { a.weights[f * n + ARKit.index(of: $0)!] } })
        }
        func both(_ measure: (FaceAnimation) -> Double) -> [Double] { [measure(raw), measure(calibrated)].map { ($0 * 1000).rounded() / 1000 } }
        return CalibrationEffect(
            jawOpenLipGapCorrelation: both { AudioLipSync.correlation(column($0, "jawOpen"), lipGap, valid: lipGap.map(\.isFinite), lag: 0).r },
            jawOpenGain: both { Double(TrackerCalibration.regressionSlope(column($0, "jawOpen"), on: lipGap) ?? 0) },
            meanMouthClose: both { mean(column($0, "mouthClose")) },
            restingEyeSquint: both { resting($0, ["eyeSquintLeft", "eyeSquintRight"]) },
            restingEyeLookDown: both { resting($0, ["eyeLookDownLeft", "eyeLookDownRight"]) })
    }
}
