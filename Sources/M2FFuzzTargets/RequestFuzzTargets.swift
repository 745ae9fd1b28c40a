import Foundation
import Media2Face

/// Keyframe and style-timeline files (`m2f animate --keyframes / --style-timeline`): parsed, then laid
/// on clips of a few lengths as the pipeline does.
enum RequestFuzzTargets {
    /// Clip lengths (seconds) that each accepted file is laid on: whole, fractional, and a 12-minute
    /// clip that the pipeline cuts into pieces.
    static let durations: [Double] = [0.2, 1.0, 1.01, 7.3, 720]

    /// The first byte picks the file kind (even: keyframes, odd: style timeline); the rest is the JSON.
    static func requestJSON(_ data: Data) {
        let body = data.dropFirst()
        if (data.first ?? 0) % 2 == 0 {
            let file = "fuzz-keyframes.json"
            do {
                let keyframes = try KeyframeFile.parse(Data(body), file: file)
                for duration in durations { layKeyframes(keyframes, duration: duration, fps: 30) }
            } catch {
                FuzzCheck.errorNamesFile(error, file: file, target: "keyframes")
            }
        } else {
            let file = "fuzz-timeline.json"
            do {
                let timeline = try StyleTimelineFile.parse(Data(body), file: file)
                for duration in durations {
                    do { try timeline.validate(duration: duration) } catch { FuzzCheck.errorNamesFile(error, file: file, target: "timeline") }
                }
            } catch {
                FuzzCheck.errorNamesFile(error, file: file, target: "timeline")
            }
        }
    }

    /// A keyframe the file reader accepts for a clip must land on one of the clip's frames.
    static func layKeyframes(_ file: KeyframeFile, duration: Double, fps: Double) {
        do {
            let frameCount = Keyframe.frameCount(duration: duration, fps: fps)
            for key in try file.keyframes(duration: duration, fps: fps) {
                let frame = (key.time * fps).rounded()
                guard frame >= 0, frame < Double(frameCount) else {
                    FuzzCheck.fail("keyframes: a key at \(key.time) s was accepted for a \(duration) s clip of \(frameCount) frames")
                }
            }
        } catch {
            FuzzCheck.errorNamesFile(error, file: file.file, target: "keyframes on a clip")
        }
    }
}
