import Foundation
import M2FEngine
import M2FFace
import M2FGNPFA
import M2FSystem

/// Rendered face images with their ground truth, for the image encoder: the default head under
/// random identity, expression, head pose, camera distance, background colour and lighting.
///
/// The renderer's lights are fixed, so "lighting" varies photometrically after rendering: an overall
/// gain (0.7–1.3), a per-channel tint (±8 %) and a gamma (0.85–1.15) applied to the face and the
/// background alike.
package struct FaceImageSet: Sendable {
    package var size: Int
    /// S·S·3 bytes per image, RGB, row-major, concatenated.
    package var pixels: [UInt8]
    /// 52 weights per image.
    package var weights: [Float]
    /// Head rotation per image: yaw, pitch, roll (radians).
    package var rotations: [Float]

    package var count: Int { weights.count / ARKitWeightCount }

    package init(size: Int) {
        self.size = size
        pixels = []
        weights = []
        rotations = []
    }

    package func image(_ index: Int) -> RGBImage {
        let n = size * size * 3
        return RGBImage(width: size, height: size, pixels: Array(pixels[(index * n)..<((index + 1) * n)]))
    }

    package func weights(_ index: Int) -> ArraySlice<Float> { weights[(index * ARKitWeightCount)..<((index + 1) * ARKitWeightCount)] }

    package func rotation(_ index: Int) -> HeadPose {
        HeadPose(yaw: rotations[index * 3], pitch: rotations[index * 3 + 1], roll: rotations[index * 3 + 2])
    }

    /// Renders `count` samples spread evenly over `identities` (one rig built per identity), on
    /// `threads` threads (each takes whole identities, with its own random stream).
    /// - Parameter progress: called with the number of images done (from any thread, serialised).
    package static func render(count: Int, identities: [HeadIdentity], size: Int = 64, seed: UInt64,
                              threads: Int = ProcessInfo.processInfo.activeProcessorCount,
                              progress: (Int) -> Void = { _ in }) -> FaceImageSet {
        let perIdentity = (count + identities.count - 1) / identities.count
        let quotas = identities.indices.map { max(0, min(perIdentity, count - $0 * perIdentity)) }
        let state = RenderState(count: identities.count)
        withoutActuallyEscaping(progress) { report in
            let box = ProgressBox(report)
            let workers = max(1, min(threads, identities.count))
            DispatchQueue.concurrentPerform(iterations: workers) { worker in
                for index in Swift.stride(from: worker, to: identities.count, by: workers) where quotas[index] > 0 {
                    let part = renderOne(identity: identities[index], count: quotas[index], size: size,
                                         seed: seed &+ UInt64(index) &* 7919) { state.tick(box) }
                    state.store(part, at: index)
                }
            }
        }
        let parts = state.parts
        var set = FaceImageSet(size: size)
        for part in parts where part.size == size {
            set.pixels += part.pixels
            set.weights += part.weights
            set.rotations += part.rotations
        }
        return set
    }

    static func renderOne(identity: HeadIdentity, count: Int, size: Int, seed: UInt64, tick: () -> Void) -> FaceImageSet {
        var set = FaceImageSet(size: size)
        var expressions = ExpressionSampler(seed: seed &+ 11)
        var generator = RandomGenerator(seed: seed &+ 12)
        let rig = identity == .neutral ? DefaultHead.shared : DefaultHead.build(identity: identity)
        for _ in 0..<count {
            let w = expressions.next()
            func u(_ lower: Float, _ upper: Float) -> Float { lower + (upper - lower) * generator.nextUniform() }
            let degree = Float.pi / 180
            let pose = HeadPose(yaw: u(-25, 25) * degree, pitch: u(-15, 15) * degree, roll: u(-15, 15) * degree,
                                tx: u(-0.01, 0.01), ty: u(-0.01, 0.01), tz: u(-0.01, 0.01))
            var camera = Camera.face
            camera.position = camera.target + (camera.position - camera.target) * u(0.9, 1.15)
            let background = SIMD3<Float>(u(0, 1), u(0, 1), u(0, 1))
            let renderer = FaceRenderer(rig: rig, options: RenderOptions(width: size, height: size, supersample: 2, camera: camera,
                                                                        background: background, threads: 1))
            var image = renderer.render(weights: w, headPose: pose)
            let gain = u(0.7, 1.3), gamma = u(0.85, 1.15)
            let tint = SIMD3<Float>(u(0.92, 1.08), u(0.92, 1.08), u(0.92, 1.08))
            for i in image.pixels.indices {
                let v = powf(Float(image.pixels[i]) / 255, gamma) * gain * tint[i % 3]
                image.pixels[i] = UInt8(min(max(v * 255, 0), 255).rounded())
            }
            set.pixels += image.pixels
            set.weights += w
            set.rotations += [pose.yaw, pose.pitch, pose.roll]
            tick()
        }
        return set
    }

    // MARK: Cache file: "M2FIMG1\n", then size, count (UInt32 LE), then pixels, weights, rotations.

    static let magic = Array("M2FIMG1\n".utf8)

    package func write(to path: String) throws {
        var data = Data(Self.magic)
        withUnsafeBytes(of: UInt32(size).littleEndian) { data.append(contentsOf: $0) }
        withUnsafeBytes(of: UInt32(count).littleEndian) { data.append(contentsOf: $0) }
        data.append(contentsOf: pixels)
        weights.withUnsafeBytes { data.append(contentsOf: $0) }
        rotations.withUnsafeBytes { data.append(contentsOf: $0) }
        try AtomicFile.write(data, to: path)
    }

    package static func read(from path: String) throws -> FaceImageSet {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw GNPFAError.missingFile(path: path, fix: "it is rendered on first use; delete the cache folder to render again")
        }
        let bytes = [UInt8](data)
        guard bytes.count >= 16, Array(bytes[0..<8]) == magic else {
            throw GNPFAError.invalidFile(path: path, problem: "not an m2f image cache; delete it to render again")
        }
        func u32(_ at: Int) -> Int { Int(UInt32(bytes[at]) | UInt32(bytes[at + 1]) << 8 | UInt32(bytes[at + 2]) << 16 | UInt32(bytes[at + 3]) << 24) }
        let size = u32(8), count = u32(12)
        let pixelBytes = count * size * size * 3
        guard bytes.count == 16 + pixelBytes + count * (ARKitWeightCount + 3) * 4 else {
            throw GNPFAError.invalidFile(path: path, problem: "truncated image cache; delete it to render again")
        }
        var set = FaceImageSet(size: size)
        set.pixels = Array(bytes[16..<(16 + pixelBytes)])
        func floats(_ start: Int, _ n: Int) -> [Float] {
            bytes[start..<(start + n * 4)].withUnsafeBytes { raw in (0..<n).map { raw.loadUnaligned(fromByteOffset: $0 * 4, as: Float.self) } }
        }
        set.weights = floats(16 + pixelBytes, count * ARKitWeightCount)
        set.rotations = floats(16 + pixelBytes + count * ARKitWeightCount * 4, count * 3)
        return set
    }

    /// Loads the cache at `path` or renders and writes it.
    package static func cached(at path: String, count: Int, identities: [HeadIdentity], size: Int, seed: UInt64,
                              progress: (Int) -> Void = { _ in }) throws -> FaceImageSet {
        if FileManager.default.fileExists(atPath: path) {
            let set = try read(from: path)
            if set.count == count && set.size == size { return set }
        }
        try FileManager.default.createDirectory(at: URL(fileURLWithPath: path).deletingLastPathComponent(), withIntermediateDirectories: true)
        let set = render(count: count, identities: identities, size: size, seed: seed, progress: progress)
        try set.write(to: path)
        return set
    }
}

/// Results and the progress count shared by the render workers (guarded by a lock).
private final class RenderState: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var parts: [FaceImageSet]
    private var done = 0

    init(count: Int) { parts = [FaceImageSet](repeating: FaceImageSet(size: 0), count: count) }

    func store(_ part: FaceImageSet, at index: Int) {
        lock.lock(); parts[index] = part; lock.unlock()
    }

    func tick(_ box: ProgressBox) {
        lock.lock(); done += 1; box.report(done); lock.unlock()
    }
}

/// A progress callback handed to worker threads; calls are serialised by `RenderState`'s lock.
private final class ProgressBox: @unchecked Sendable {
    let report: (Int) -> Void
    init(_ report: @escaping (Int) -> Void) { self.report = report }
}
