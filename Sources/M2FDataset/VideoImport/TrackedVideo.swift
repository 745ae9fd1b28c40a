import Foundation
import M2FAudio
import M2FFace
import M2FTracker

/// One video tracked and resampled to the dataset's frame rate, before gating and calibration.
public struct TrackedVideo: Sendable {
    public var file: String
    /// The tracker's ARKit weights, head and eye pose at the dataset's rate (short gaps interpolated).
    public var animation: FaceAnimation
    /// Per frame: a face was tracked, or interpolated over a short gap.
    public var faceFound: [Bool]
    /// Per frame `LipGap` (NaN where no face).
    public var lipGap: [Float]
    /// Mono samples at the dataset's rate, cut to the frames.
    public var samples: [Float]
    /// `AudioLipSync.envelope` and whether each frame is speech.
    public var envelope: [Float]
    public var speaking: [Bool]
    public var sourceFPS: Double
    /// Share of the video's own frames with a tracked face, and the seconds the tracking took.
    public var faceShare: Double
    public var trackingSeconds: Double
    /// A decoding error after some frames (the frames before it are kept).
    public var decodeProblem: String?

    /// Tracks `url` (frames through ffmpeg, MediaPipe VIDEO mode) and loads its audio.
    /// - Throws: `DatasetError.importFailed` naming the file: no audio track, not a video, no frames.
    public static func track(_ url: URL, tracker: FaceTracker, fps: Double, sampleRate: Int) throws(DatasetError) -> TrackedVideo {
        func fail(_ problem: String) -> DatasetError { .importFailed(file: url.path, problem: problem) }
        let audio: AudioClip
        do { audio = try AudioLoader(sampleRate: sampleRate).load(path: url.path) } catch {
            throw fail("no usable audio track (\(error.localizedDescription)); import-video needs the speech with the picture")
        }
        let frames: VideoFrames
        do { frames = try VideoFrames(path: url.path) } catch { throw fail(error.localizedDescription) }
        defer { frames.close() }
        tracker.reset()
        let started = Date()
        let sourceFPS = frames.info.fps > 0 ? frames.info.fps : fps
        var tracked: [TrackedFrame] = [], gaps: [Float] = []
        var problem: String?
        do {
            while let image = try frames.next() {
                let frame = try tracker.process(image, time: Double(tracked.count) / sourceFPS)
                tracked.append(frame)
                gaps.append(frame.found ? LipGap.ofLandmarks(frame.landmarks, width: image.width, height: image.height) ?? .nan : .nan)
            }
        } catch {
            problem = error.localizedDescription
        }
        guard tracked.count >= 2 else { throw fail(problem ?? "fewer than 2 video frames; import-video needs a video, not a still") }
        var assembly = TakeAssembly()
        assembly.gazeFromIrises = true
        let take = assembly.assemble(tracked, fps: sourceFPS, modelNames: tracker.blendshapeNames, source: url.lastPathComponent)
        let status = Array(take.metadata["track.faceFound"] ?? "")
        // The lip gap over the same short gaps the weights were interpolated over.
        for f in gaps.indices where status[f] == TakeAssembly.statusInterpolated {
            let before = (0..<f).last { status[$0] == TakeAssembly.statusTracked }, after = (f..<gaps.count).first { status[$0] == TakeAssembly.statusTracked }
            if let before, let after { gaps[f] = gaps[before] + (gaps[after] - gaps[before]) * Float(f - before) / Float(after - before) }
        }
        var animation: FaceAnimation
        do { animation = try take.resampled(to: fps) } catch { throw fail(error.localizedDescription) }
        let count = min(animation.frameCount, Int((Double(audio.samples.count) / Double(sampleRate) * fps).rounded(.down)))
        guard count >= 2 else { throw fail(String(format: "the audio (%.2f s) is shorter than two frames", Double(audio.samples.count) / Double(sampleRate))) }
        do { animation = try animation.trimmed(frames: 0..<count) } catch { throw fail(error.localizedDescription) }
        var found = [Bool](repeating: false, count: count), lipGap = [Float](repeating: .nan, count: count)
        for k in 0..<count {
            let position = min(Double(k) / fps * sourceFPS, Double(status.count - 1))
            let a = Int(position.rounded(.down)), b = min(a + 1, status.count - 1), t = Float(position - Double(a))
            found[k] = status[a] != TakeAssembly.statusMissing && status[b] != TakeAssembly.statusMissing
            lipGap[k] = found[k] ? gaps[a] + (gaps[b] - gaps[a]) * t : .nan
        }
        let samples = Array(audio.samples.prefix(Int((Double(count) / fps * Double(sampleRate)).rounded())))
        let envelope = AudioLipSync.envelope(samples, sampleRate: sampleRate, fps: fps, frameCount: count)
        return TrackedVideo(file: url.path, animation: animation, faceFound: found, lipGap: lipGap, samples: samples, envelope: envelope,
                            speaking: AudioLipSync.speaking(envelope), sourceFPS: sourceFPS,
                            faceShare: Double(tracked.filter(\.found).count) / Double(tracked.count),
                            trackingSeconds: Date().timeIntervalSince(started), decodeProblem: problem)
    }
}
