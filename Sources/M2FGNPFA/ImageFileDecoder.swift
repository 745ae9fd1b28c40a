import Foundation
import M2FFace
import M2FSystem

/// Reads a face image file (PNG, JPEG, anything ffmpeg reads) as an S×S RGB image, centre-cropped to
/// a square and resized by ffmpeg: `ffmpeg -i FILE -vf scale=S:S:force_original_aspect_ratio=increase,crop=S:S
/// -f rawvideo -pix_fmt rgb24 -`.
///
/// ffmpeg rather than a PNG decoder of our own: the project already needs ffmpeg (audio decoding,
/// MP4 export), and one subprocess covers every PNG variant (palette, 16-bit, interlaced, alpha) and
/// JPEG photos too, which a small decoder would not.
package enum ImageFileDecoder {
    /// `Executable.ffmpeg`: `$M2F_FFMPEG`, else the first `ffmpeg` on `$PATH`.
    package static func locateFFmpeg() -> String? { Executable.ffmpeg }

    /// The image at `path` as `size`×`size` RGB.
    /// - Throws: `GNPFAError.missingFile` when the file or ffmpeg is missing, `.imageDecoding` when ffmpeg fails.
    package static func read(path: String, size: Int) throws -> RGBImage {
        do { try InputFile.checkRegular(path) } catch {
            throw GNPFAError.missingFile(path: path, fix: "check the path of the face image (\(error.problem))")
        }
        guard let ffmpeg = locateFFmpeg() else {
            throw GNPFAError.missingFile(path: "ffmpeg", fix: "install ffmpeg (apt-get install ffmpeg, or brew install ffmpeg) or set M2F_FFMPEG")
        }
        let result: (status: Int32, output: Data, errors: String)
        do {
            result = try Subprocess.run(ffmpeg, ["-nostdin", "-v", "error", "-i", path, "-frames:v", "1",
                                                 "-vf", "scale=\(size):\(size):force_original_aspect_ratio=increase:flags=area,crop=\(size):\(size)",
                                                 "-f", "rawvideo", "-pix_fmt", "rgb24", "pipe:1"])
        } catch {
            throw GNPFAError.imageDecoding(path: path, problem: "cannot start ffmpeg: \(error.problem)")
        }
        let data = result.output
        guard result.status == 0 else {
            throw GNPFAError.imageDecoding(path: path, problem: "ffmpeg exited with status \(result.status): \(result.errors.trimmingCharacters(in: .whitespacesAndNewlines))")
        }
        guard data.count == size * size * 3 else {
            throw GNPFAError.imageDecoding(path: path, problem: "ffmpeg returned \(data.count) bytes, expected \(size * size * 3)")
        }
        return RGBImage(width: size, height: size, pixels: [UInt8](data))
    }
}
