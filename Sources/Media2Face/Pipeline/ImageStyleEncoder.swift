import Foundation
import M2FFace
import M2FGNPFA

/// A face image as a style: decoded and scaled to the encoder's square input by ffmpeg (PNG, JPEG,
/// WebP, a video's first frame…), then GNPFA's image encoder gives its expression code.
package struct ImageStyleEncoder {
    package let encoder: ImageEncoder

    package init(encoder: ImageEncoder) { self.encoder = encoder }

    /// The expression code (Z values) of the face in the image file at `url`.
    package func expressionCode(imageAt url: URL) throws -> [Float] {
        let image = try Self.decode(url, size: encoder.configuration.imageSize)
        return encoder.encode([image]).latents.toArray()
    }

    /// The first frame of `url` as size × size RGB (scaled to fill, centre-cropped).
    package static func decode(_ url: URL, size: Int) throws -> RGBImage {
        guard let ffmpeg = VideoEncoder.findExecutable("ffmpeg") else {
            throw PipelineError.imageUnreadable(image: url.path, problem: "reading images needs ffmpeg (apt-get install ffmpeg)")
        }
        // Output and log go to temporary files (no pipes: nothing to drain while ffmpeg runs).
        let stem = FileManager.default.temporaryDirectory.appendingPathComponent("m2f-image-\(getpid())-\(UUID().uuidString)")
        let raw = stem.appendingPathExtension("rgb"), logFile = stem.appendingPathExtension("log")
        defer { try? FileManager.default.removeItem(at: raw); try? FileManager.default.removeItem(at: logFile) }
        FileManager.default.createFile(atPath: logFile.path, contents: nil)
        let process = Process()
        process.executableURL = ffmpeg
        process.arguments = ["-nostdin", "-loglevel", "error", "-y", "-i", url.path, "-frames:v", "1",
                             "-vf", "scale=\(size):\(size):force_original_aspect_ratio=increase,crop=\(size):\(size)",
                             "-f", "rawvideo", "-pix_fmt", "rgb24", raw.path]
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        do {
            process.standardError = try FileHandle(forWritingTo: logFile)
            try process.run()
        } catch {
            throw PipelineError.imageUnreadable(image: url.path, problem: "cannot start ffmpeg: \(error.localizedDescription)")
        }
        process.waitUntilExit()
        let bytes = (try? Data(contentsOf: raw)) ?? Data()
        let log = (try? String(contentsOf: logFile, encoding: .utf8)) ?? ""
        guard process.terminationStatus == 0, bytes.count == size * size * 3 else {
            let detail = log.split(separator: "\n").last.map(String.init) ?? "not an image"
            throw PipelineError.imageUnreadable(image: url.path, problem: detail)
        }
        return RGBImage(width: size, height: size, pixels: [UInt8](bytes))
    }
}
