import Foundation
import M2FFace

/// Reads a face image file (PNG, JPEG, anything ffmpeg reads) as an S×S RGB image, centre-cropped to
/// a square and resized by ffmpeg: `ffmpeg -i FILE -vf scale=S:S:force_original_aspect_ratio=increase,crop=S:S
/// -f rawvideo -pix_fmt rgb24 -`.
///
/// ffmpeg rather than a PNG decoder of our own: the project already needs ffmpeg (audio decoding,
/// MP4 export), and one subprocess covers every PNG variant (palette, 16-bit, interlaced, alpha) and
/// JPEG photos too, which a small decoder would not.
package enum ImageFileDecoder {
    /// `$M2F_FFMPEG`, else the first `ffmpeg` on `$PATH`.
    package static func locateFFmpeg() -> String? {
        let environment = ProcessInfo.processInfo.environment
        if let path = environment["M2F_FFMPEG"], FileManager.default.isExecutableFile(atPath: path) { return path }
        for directory in (environment["PATH"] ?? "/usr/bin:/usr/local/bin:/opt/homebrew/bin").split(separator: ":") {
            let candidate = "\(directory)/ffmpeg"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// The image at `path` as `size`×`size` RGB.
    /// - Throws: `GNPFAError.missingFile` when the file or ffmpeg is missing, `.imageDecoding` when ffmpeg fails.
    package static func read(path: String, size: Int) throws -> RGBImage {
        guard FileManager.default.fileExists(atPath: path) else {
            throw GNPFAError.missingFile(path: path, fix: "check the path of the face image")
        }
        guard let ffmpeg = locateFFmpeg() else {
            throw GNPFAError.missingFile(path: "ffmpeg", fix: "install ffmpeg (apt-get install ffmpeg, or brew install ffmpeg) or set M2F_FFMPEG")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: ffmpeg)
        process.arguments = ["-nostdin", "-v", "error", "-i", path, "-frames:v", "1",
                             "-vf", "scale=\(size):\(size):force_original_aspect_ratio=increase:flags=area,crop=\(size):\(size)",
                             "-f", "rawvideo", "-pix_fmt", "rgb24", "-"]
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        do { try process.run() } catch {
            throw GNPFAError.imageDecoding(path: path, problem: "cannot start ffmpeg: \(error.localizedDescription)")
        }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let log = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw GNPFAError.imageDecoding(path: path, problem: "ffmpeg exited with status \(process.terminationStatus): \(log.trimmingCharacters(in: .whitespacesAndNewlines))")
        }
        guard data.count == size * size * 3 else {
            throw GNPFAError.imageDecoding(path: path, problem: "ffmpeg returned \(data.count) bytes, expected \(size * size * 3)")
        }
        return RGBImage(width: size, height: size, pixels: [UInt8](data))
    }
}
