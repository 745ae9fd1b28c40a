import CZlib
import Foundation
import Testing
import M2FFace

/// zlib's own inflate, the reference our PNG output is checked against.
func inflate(zlib stream: [UInt8], expectedCount: Int) -> [UInt8]? {
    var length = uLong(expectedCount)
    var out = [UInt8](repeating: 0, count: max(1, expectedCount))
    guard uncompress(&out, &length, stream, uLong(stream.count)) == Z_OK else { return nil }
    return Array(out.prefix(Int(length)))
}

@Suite struct PNGTests {
    @Test func zlibRoundTrip() {
        var random = TestRandom(seed: 5)
        let text = Array("the face the face the face of the rig, ".utf8) + (0..<3000).map { _ in UInt8(random.next() * 4) }
        let compressed = PNG.zlibCompress(text)
        #expect(compressed.count < text.count)
        #expect(inflate(zlib: compressed, expectedCount: text.count) == text)
    }

    /// The CRC-32 check value of the standard ("123456789" → CBF43926) and of IEND's type.
    @Test func crcKnownAnswers() {
        #expect(PNG.crc32(Array("123456789".utf8)) == 0xCBF4_3926)
        #expect(PNG.crc32(Array("IEND".utf8)) == 0xAE42_6082)
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
        let raw = inflate(zlib: idat, expectedCount: (7 * 3 + 1) * 5) ?? []
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
