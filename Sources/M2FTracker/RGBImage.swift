import Foundation
import M2FEngine

/// An 8-bit RGB picture, rows top to bottom, pixels interleaved (what ffmpeg's rgb24 gives).
public struct RGBImage: Sendable {
    public let width: Int, height: Int
    /// width × height × 3 bytes.
    public var pixels: [UInt8]

    public init(width: Int, height: Int, pixels: [UInt8]) {
        precondition(width > 0 && height > 0 && pixels.count == width * height * 3, "an RGB image holds width × height × 3 bytes")
        (self.width, self.height, self.pixels) = (width, height, pixels)
    }

    /// What lies outside the picture when a crop reaches past it.
    public enum Border: Sendable { case zero, replicate }

    /// Samples `region` into a `size` × `size` × 3 float tensor (HWC) with values mapped from [0, 255] to
    /// `range`: output pixel (x, y) reads the picture bilinearly at corner + x·(w/size)·û + y·(h/size)·v̂,
    /// as MediaPipe's `ImageToTensorCalculator` (OpenCV `warpPerspective`, corners onto corners) does;
    /// the bilinear value is rounded to 8 bits first, as OpenCV's 8-bit warp does.
    public func crop(_ region: PixelRegion, size: Int, range: ClosedRange<Float>, border: Border) -> [Float] {
        precondition(region.center.x.isFinite && region.center.y.isFinite && region.size.x.isFinite && region.size.y.isFinite && region.rotation.isFinite, "crop regions are finite")
        var out = [Float](repeating: 0, count: size * size * 3)
        let c = cos(region.rotation), s = sin(region.rotation)
        let stepX = SIMD2(c, s) * (region.size.x / Float(size))
        let stepY = SIMD2(-s, c) * (region.size.y / Float(size))
        let corner = region.center - SIMD2(c, s) * (region.size.x / 2) - SIMD2(-s, c) * (region.size.y / 2)
        let scale = (range.upperBound - range.lowerBound) / 255, offset = range.lowerBound
        let maxX = width - 1, maxY = height - 1
        pixels.withUnsafeBufferPointer { source in
            out.withUnsafeMutableBufferPointer { target in
              let buffers = SharedPointers((source, target))
              // Output rows split across cores (each writes its own rows).
              Parallel.forRows(size, rowLength: size * 12) { rows in
                let (src, dst) = buffers.value
                for y in rows {
                    var p = corner + stepY * Float(y)
                    for x in 0..<size {
                        let x0f = Self.floor(p.x), y0f = Self.floor(p.y)
                        let fx = p.x - x0f, fy = p.y - y0f
                        var value = SIMD3<Float>.zero
                        if x0f >= 0, y0f >= 0, x0f < Float(maxX), y0f < Float(maxY) {
                            let i = (Int(y0f) * width + Int(x0f)) * 3, j = i + width * 3
                            let top = SIMD3(Float(src[i]), Float(src[i + 1]), Float(src[i + 2])) * (1 - fx)
                                + SIMD3(Float(src[i + 3]), Float(src[i + 4]), Float(src[i + 5])) * fx
                            let bottom = SIMD3(Float(src[j]), Float(src[j + 1]), Float(src[j + 2])) * (1 - fx)
                                + SIMD3(Float(src[j + 3]), Float(src[j + 4]), Float(src[j + 5])) * fx
                            value = top * (1 - fy) + bottom * fy
                        } else if border == .replicate || (x0f >= -1 && y0f >= -1 && x0f <= Float(maxX) && y0f <= Float(maxY)) {
                            // At or past the edge: each of the four neighbours is read or bordered.
                            let x0 = Int(max(-2, min(x0f, Float(width)))), y0 = Int(max(-2, min(y0f, Float(height))))
                            func pixel(_ sx: Int, _ sy: Int) -> SIMD3<Float> {
                                if sx < 0 || sx > maxX || sy < 0 || sy > maxY {
                                    guard border == .replicate else { return .zero }
                                    let i = (min(max(sy, 0), maxY) * width + min(max(sx, 0), maxX)) * 3
                                    return SIMD3(Float(src[i]), Float(src[i + 1]), Float(src[i + 2]))
                                }
                                let i = (sy * width + sx) * 3
                                return SIMD3(Float(src[i]), Float(src[i + 1]), Float(src[i + 2]))
                            }
                            value = (pixel(x0, y0) * (1 - fx) + pixel(x0 + 1, y0) * fx) * (1 - fy)
                                + (pixel(x0, y0 + 1) * (1 - fx) + pixel(x0 + 1, y0 + 1) * fx) * fy
                        }
                        let o = (y * size + x) * 3
                        dst[o] = Self.round(value.x) * scale + offset
                        dst[o + 1] = Self.round(value.y) * scale + offset
                        dst[o + 2] = Self.round(value.z) * scale + offset
                        p += stepX
                    }
                }
              }
            }
        }
        return out
    }

    /// ⌊x⌋ by integer conversion (the library call `rounded(.down)` compiles to costs more than the
    /// bilinear sample itself on baseline x86-64); positions far outside the picture are clamped first,
    /// where every read is the border anyway.
    @inline(__always) static func floor(_ x: Float) -> Float {
        let clamped = Swift.min(Swift.max(x, -1e9), 1e9)
        let t = Float(Int(clamped))
        return t > clamped ? t - 1 : t
    }

    /// `x.rounded()` (half away from zero) for x ≥ 0, exactly, without the library call.
    @inline(__always) static func round(_ x: Float) -> Float {
        let t = Float(Int(x))
        return x - t >= 0.5 ? t + 1 : t
    }
}
