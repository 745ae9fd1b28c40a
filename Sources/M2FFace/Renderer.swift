import Foundation

/// A perspective camera (metres, glTF axes).
public struct Camera: Equatable, Sendable {
    public var position: SIMD3<Float>
    public var target: SIMD3<Float>
    public var up: SIMD3<Float>
    /// Vertical field of view in radians.
    public var fieldOfView: Float

    public init(position: SIMD3<Float>, target: SIMD3<Float>, up: SIMD3<Float> = SIMD3(0, 1, 0), fieldOfView: Float) {
        (self.position, self.target, self.up, self.fieldOfView) = (position, target, up, fieldOfView)
    }

    /// Frames the default head from the front: crown to upper neck.
    public static let portrait = Camera(position: SIMD3(0, 0.085, 0.62), target: SIMD3(0, 0.080, 0.03), fieldOfView: 0.46)
    /// A closer view of the face, brows to chin.
    public static let face = Camera(position: SIMD3(0, 0.075, 0.50), target: SIMD3(0, 0.072, 0.05), fieldOfView: 0.30)
    /// A close-up of the mouth.
    public static let mouth = Camera(position: SIMD3(0, 0.040, 0.40), target: SIMD3(0, 0.035, 0.08), fieldOfView: 0.16)
    /// A close-up of the face's left eye (on the right of the image).
    public static let eye = Camera(position: SIMD3(0.032, 0.105, 0.35), target: SIMD3(0.032, 0.102, 0.07), fieldOfView: 0.16)
}

/// How frames look.
public struct RenderOptions: Sendable {
    public var width: Int
    public var height: Int
    /// Samples per pixel along each axis (2 = 4× supersampling anti-aliasing).
    public var supersample: Int
    public var camera: Camera
    /// Background, sRGB.
    public var background: SIMD3<Float>
    /// Worker threads (horizontal bands of the image).
    public var threads: Int

    /// Output sides in pixels: 0 divided by zero (SIGFPE), 100 000 asked for 40 GB of buffers.
    public static let sizes: ClosedRange<Int> = 16...4096
    /// Samples per pixel along each axis.
    public static let supersampling: ClosedRange<Int> = 1...8
    /// The largest supersampled side (side × supersample): 8192² samples are ≈ 1.3 GB of colour and depth.
    public static let maximumSampledSize = 8192

    public init(width: Int = 512, height: Int = 512, supersample: Int = 2, camera: Camera = .portrait,
                background: SIMD3<Float> = SIMD3(0.20, 0.22, 0.26), threads: Int = ProcessInfo.processInfo.activeProcessorCount) {
        self.width = width
        self.height = height
        self.supersample = max(1, supersample)
        self.camera = camera
        self.background = background
        self.threads = max(1, threads)
    }
}

/// Our own CPU rasteriser: per-vertex lighting (smooth Gouraud shading), a z-buffer over
/// supersampled pixels, box-filtered down to the output size, linear light converted to sRGB.
public final class FaceRenderer: @unchecked Sendable {
    public let rig: FaceRig
    public let options: RenderOptions
    let sampleWidth: Int
    let sampleHeight: Int
    /// Linear colour and inverse depth per sample, reused across frames.
    var color: [SIMD3<Float>]
    var depth: [Float]
    let linearAlbedo: [SIMD3<Float>]
    let vertexMaterial: [Int32]
    let triangleMaterial: [Int32]
    let backColorLinear: [SIMD3<Float>?]
    static let srgbTable: [UInt8] = (0..<4096).map { i in
        let v = Float(i) / 4095
        let s = v <= 0.0031308 ? 12.92 * v : 1.055 * pow(v, 1 / 2.4) - 0.055
        return UInt8(min(max(s * 255 + 0.5, 0), 255))
    }

    public init(rig: FaceRig, options: RenderOptions = RenderOptions()) {
        self.rig = rig
        self.options = options
        // Callers check user sizes against `RenderOptions.sizes` first (the CLI in validate()).
        precondition(options.width >= 1 && options.height >= 1 && options.supersample <= RenderOptions.supersampling.upperBound
                     && max(options.width, options.height) * options.supersample <= RenderOptions.maximumSampledSize,
                     "render size \(options.width)×\(options.height) × \(options.supersample) is out of range")
        sampleWidth = options.width * options.supersample
        sampleHeight = options.height * options.supersample
        color = [SIMD3<Float>](repeating: .zero, count: sampleWidth * sampleHeight)
        depth = [Float](repeating: 0, count: sampleWidth * sampleHeight)
        linearAlbedo = rig.colors.map(srgbToLinear)
        var vm = [Int32](repeating: 0, count: rig.vertexCount)
        var tm = [Int32](repeating: 0, count: rig.triangles.count)
        for (k, part) in rig.parts.enumerated() {
            for v in part.vertices { vm[v] = Int32(k) }
            for t in part.triangles { tm[t] = Int32(k) }
        }
        vertexMaterial = vm
        triangleMaterial = tm
        backColorLinear = rig.parts.map { $0.material.backColor.map(srgbToLinear) }
    }

