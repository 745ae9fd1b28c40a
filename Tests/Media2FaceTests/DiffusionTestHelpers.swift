import Foundation
import M2FDataset
import M2FEngine
import M2FTestSupport
import Media2Face
import Media2FaceTraining

/// Shared helpers of the diffusion tests: tiny configurations, random clips, the golden JSON.
enum DiffusionTestHelpers {
    /// A tiny denoiser configuration (width 32, 2 blocks, 2 heads) in ARKit logit space (Z = 52).
    static func tinyConfiguration(window: Int = 24, objective: DenoiserObjective = .diffusion, latentSize: Int = 52) -> DenoiserConfiguration {
        DenoiserConfiguration(latentSize: latentSize, width: 32, numLayers: 2, numHeads: 2, mlpRatio: 2, windowLength: window,
                              diffusionSteps: 100, objective: objective)
    }

    static func random(_ shape: [Int], seed: UInt64, std: Float = 1) -> Tensor {
        var generator = RandomGenerator(seed: seed)
        return Tensor.randomNormal(shape, std: std, generator: &generator)
    }

    /// A real-shaped clip: smooth ARKit-like motion (logit latents of weights in [0.05, 0.6]) with head
    /// pose, and audio features that carry the motion (so audio predicts motion).
    static func smoothClip(frames: Int, seed: UInt64, id: String = "clip") -> DiffusionTrainingClip {
        var generator = RandomGenerator(seed: seed)
        let phases = (0..<58).map { _ in Float(generator.nextUniform()) * 6.283 }
        let rates = (0..<58).map { _ in 0.05 + Float(generator.nextUniform()) * 0.25 }
        var weights = [Float](), pose = [Float]()
        for t in 0..<frames {
            for c in 0..<52 { weights.append(0.3 + 0.25 * Foundation.sin(Float(t) * rates[c] + phases[c])) }
            for c in 0..<6 { pose.append(0.05 * Foundation.sin(Float(t) * rates[52 + c] + phases[52 + c])) }
        }
        let latents = ARKitLogitCoding().encode(weights: Tensor(weights, shape: [frames, 52]))
        let frameTensor = Tensor.concatenate([latents, Tensor(pose, shape: [frames, 6])], axis: 1)
        let projection = Tensor.randomNormal([58, 384], std: 0.3, generator: &generator)
        let audio = frameTensor.matmul(projection)
        return DiffusionTrainingClip(id: id, frames: frameTensor, audio: audio, textEmbedding: nil, emotion: .happy, intensity: 0.6)
    }

    /// `Tests/Fixtures/diffusion/diffusion.json`.
    static func golden() throws -> [String: Any] {
        let url = Fixture.directory.appendingPathComponent("diffusion").appendingPathComponent("diffusion.json")
        return try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
    }

    /// Largest |a[i+1] − a[i]| along frames for channel c of an [F, C] tensor over `frames`.
    static func velocities(_ x: Tensor, channel: Int) -> [Float] {
        let values = x.contiguous().toArray(), c = x.shape[1]
        return (1..<x.shape[0]).map { Swift.abs(values[$0 * c + channel] - values[($0 - 1) * c + channel]) }
    }
}

extension Dictionary where Key == String, Value == Any {
    func floats(_ key: String) -> [Float] { (self[key] as! [Double]).map { Float($0) } }
    func doubles(_ key: String) -> [Double] { self[key] as! [Double] }
    func ints(_ key: String) -> [Int] { (self[key] as! [Any]).map { ($0 as! NSNumber).intValue } }
    func object(_ key: String) -> [String: Any] { self[key] as! [String: Any] }
    func number(_ key: String) -> Double { (self[key] as! NSNumber).doubleValue }
}
