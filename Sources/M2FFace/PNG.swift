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

/// PNG encoding with our own DEFLATE (LZ77 + fixed Huffman codes); Foundation has no zlib on Linux.
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

    static let crcTable: [UInt32] = (0..<256).map { n -> UInt32 in
        var c = UInt32(n)
        for _ in 0..<8 { c = (c & 1) != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    /// CRC-32 as PNG and gzip use it.
    public static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var c: UInt32 = 0xFFFF_FFFF
        for b in bytes { c = crcTable[Int((c ^ UInt32(b)) & 0xFF)] ^ (c >> 8) }
        return c ^ 0xFFFF_FFFF
    }

    static func adler32(_ bytes: [UInt8]) -> UInt32 {
        var a: UInt32 = 1, b: UInt32 = 0
        var i = 0
        while i < bytes.count {
            let end = min(i + 5552, bytes.count)
            while i < end { a += UInt32(bytes[i]); b += a; i += 1 }
            a %= 65521; b %= 65521
        }
        return (b << 16) | a
    }

    /// A zlib stream: header, one DEFLATE block with fixed Huffman codes, Adler-32.
    public static func zlibCompress(_ input: [UInt8]) -> [UInt8] {
        var writer = BitWriter()
        writer.bytes = [0x78, 0x01]
        writer.write(1, bits: 1)  // BFINAL
        writer.write(1, bits: 2)  // BTYPE = fixed Huffman
        let windowSize = 32768, hashSize = 1 << 15, maxChain = 24
        var head = [Int32](repeating: -1, count: hashSize)
        var previous = [Int32](repeating: -1, count: windowSize)
        func hash(_ i: Int) -> Int {
            (Int(input[i]) << 10 ^ Int(input[i + 1]) << 5 ^ Int(input[i + 2])) & (hashSize - 1)
        }
        func insert(_ i: Int) {
            guard i + 2 < input.count else { return }
            let h = hash(i)
            previous[i & (windowSize - 1)] = head[h]
            head[h] = Int32(i)
        }
        var i = 0
        while i < input.count {
            var bestLength = 0, bestDistance = 0
            if i + 2 < input.count {
                var candidate = Int(head[hash(i)])
                var chain = 0
                let limit = min(258, input.count - i)
                while candidate >= 0, i - candidate <= windowSize - 1, chain < maxChain {
                    if input[candidate + bestLength] == input[i + bestLength] || bestLength == 0 {
                        var length = 0
                        while length < limit, input[candidate + length] == input[i + length] { length += 1 }
                        if length > bestLength { bestLength = length; bestDistance = i - candidate; if length == limit { break } }
                    }
                    let next = Int(previous[candidate & (windowSize - 1)])
                    if next >= candidate { break }
                    candidate = next
                    chain += 1
                }
            }
            if bestLength >= 3 {
                writer.writeLength(bestLength)
                writer.writeDistance(bestDistance)
                for k in 0..<bestLength { insert(i + k) }
                i += bestLength
            } else {
                writer.writeLiteral(Int(input[i]))
                insert(i)
                i += 1
            }
        }
        writer.writeLiteral(256)  // end of block
        writer.flush()
        return writer.bytes + bigEndian(adler32(input))
    }
}

/// Writes DEFLATE's little-endian bit stream with fixed Huffman codes.
struct BitWriter {
    var bytes: [UInt8] = []
    var buffer: UInt64 = 0
    var count = 0

    mutating func write(_ value: Int, bits: Int) {
        buffer |= UInt64(value) << UInt64(count)
        count += bits
        while count >= 8 {
            bytes.append(UInt8(buffer & 0xFF))
            buffer >>= 8
            count -= 8
        }
    }

    /// Huffman codes go most significant bit first.
    mutating func writeCode(_ code: Int, bits: Int) {
        var reversed = 0
        for b in 0..<bits where (code >> b) & 1 != 0 { reversed |= 1 << (bits - 1 - b) }
        write(reversed, bits: bits)
    }

    mutating func writeLiteral(_ symbol: Int) {
        switch symbol {
        case 0...143: writeCode(0x30 + symbol, bits: 8)
        case 144...255: writeCode(0x190 + symbol - 144, bits: 9)
        case 256...279: writeCode(symbol - 256, bits: 7)
        default: writeCode(0xC0 + symbol - 280, bits: 8)
        }
    }

    static let lengthBase = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258]
    static let lengthExtra = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0]
    static let distanceBase = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577]
    static let distanceExtra = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13]

    mutating func writeLength(_ length: Int) {
        var code = Self.lengthBase.count - 1
        while Self.lengthBase[code] > length { code -= 1 }
        writeLiteral(257 + code)
        if Self.lengthExtra[code] > 0 { write(length - Self.lengthBase[code], bits: Self.lengthExtra[code]) }
    }

    mutating func writeDistance(_ distance: Int) {
        var code = Self.distanceBase.count - 1
        while Self.distanceBase[code] > distance { code -= 1 }
        writeCode(code, bits: 5)
        if Self.distanceExtra[code] > 0 { write(distance - Self.distanceBase[code], bits: Self.distanceExtra[code]) }
    }

    mutating func flush() {
        if count > 0 { bytes.append(UInt8(buffer & 0xFF)) }
        buffer = 0
        count = 0
    }
}