    /// Renders one frame: 52 weights (canonical order) and a head pose.
    public func render<C: Collection>(weights: C, headPose: HeadPose = .identity) -> RGBImage where C.Element == Float, C.Index == Int {
        var posed = rig.deformed(weights: weights)
        // Head pose: rotation about the pivot (origin), then translation.
        if headPose != .identity {
            let q = headPose.quaternion
            let t = SIMD3<Float>(headPose.tx, headPose.ty, headPose.tz)
            for i in posed.indices { posed[i] = rotateByQuaternion(posed[i], q) + t }
        }
        let normals = rig.normals(of: posed)
        let (front, back) = shade(positions: posed, normals: normals)
        return rasterize(positions: posed, front: front, back: back)
    }

    /// Lit colour of every vertex for its front side and its back side (linear RGB).
    func shade(positions: [SIMD3<Float>], normals: [SIMD3<Float>]) -> ([SIMD3<Float>], [SIMD3<Float>]) {
        let key = normalize(SIMD3<Float>(0.45, 0.55, 0.75)), keyColor = SIMD3<Float>(1.0, 0.96, 0.90) * 0.95
        let fill = normalize(SIMD3<Float>(-0.75, 0.15, 0.55)), fillColor = SIMD3<Float>(0.80, 0.86, 1.0) * 0.30
        let rim = normalize(SIMD3<Float>(0.1, 0.4, -1.0)), rimColor = SIMD3<Float>(1, 1, 1) * 0.35
        let sky = SIMD3<Float>(0.30, 0.32, 0.36), ground = SIMD3<Float>(0.16, 0.13, 0.12)
        let eye = options.camera.position
        var front = [SIMD3<Float>](repeating: .zero, count: positions.count)
        var back = front
        let materials = rig.parts.map(\.material)
        func light(_ n: SIMD3<Float>, _ albedo: SIMD3<Float>, _ view: SIMD3<Float>, _ m: Material) -> SIMD3<Float> {
            let hemisphere = mix(ground, sky, n.y * 0.5 + 0.5)
            var diffuse = hemisphere
            var specular = SIMD3<Float>.zero
            for (l, c) in [(key, keyColor), (fill, fillColor), (rim, rimColor)] {
                let wrap = max(0, (dot(n, l) + 0.2) / 1.2)
                diffuse += c * wrap
                if m.specular > 0, dot(n, l) > 0 {
                    let h = normalize(l + view)
                    specular += c * (m.specular * pow(max(0, dot(n, h)), m.shininess))
                }
            }
            return albedo * diffuse + specular
        }
        for i in positions.indices {
            let m = materials[Int(vertexMaterial[i])]
            let view = normalize(eye - positions[i])
            front[i] = light(normals[i], linearAlbedo[i], view, m)
            if let backColor = backColorLinear[Int(vertexMaterial[i])] {
                back[i] = backColor
            } else {
                back[i] = light(-normals[i], linearAlbedo[i], view, m)
            }
        }
        return (front, back)
    }

