import CZlib
import Foundation

/// An 8-bit RGB image, rows top to bottom.
public struct RGBImage: Equatable, Sendable {
    public var width: Int
    public var height: Int
    /// width × height × 3 bytes.
    public var pixels: [UInt8]

    public init(width: Int, height: Int, pixels: [UInt8]? = nil) {
        self.width = width
        self.height = height
        self.pixels = pixels ?? [UInt8](repeating: 0, count: width * height * 3)
        precondition(self.pixels.count == width * height * 3, "RGB image needs width × height × 3 bytes")
    }

    public subscript(x: Int, y: Int) -> SIMD3<UInt8> {
        get { let i = (y * width + x) * 3; return SIMD3(pixels[i], pixels[i + 1], pixels[i + 2]) }
        set { let i = (y * width + x) * 3; pixels[i] = newValue.x; pixels[i + 1] = newValue.y; pixels[i + 2] = newValue.z }
    }

    /// Copies `tile` with its top-left corner at (x, y), clipped to this image.
    public mutating func paste(_ tile: RGBImage, x: Int, y: Int) {
        for row in 0..<tile.height where y + row >= 0 && y + row < height {
            for column in 0..<tile.width where x + column >= 0 && x + column < width {
                self[x + column, y + row] = tile[column, row]
            }
        }
    }
}

/// PNG encoding: our row filters (the standard minimum-sum heuristic), zlib's DEFLATE and CRC-32.
public enum PNG {
    /// PNG bytes of an RGB image (8 bits per channel, filtered rows, one IDAT chunk).
    public static func encode(_ image: RGBImage) -> Data {
        let stride = image.width * 3
        // Filter each row with the filter that gives the smallest sum of |bytes| (a standard heuristic).
        var raw: [UInt8] = []
        raw.reserveCapacity((stride + 1) * image.height)
        var candidate = [UInt8](repeating: 0, count: stride)
        var best = [UInt8](repeating: 0, count: stride)
        image.pixels.withUnsafeBufferPointer { px in
            for y in 0..<image.height {
                let row = y * stride, up = (y - 1) * stride
                var bestScore = Int.max, bestFilter: UInt8 = 0
                for filter: UInt8 in 0...4 {
                    var score = 0
                    for i in 0..<stride {
                        let x = px[row + i]
                        let a = i >= 3 ? px[row + i - 3] : 0
                        let b = y > 0 ? px[up + i] : 0
                        let c = (i >= 3 && y > 0) ? px[up + i - 3] : 0
                        let predicted: UInt8
                        switch filter {
                        case 0: predicted = 0
                        case 1: predicted = a
                        case 2: predicted = b
                        case 3: predicted = UInt8((Int(a) + Int(b)) / 2)
                        default: predicted = paeth(a, b, c)
                        }
                        let value = x &- predicted
                        candidate[i] = value
                        score += value < 128 ? Int(value) : 256 - Int(value)
                    }
                    if score < bestScore { bestScore = score; bestFilter = filter; swap(&best, &candidate) }
                }
                raw.append(bestFilter)
                raw.append(contentsOf: best)
            }
        }
        var out: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        var header: [UInt8] = []
        header += bigEndian(UInt32(image.width)) + bigEndian(UInt32(image.height))
        header += [8, 2, 0, 0, 0]  // 8-bit, truecolour, deflate, adaptive filtering, no interlace
        appendChunk(&out, "IHDR", header)
        appendChunk(&out, "IDAT", zlibCompress(raw))
        appendChunk(&out, "IEND", [])
        return Data(out)
    }

    public static func write(_ image: RGBImage, to url: URL) throws(FaceError) {
        try writeAtomically(encode(image), to: url)
    }

    static func paeth(_ a: UInt8, _ b: UInt8, _ c: UInt8) -> UInt8 {
        let p = Int(a) + Int(b) - Int(c)
        let pa = abs(p - Int(a)), pb = abs(p - Int(b)), pc = abs(p - Int(c))
        if pa <= pb && pa <= pc { return a }
        return pb <= pc ? b : c
    }

    static func bigEndian(_ v: UInt32) -> [UInt8] { [UInt8(v >> 24), UInt8((v >> 16) & 0xFF), UInt8((v >> 8) & 0xFF), UInt8(v & 0xFF)] }

    static func appendChunk(_ out: inout [UInt8], _ type: String, _ data: [UInt8]) {
        out += bigEndian(UInt32(data.count))
        let body = Array(type.utf8) + data
        out += body
        out += bigEndian(crc32(body))
    }

    /// CRC-32 as PNG and gzip use it (zlib's).
    public static func crc32(_ bytes: [UInt8]) -> UInt32 {
        bytes.withUnsafeBufferPointer { UInt32(CZlib.crc32(0, $0.baseAddress, uInt($0.count))) }
    }

    /// A zlib stream of `input`, at zlib's default level.
    public static func zlibCompress(_ input: [UInt8]) -> [UInt8] {
        var length = compressBound(uLong(input.count))
        var output = [UInt8](repeating: 0, count: Int(length))
        let status = compress2(&output, &length, input, uLong(input.count), Z_DEFAULT_COMPRESSION)
        // compress2 fails only without memory or with a buffer smaller than compressBound.
        precondition(status == Z_OK, "zlib compress2 failed with status \(status)")
        output.removeLast(output.count - Int(length))
        return output
    }
}
