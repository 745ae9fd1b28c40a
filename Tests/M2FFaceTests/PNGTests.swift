import Foundation
import Testing
import M2FFace

/// A small inflater (stored and fixed-Huffman blocks, which is all our encoder writes) to check
/// PNG output without zlib.
struct TestInflater {
    let bytes: [UInt8]
    var position = 0, bit = 0

    mutating func bits(_ n: Int) -> Int {
        var value = 0
        for i in 0..<n {
            let b = (Int(bytes[position]) >> bit) & 1
            value |= b << i
            bit += 1
            if bit == 8 { bit = 0; position += 1 }
        }
        return value
    }

    mutating func huffmanBits(_ n: Int) -> Int {
        var value = 0
        for _ in 0..<n { value = (value << 1) | bits(1) }
        return value
    }

    mutating func literal() -> Int {
        var code = huffmanBits(7)
        if code <= 0x17 { return code + 256 }
        code = (code << 1) | bits(1)
        if code >= 0x30 && code <= 0xBF { return code - 0x30 }
        if code >= 0xC0 && code <= 0xC7 { return code - 0xC0 + 280 }
        code = (code << 1) | bits(1)
        return code - 0x190 + 144
    }

    static func inflate(zlib: [UInt8]) -> [UInt8] {
        var s = TestInflater(bytes: Array(zlib.dropFirst(2)))
        var out: [UInt8] = []
        let lengthBase = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258]
        let lengthExtra = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0]
        let distanceBase = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577]
        let distanceExtra = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13]
        var final = 0
        repeat {
            final = s.bits(1)
            let type = s.bits(2)
            precondition(type == 1, "test inflater reads fixed-Huffman blocks only")
            while true {
                let symbol = s.literal()
                if symbol < 256 { out.append(UInt8(symbol)); continue }
                if symbol == 256 { break }
                let l = symbol - 257
                let length = lengthBase[l] + s.bits(lengthExtra[l])
                let d = s.huffmanBits(5)
                let distance = distanceBase[d] + s.bits(distanceExtra[d])
                for _ in 0..<length { out.append(out[out.count - distance]) }
            }
        } while final == 0
        return out
    }
}

@Suite struct PNGTests {
    @Test func zlibRoundTrip() {
        var random = TestRandom(seed: 5)
        let text = Array("the face the face the face of the rig, ".utf8) + (0..<3000).map { _ in UInt8(random.next() * 4) }
        let compressed = PNG.zlibCompress(text)
        #expect(compressed.count < text.count)
        #expect(TestInflater.inflate(zlib: compressed) == text)
    }

    @Test func pngStructureAndPixels() {
        var image = RGBImage(width: 7, height: 5)
        for y in 0..<5 { for x in 0..<7 { image[x, y] = SIMD3(UInt8(x * 30), UInt8(y * 50), UInt8((x + y) * 10)) } }
        let bytes = [UInt8](PNG.encode(image))
        #expect(Array(bytes.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        // Walk the chunks, checking every CRC, and collect IDAT.
        var offset = 8, idat: [UInt8] = [], types: [String] = []
        while offset < bytes.count {
            let length = Int(bytes[offset]) << 24 | Int(bytes[offset + 1]) << 16 | Int(bytes[offset + 2]) << 8 | Int(bytes[offset + 3])
            let body = Array(bytes[(offset + 4)..<(offset + 8 + length)])
            let crc = bytes[(offset + 8 + length)..<(offset + 12 + length)].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
            #expect(PNG.crc32(body) == crc)
            let type = String(decoding: body.prefix(4), as: UTF8.self)
            types.append(type)
            if type == "IDAT" { idat += body.dropFirst(4) }
            offset += 12 + length
        }
        #expect(types == ["IHDR", "IDAT", "IEND"])
        // Unfilter and compare with the pixels.
        let raw = TestInflater.inflate(zlib: idat)
        let stride = 7 * 3
        #expect(raw.count == (stride + 1) * 5)
        var previous = [UInt8](repeating: 0, count: stride), decoded: [UInt8] = []
        for y in 0..<5 {
            let filter = raw[y * (stride + 1)]
            var row = Array(raw[(y * (stride + 1) + 1)..<((y + 1) * (stride + 1))])
            for i in 0..<stride {
                let a = i >= 3 ? Int(row[i - 3]) : 0, b = Int(previous[i]), c = i >= 3 ? Int(previous[i - 3]) : 0
                let p = a + b - c
                let paeth = (abs(p - a) <= abs(p - b) && abs(p - a) <= abs(p - c)) ? a : (abs(p - b) <= abs(p - c) ? b : c)
                let predicted = [0, a, b, (a + b) / 2, paeth][Int(filter)]
                row[i] = row[i] &+ UInt8(predicted & 0xFF)
            }
            decoded += row
            previous = row
        }
        #expect(decoded == image.pixels)
    }
}