    func rasterize(positions: [SIMD3<Float>], front: [SIMD3<Float>], back: [SIMD3<Float>]) -> RGBImage {
        let camera = options.camera
        let forward = normalize(camera.target - camera.position)
        let right = normalize(cross(forward, camera.up))
        let up = cross(right, forward)
        let focal = Float(sampleHeight) / 2 / tan(camera.fieldOfView / 2)
        let cx = Float(sampleWidth) / 2, cy = Float(sampleHeight) / 2
        // Screen x right, y down; invZ = 1 / view depth.
        var screen = [SIMD3<Float>](repeating: .zero, count: positions.count)
        for i in positions.indices {
            let d = positions[i] - camera.position
            let z = max(dot(d, forward), 1e-4)
            screen[i] = SIMD3(cx + focal * dot(d, right) / z, cy - focal * dot(d, up) / z, 1 / z)
        }
        let background = srgbToLinear(options.background)
        let bands = min(options.threads, sampleHeight)
        let rowsPerBand = (sampleHeight + bands - 1) / bands
        let width = sampleWidth
        let triangles = rig.triangles
        color.withUnsafeMutableBufferPointer { colorBuffer in
            depth.withUnsafeMutableBufferPointer { depthBuffer in
                screen.withUnsafeBufferPointer { s in
                    front.withUnsafeBufferPointer { f in
                        back.withUnsafeBufferPointer { b in
                            triangles.withUnsafeBufferPointer { tris in
                                let shared = RasterBuffers(color: colorBuffer.baseAddress!, depth: depthBuffer.baseAddress!,
                                                           screen: s, front: f, back: b, triangles: tris)
                                DispatchQueue.concurrentPerform(iterations: bands) { band in
                                    let y0 = band * rowsPerBand, y1 = min(sampleHeight, y0 + rowsPerBand)
                                    for y in y0..<y1 {
                                        for x in 0..<width { shared.color[y * width + x] = background; shared.depth[y * width + x] = 0 }
                                    }
                                    for t in shared.triangles {
                                        self.rasterTriangle(Int(t.x), Int(t.y), Int(t.z), shared.screen, shared.front, shared.back,
                                                            shared.color, shared.depth, width, y0, y1)
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return downsample()
    }

    @inline(__always)
    func rasterTriangle(_ i0: Int, _ i1: Int, _ i2: Int, _ s: UnsafeBufferPointer<SIMD3<Float>>,
                        _ front: UnsafeBufferPointer<SIMD3<Float>>, _ back: UnsafeBufferPointer<SIMD3<Float>>,
                        _ colorOut: UnsafeMutablePointer<SIMD3<Float>>, _ depthOut: UnsafeMutablePointer<Float>,
                        _ width: Int, _ y0: Int, _ y1: Int) {
        let p0 = s[i0], p1 = s[i1], p2 = s[i2]
        let minY = max(y0, Int((min(p0.y, min(p1.y, p2.y)) - 0.5).rounded(.up)))
        let maxY = min(y1 - 1, Int((max(p0.y, max(p1.y, p2.y)) - 0.5).rounded(.down)))
        if minY > maxY { return }
        let minX = max(0, Int((min(p0.x, min(p1.x, p2.x)) - 0.5).rounded(.up)))
        let maxX = min(width - 1, Int((max(p0.x, max(p1.x, p2.x)) - 0.5).rounded(.down)))
        if minX > maxX { return }
        // Twice the signed area; with y down, counter-clockwise (front-facing) triangles are negative.
        let area = (p1.x - p0.x) * (p2.y - p0.y) - (p1.y - p0.y) * (p2.x - p0.x)
        if abs(area) < 1e-12 { return }
        let isFront = area < 0
        let c0 = isFront ? front[i0] : back[i0], c1 = isFront ? front[i1] : back[i1], c2 = isFront ? front[i2] : back[i2]
        let inverseArea = 1 / area
        // Barycentrics w0 = edge(p1, p2, P) / area, w1 = edge(p2, p0, P) / area at the first sample, and their steps.
        let e0x = -(p2.y - p1.y) * inverseArea, e0y = (p2.x - p1.x) * inverseArea
        let e1x = -(p0.y - p2.y) * inverseArea, e1y = (p0.x - p2.x) * inverseArea
        let sx = Float(minX) + 0.5, sy = Float(minY) + 0.5
        var row0 = ((p2.x - p1.x) * (sy - p1.y) - (p2.y - p1.y) * (sx - p1.x)) * inverseArea
        var row1 = ((p0.x - p2.x) * (sy - p2.y) - (p0.y - p2.y) * (sx - p2.x)) * inverseArea
        for y in minY...maxY {
            var w0 = row0, w1 = row1
            let base = y * width
            for x in minX...maxX {
                let w2 = 1 - w0 - w1
                if w0 >= 0 && w1 >= 0 && w2 >= 0 {
                    let z = w0 * p0.z + w1 * p1.z + w2 * p2.z
                    let index = base + x
                    if z > depthOut[index] {
                        depthOut[index] = z
                        colorOut[index] = w0 * c0 + w1 * c1 + w2 * c2
                    }
                }
                w0 += e0x
                w1 += e1x
            }
            row0 += e0y
            row1 += e1y
        }
    }

    /// Box filter from samples to pixels, then linear → sRGB.
    func downsample() -> RGBImage {
        let ss = options.supersample
        var image = RGBImage(width: options.width, height: options.height)
        let scale = 4095 / Float(ss * ss)
        let table = Self.srgbTable
        for y in 0..<options.height {
            for x in 0..<options.width {
                var sum = SIMD3<Float>.zero
                for dy in 0..<ss {
                    let row = (y * ss + dy) * sampleWidth + x * ss
                    for dx in 0..<ss { sum += color[row + dx] }
                }
                let v = sum * scale
                let i = (y * options.width + x) * 3
                image.pixels[i] = table[Int(min(max(v.x, 0), 4095))]
                image.pixels[i + 1] = table[Int(min(max(v.y, 0), 4095))]
                image.pixels[i + 2] = table[Int(min(max(v.z, 0), 4095))]
            }
        }
        return image
    }
}

/// Buffers shared by the band workers; each band writes only its own rows.
struct RasterBuffers: @unchecked Sendable {
    let color: UnsafeMutablePointer<SIMD3<Float>>
    let depth: UnsafeMutablePointer<Float>
    let screen: UnsafeBufferPointer<SIMD3<Float>>
    let front: UnsafeBufferPointer<SIMD3<Float>>
    let back: UnsafeBufferPointer<SIMD3<Float>>
    let triangles: UnsafeBufferPointer<SIMD3<UInt32>>
}

func srgbToLinear(_ c: SIMD3<Float>) -> SIMD3<Float> {
    func f(_ v: Float) -> Float { v <= 0.04045 ? v / 12.92 : pow((v + 0.055) / 1.055, 2.4) }
    return SIMD3(f(c.x), f(c.y), f(c.z))
}

/// Rotates v by the unit quaternion q = (x, y, z, w).
func rotateByQuaternion(_ v: SIMD3<Float>, _ q: SIMD4<Float>) -> SIMD3<Float> {
    let u = SIMD3<Float>(q.x, q.y, q.z)
    let t = 2 * cross(u, v)
    return v + q.w * t + cross(u, t)
}
