// Our PNG encoder (Sources/M2FFace/PNG.swift, prepended by png_libpng.sh) against libpng 1.6's
// simplified writer on the 52-shape contact sheet: median of 7 interleaved rounds, one JSON line.
import CPNGBench
import Foundation

enum LibPNG {
    static func encode(_ image: RGBImage) -> Data {
        var header = png_image()
        header.version = UInt32(PNG_IMAGE_VERSION)
        header.width = UInt32(image.width)
        header.height = UInt32(image.height)
        header.format = UInt32(PNG_FORMAT_RGB)
        defer { png_image_free(&header) }
        return image.pixels.withUnsafeBufferPointer { pixels in
            var size: png_alloc_size_t = 0
            precondition(png_image_write_to_memory(&header, nil, &size, 0, pixels.baseAddress, 0, nil) != 0)
            var bytes = Data(count: Int(size))
            precondition(bytes.withUnsafeMutableBytes { png_image_write_to_memory(&header, $0.baseAddress, &size, 0, pixels.baseAddress, 0, nil) } != 0)
            return bytes.prefix(Int(size))
        }
    }

    static func decode(_ data: Data) -> RGBImage? {
        var header = png_image()
        header.version = UInt32(PNG_IMAGE_VERSION)
        defer { png_image_free(&header) }
        return data.withUnsafeBytes { bytes -> RGBImage? in
            guard png_image_begin_read_from_memory(&header, bytes.baseAddress, bytes.count) != 0 else { return nil }
            header.format = UInt32(PNG_FORMAT_RGB)
            var pixels = [UInt8](repeating: 0, count: Int(header.width) * Int(header.height) * 3)
            guard png_image_finish_read(&header, nil, &pixels, 0, nil) != 0 else { return nil }
            return RGBImage(width: Int(header.width), height: Int(header.height), pixels: pixels)
        }
    }
}

func milliseconds(_ body: () -> Data) -> (ms: Double, bytes: Data) {
    let start = DispatchTime.now().uptimeNanoseconds
    let data = body()
    return (Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6, data)
}

let sheet = LibPNG.decode(try Data(contentsOf: URL(fileURLWithPath: CommandLine.arguments[1])))!
var ours: [Double] = [], libpng: [Double] = []
var oursBytes = Data(), libpngBytes = Data()
for _ in 0..<7 {
    let a = milliseconds { PNG.encode(sheet) }; ours.append(a.ms); oursBytes = a.bytes
    let b = milliseconds { LibPNG.encode(sheet) }; libpng.append(b.ms); libpngBytes = b.bytes
}
let same = LibPNG.decode(oursBytes)?.pixels == sheet.pixels && LibPNG.decode(libpngBytes)?.pixels == sheet.pixels
print("{\"bench\":\"png_encode_contact_sheet\",\"width\":\(sheet.width),\"height\":\(sheet.height),"
      + "\"ours_ms_median\":\(ours.sorted()[3]),\"libpng_ms_median\":\(libpng.sorted()[3]),"
      + "\"ours_bytes\":\(oursBytes.count),\"libpng_bytes\":\(libpngBytes.count),\"same_pixels\":\(same)}")
