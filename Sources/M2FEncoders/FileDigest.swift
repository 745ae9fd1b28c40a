import Crypto
import Foundation

/// SHA-256 digests in hexadecimal, computed by swift-crypto: they verify downloaded wheels and
/// installed model files, and name inputs in batch reports.
///
/// Files are streamed in 1 MiB chunks, so large checkpoints need no extra memory.
public enum FileDigest {
    /// The SHA-256 of `bytes` as 64 lower-case hexadecimal digits.
    public static func sha256Hex<Bytes: DataProtocol>(of bytes: Bytes) -> String {
        hex(Crypto.SHA256.hash(data: bytes))
    }

    /// The SHA-256 of the file at `path` as 64 lower-case hexadecimal digits.
    /// - Throws: `EncoderError.unreadable` when the file cannot be opened or read.
    public static func sha256Hex(ofFileAt path: String) throws -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw EncoderError.unreadable(path: path, reason: "cannot open the file to compute its sha256")
        }
        defer { try? handle.close() }
        var hasher = Crypto.SHA256()
        do {
            while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
                hasher.update(data: chunk)
            }
        } catch {
            throw EncoderError.unreadable(path: path, reason: "reading it for its sha256 failed: \(error.localizedDescription)")
        }
        return hex(hasher.finalize())
    }

    private static func hex<Digest: Sequence>(_ digest: Digest) -> String where Digest.Element == UInt8 {
        digest.map { byte in
            let digits = String(byte, radix: 16)
            return byte < 16 ? "0" + digits : digits
        }.joined()
    }
}
