import Foundation
import M2FEncoders
import M2FFace
import M2FTracker

/// `m2f bench track`, the whole per-frame path: a 1280×720 H.264 video decoded through ffmpeg and tracked
/// in video mode (crop, landmarks, blendshapes, head pose and gaze every frame; the detector only when no
/// face is tracked), with the time of each stage per frame. The test video is made here: the scripted
/// demo animation rendered on the default head at 720p, so the benchmark needs nothing outside the project.
package enum TrackerPathBenchmark {
    package static let width = 1280, height = 720

    /// Renders `seconds` of the scripted demo at 1280×720, 30 fps, to `folder/track-720p.mp4`; its path.
    package static func makeVideo(in folder: URL, seconds: Double = 4) throws -> String {
        let path = folder.appendingPathComponent("track-720p.mp4").path
        let export = AnimationExport(render: RenderOptions(width: width, height: height, supersample: 1))
        try export.write(ScriptedAnimation.make(seconds: seconds), to: path)
        return path
    }

    /// Tracks every frame of `video` `passes` times (a fresh tracker and decoder each pass, the first pass
    /// a warm-up when `passes` > 1) and returns per-frame medians: `track_path_720p` (the decode wait plus
    /// the tracking, the whole per-frame path), each stage, and `track_path_720p_run` (frames over the
    /// wall time of the timed passes: ffmpeg decodes in its own process while the tracker works).
    /// - Throws: `TrackerError` for an unreadable video or a frame where no face is found.
    package static func run(video: String, passes: Int = 3, store: ModelStore = ModelStore()) throws -> [BenchmarkResult] {
        let directory = try FaceLandmarkerModel.directory(store: store)
        var whole: [Double] = [], decode: [Double] = [], crop: [Double] = [], landmarks: [Double] = []
        var blendshapes: [Double] = [], geometry: [Double] = [], detector: [Double] = []
        var timedFrames = 0, timedSeconds = 0.0
        for pass in 0..<max(1, passes) {
            let tracker = try FaceTracker(directory: directory, mode: .video)
            let frames = try VideoFrames(path: video)
            let timed = passes == 1 || pass > 0
            let passStart = DispatchTime.now().uptimeNanoseconds
            while true {
                let start = DispatchTime.now().uptimeNanoseconds
                guard let image = try frames.next() else { break }
                let decoded = DispatchTime.now().uptimeNanoseconds
                let frame = try tracker.process(image)
                let end = DispatchTime.now().uptimeNanoseconds
                guard frame.found else { throw TrackerError.noFace(path: video) }
                guard timed else { continue }
                whole.append(Double(end - start) / 1e6)
                decode.append(Double(decoded - start) / 1e6)
                let t = tracker.timings
                crop.append(t.crop * 1000)
                landmarks.append(t.landmarks * 1000)
                blendshapes.append(t.blendshapes * 1000)
                geometry.append(t.geometry * 1000)
                if frame.detected { detector.append(t.detector * 1000) }
            }
            if timed {
                timedFrames += frames.framesRead
                timedSeconds += Double(DispatchTime.now().uptimeNanoseconds - passStart) / 1e9
            }
        }
        func line(_ name: String, _ samples: [Double]) -> BenchmarkResult {
            TrackerNetworkBenchmarks.withFPS(BenchmarkTimer.result(name, samples: samples))
        }
        var results = [line("track_path_720p", whole), line("track_path_720p_decode", decode), line("track_path_720p_crop", crop),
                       line("track_path_720p_landmarks", landmarks), line("track_path_720p_blendshapes", blendshapes),
                       line("track_path_720p_pose_gaze", geometry)]
        if !detector.isEmpty { results.append(line("track_path_720p_detector", detector)) }
        var run = BenchmarkTimer.result("track_path_720p_run", samples: [timedSeconds * 1000 / Double(max(timedFrames, 1))])
        run.fps = Double(timedFrames) / timedSeconds
        results.append(run)
        return results
    }
}
