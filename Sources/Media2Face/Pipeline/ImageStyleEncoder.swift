import Foundation
import M2FFace
import M2FGNPFA
import M2FSystem

/// Which way a face image becomes a style code.
public enum ImageStyleSource: String, Codable, Sendable, CaseIterable {
    /// The face tracker's ARKit weights through GNPFA's ARKit encoder (`PhotoExpressionTracker`): the default.
    case tracker
    /// GNPFA's image encoder, trained on renders of the default head (`Models/gnpfa/image.safetensors`).
    case imageEncoder = "image-encoder"
}

/// A face image as a style code: through the face tracker (default), or decoded and scaled to the
/// render-trained image encoder's square input by ffmpeg (PNG, JPEG, WebP, a video's first frame…).
package struct ImageStyleEncoder {
    package let encoder: ImageEncoder?
    package let tracker: PhotoExpressionTracker?

    package init(encoder: ImageEncoder) { (self.encoder, self.tracker) = (encoder, nil) }
    package init(tracker: PhotoExpressionTracker) { (self.encoder, self.tracker) = (nil, tracker) }

    /// The expression code (Z values) of the face in the image file at `url`.
    package func expressionCode(imageAt url: URL) throws -> [Float] {
        if let tracker { return try tracker.expressionCode(imageAt: url) }
        guard let encoder else { throw PipelineError.imageEncoderUnavailable(image: url.path) }
        let image = try Self.decode(url, size: encoder.configuration.imageSize)
        return encoder.encode([image]).latents.toArray()
    }

    /// The first frame of `url` as size × size RGB (scaled to fill, centre-cropped).
    package static func decode(_ url: URL, size: Int) throws -> RGBImage {
        guard let ffmpeg = Executable.ffmpeg else {
            throw PipelineError.imageUnreadable(image: url.path, problem: "reading images needs ffmpeg (apt-get install ffmpeg)")
        }
        do { try InputFile.checkRegular(url.path) } catch { throw PipelineError.imageUnreadable(image: url.path, problem: error.problem) }
        let result: (status: Int32, output: Data, errors: String)
        do {
            result = try Subprocess.run(ffmpeg, ["-nostdin", "-loglevel", "error", "-i", url.path, "-frames:v", "1",
                                                 "-vf", "scale=\(size):\(size):force_original_aspect_ratio=increase,crop=\(size):\(size)",
                                                 "-f", "rawvideo", "-pix_fmt", "rgb24", "pipe:1"])
        } catch {
            throw PipelineError.imageUnreadable(image: url.path, problem: "cannot start ffmpeg: \(error.problem)")
        }
        let bytes = result.output
        guard result.status == 0, bytes.count == size * size * 3 else {
            let detail = result.errors.split(separator: "\n").last.map(String.init) ?? "not an image"
            throw PipelineError.imageUnreadable(image: url.path, problem: detail)
        }
        return RGBImage(width: size, height: size, pixels: [UInt8](bytes))
    }
}
