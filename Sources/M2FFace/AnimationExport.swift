import Foundation
import M2FSystem

/// The one writer of animation files: every command that writes one (`animate`, `convert`, `render`,
/// `dataset export`; `retarget` writes its avatar through the same `AtomicFile`) stages it here.
///
/// Each file is written under a temporary name beside its final name and moved into place only when
/// complete (`StagedFile`), so a kill, a full disk or a failing ffmpeg leaves the previous file as it was.
/// Several files staged into one `StagedFileSet` become visible together.
public struct AnimationExport {
    /// What a file holds, by its extension.
    public enum Format: String, CaseIterable, Sendable {
        case csv, json, glb, gltf, mp4, mov, mkv, png

        /// The format of `path`'s extension (case-insensitive).
        public init(path: String) throws(FaceError) {
            guard let format = Format(rawValue: URL(fileURLWithPath: path).pathExtension.lowercased()) else {
                throw .unsupportedFormat(file: path)
            }
            self = format
        }

        public var isVideo: Bool { self == .mp4 || self == .mov || self == .mkv }
    }

    /// The rig that glTF files carry and videos and stills show; nil: the default head, built only when needed.
    public var rig: FaceRig?
    /// Size, supersampling and camera of videos and stills.
    public var render: RenderOptions
    /// The audio named in glTF extras (as given: callers make it relative to the output when they want).
    public var audioReference: String?
    /// The audio muxed into videos.
    public var audioTrack: String?
    /// The frame a `.png` shows.
    public var stillFrame: Int

    public init(rig: FaceRig? = nil, render: RenderOptions = RenderOptions(), audioReference: String? = nil,
                audioTrack: String? = nil, stillFrame: Int = 0) {
        self.rig = rig
        self.render = render
        self.audioReference = audioReference
        self.audioTrack = audioTrack
        self.stillFrame = stillFrame
    }

    /// Writes `animation` to `path` (format by extension) and moves it into place.
    /// - Parameter progress: (frames rendered, frames) for videos.
    public func write(_ animation: FaceAnimation, to path: String, progress: (Int, Int) -> Void = { _, _ in }) throws(FaceError) {
        let set = StagedFileSet()
        try stage(animation, as: path, in: set, progress: progress)
        do { try set.commit() } catch { throw FaceError(error) }
    }

    /// Writes `animation` as `path` into `set`; it becomes visible when the set is committed.
    public func stage(_ animation: FaceAnimation, as path: String, format: Format? = nil, in set: StagedFileSet,
                      progress: (Int, Int) -> Void = { _, _ in }) throws(FaceError) {
        let chosen: Format
        if let format { chosen = format } else { chosen = try Format(path: path) }
        do {
            switch chosen {
            case .csv: try set.stage(LiveLinkCSV.serialize(animation), as: path)
            case .json: try set.stage(AnimationJSON.serialize(animation), as: path)
            case .glb, .gltf:
                let data = GLTFWriter.data(animation, rig: rig ?? DefaultHead.shared, audio: audioReference, binary: chosen == .glb)
                try set.stage(data, as: path)
            case .png:
                guard (0..<animation.frameCount).contains(stillFrame) else {
                    throw FaceError.invalidArgument("frame \(stillFrame) is outside 0..<\(animation.frameCount)")
                }
                let image = renderer().render(weights: animation.frame(stillFrame), headPose: animation.headPose[stillFrame])
                try set.stage(PNG.encode(image), as: path)
            case .mp4, .mov, .mkv:
                let staged = try set.stage(path, suffix: "." + chosen.rawValue)
                try encodeVideo(animation, to: staged.temporaryPath, progress: progress)
            }
        } catch let error as SystemError {
            throw FaceError(error)
        } catch let error as FaceError {
            throw error
        } catch {
            throw .io(file: path, problem: "\(error)")
        }
    }

    /// Renders every frame and pipes it to ffmpeg, which writes `path`.
    func encodeVideo(_ animation: FaceAnimation, to path: String, progress: (Int, Int) -> Void) throws(FaceError) {
        let renderer = renderer()
        let encoder = try VideoEncoder(url: URL(fileURLWithPath: path), width: render.width, height: render.height,
                                       fps: animation.fps, audio: audioTrack.map { URL(fileURLWithPath: $0) })
        for frame in 0..<animation.frameCount {
            try encoder.append(renderer.render(weights: animation.frame(frame), headPose: animation.headPose[frame]))
            if frame % 15 == 0 || frame == animation.frameCount - 1 { progress(frame + 1, animation.frameCount) }
        }
        try encoder.finish()
    }

    func renderer() -> FaceRenderer { FaceRenderer(rig: rig ?? DefaultHead.shared, options: render) }
}
