import Foundation
import M2FCheckedInput
import M2FEngine
import M2FNeural
import M2FSystem

/// What a GNPFA model folder (`Models/gnpfa/config.json`) holds: the architecture of each part that
/// has weights in the folder.
package struct GNPFAConfiguration: Codable, Sendable, Equatable {
    /// Always "m2f-gnpfa".
    package var format: String
    /// Format version, 1.
    package var version: Int
    /// The expression VAE (`vae.safetensors`).
    package var vae: ExpressionVAEConfiguration
    /// The geometry encoder (`geometry.safetensors`), when trained.
    package var geometry: GeometryEncoderConfiguration?

    package init(vae: ExpressionVAEConfiguration, geometry: GeometryEncoderConfiguration? = nil) {
        format = "m2f-gnpfa"
        version = 1
        self.vae = vae
        self.geometry = geometry
    }

    /// File names inside a model folder.
    package static let configFile = "config.json"
    package static let vaeFile = "vae.safetensors"
    package static let geometryFile = "geometry.safetensors"

    /// Reads `config.json` of `directory`.
    package static func read(directory: URL) throws -> GNPFAConfiguration {
        let url = directory.appendingPathComponent(configFile)
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw GNPFAError.missingFile(path: url.path, fix: "train a model with `m2f train gnpfa -o \(directory.path)` or point at Models/gnpfa of the repository")
        }
        return try decode(data, file: url.path)
    }

    /// Decodes and checks `config.json` bytes (format, version, `rangeProblem`); `file` names it in errors.
    package static func decode(_ data: Data, file: String) throws -> GNPFAConfiguration {
        let configuration: GNPFAConfiguration
        do {
            configuration = try JSONDecoder().decode(GNPFAConfiguration.self, from: data)
        } catch {
            throw GNPFAError.invalidFile(path: file, problem: "not a GNPFA config (\(error)); write it again with `m2f train gnpfa`")
        }
        guard configuration.format == "m2f-gnpfa", configuration.version == 1 else {
            throw GNPFAError.invalidFile(path: file, problem: "format \(configuration.format) v\(configuration.version), expected m2f-gnpfa v1")
        }
        if let problem = configuration.rangeProblem {
            throw GNPFAError.invalidFile(path: file, problem: "\(problem); write it again with `m2f train gnpfa`")
        }
        return configuration
    }

    /// Every field of every part out of its range, and every broken relation (a model folder is
    /// untrusted: a negative hiddenSize or hiddenLayers crashed the allocation). Nil when all parts can be built.
    package var rangeProblem: String? {
        var check = FieldRanges()
        check.require("vae.latentSize", vae.latentSize, in: 1...1024)
        check.require("vae.hiddenSize", vae.hiddenSize, in: 1...4096)
        check.require("vae.hiddenLayers", vae.hiddenLayers, in: 0...16)
        if let geometry {
            check.require("geometry.vertexIndices.count", geometry.vertexIndices.count, in: 1...100_000)
            check.require("geometry.vertexIndices", each: geometry.vertexIndices, in: 0...999_999)
            check.require("geometry.anchorIndices.count", geometry.anchorIndices.count, in: 3...100_000)
            check.require("geometry.anchorIndices", each: geometry.anchorIndices, in: 0...999_999)
            check.require("geometry.hiddenSize", geometry.hiddenSize, in: 1...4096)
            check.require("geometry.hiddenLayers", geometry.hiddenLayers, in: 0...16)
            check.require(geometry.latentSize == vae.latentSize, "geometry.latentSize \(geometry.latentSize) differs from vae.latentSize \(vae.latentSize)")
        }
        return check.problem
    }

    /// Weights (not biases) of a feed-forward stack of `sizes`: a lower bound on its parameters.
    static func feedForwardWeights(_ sizes: [Int]) -> Int { zip(sizes, sizes.dropFirst()).reduce(0) { $0 + $1.0 * $1.1 } }

    /// Writes `config.json` into `directory` (atomically, keys sorted, pretty-printed).
    package func write(directory: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try AtomicFile.write(try encoder.encode(self), to: directory.appendingPathComponent(Self.configFile).path)
    }
}

/// The trained GNPFA model: the expression VAE (the `ExpressionCoding` contract), loaded strictly from
/// a model folder such as the repository's `Models/gnpfa/`.
///
/// Inference only: every call runs without recording a tape, so one model can serve many threads.
package final class GNPFAModel: ExpressionCoding, @unchecked Sendable {
    package let configuration: GNPFAConfiguration
    package let directory: URL
    /// The expression VAE; its encoder's mean is `encode`, its decoder is `decode`.
    package let vae: ExpressionVAE
    /// Mesh → code and head pose, when the folder has one.
    package let geometryEncoder: GeometryEncoder?

    /// Loads `config.json` and the weights of `directory`, strictly by key and shape.
    /// - Throws: `GNPFAError.missingFile` / `.invalidFile` naming the file and the fix, or
    ///   `EngineError` for missing, unused or mis-shaped tensors.
    package init(directory: URL) throws {
        self.directory = directory
        configuration = try GNPFAConfiguration.read(directory: directory)
        // Before allocating: each weights file must hold at least the parameters its part's configuration describes.
        let c = configuration
        try Self.requireParameters(GNPFAConfiguration.feedForwardWeights([52] + Array(repeating: c.vae.hiddenSize, count: c.vae.hiddenLayers) + [2 * c.vae.latentSize])
                                   + GNPFAConfiguration.feedForwardWeights([c.vae.latentSize] + Array(repeating: c.vae.hiddenSize, count: c.vae.hiddenLayers) + [52]),
                                   file: GNPFAConfiguration.vaeFile, in: directory)
        if let geometry = c.geometry {
            try Self.requireParameters(GNPFAConfiguration.feedForwardWeights([3 * geometry.vertexIndices.count]
                                           + Array(repeating: geometry.hiddenSize, count: geometry.hiddenLayers) + [geometry.latentSize]),
                                       file: GNPFAConfiguration.geometryFile, in: directory)
        }
        var generator = RandomGenerator(seed: 0)
        vae = ExpressionVAE(configuration.vae, generator: &generator)
        try Self.load(vae, file: GNPFAConfiguration.vaeFile, from: directory)
        if let geometry = configuration.geometry {
            let encoder = GeometryEncoder(geometry, generator: &generator)
            try Self.load(encoder, file: GNPFAConfiguration.geometryFile, from: directory)
            geometryEncoder = encoder
        } else {
            geometryEncoder = nil
        }
    }

    /// The committed default model: `Models/gnpfa` of this source checkout, or `$M2F_GNPFA` when set.
    package static var defaultDirectory: URL {
        if let path = ProcessInfo.processInfo.environment["M2F_GNPFA"], !path.isEmpty { return URL(fileURLWithPath: path) }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Models/gnpfa")
    }

    /// Loads the default model (see `defaultDirectory`).
    package static func loadDefault() throws -> GNPFAModel { try GNPFAModel(directory: defaultDirectory) }

    /// Refuses a weights file that holds fewer values than `minimum` (config.json and the weights do not
    /// belong together), before the part is built. A missing file is left to `load`, which says how to make it.
    static func requireParameters(_ minimum: Int, file: String, in directory: URL) throws {
        let path = directory.appendingPathComponent(file).path
        guard FileManager.default.fileExists(atPath: path) else { return }
        let values = try SafeTensorsFile(path: path).elementCount
        guard values >= minimum else {
            throw GNPFAError.invalidFile(path: directory.appendingPathComponent(GNPFAConfiguration.configFile).path,
                                         problem: "describes at least \(minimum) parameters for \(file), which holds \(values) values; the files do not belong together")
        }
    }

    static func load(_ module: any Module, file: String, from directory: URL) throws {
        let path = directory.appendingPathComponent(file).path
        guard FileManager.default.fileExists(atPath: path) else {
            throw GNPFAError.missingFile(path: path, fix: "the folder lacks this part; train it with `m2f train gnpfa -o \(directory.path)`")
        }
        try module.loadParameters(contentsOf: path)
    }

    // MARK: ExpressionCoding

    package var latentSize: Int { configuration.vae.latentSize }

    /// [N, 52] weights → [N, Z] latent means. Shapes are a programmer invariant here; use
    /// `encodeValidated(weights:)` for data from outside.
    package func encode(weights: Tensor) -> Tensor {
        precondition(weights.rank == 2 && weights.shape[1] == ARKitWeightCount, "encode: weights \(weights.shape) must be [N, 52]")
        return withoutGrad { vae.encode(weights).mean.contiguous() }
    }

    /// [N, Z] latents → [N, 52] weights in [0, 1].
    package func decode(latents: Tensor) -> Tensor {
        precondition(latents.rank == 2 && latents.shape[1] == latentSize, "decode: latents \(latents.shape) must be [N, \(latentSize)]")
        return withoutGrad { vae.decode(latents) }
    }

    /// `encode` for data from outside: throws on a wrong shape or values outside [0, 1] / not finite.
    package func encodeValidated(weights: Tensor) throws -> Tensor {
        guard weights.rank == 2, weights.shape[1] == ARKitWeightCount else {
            throw GNPFAError.invalidInput("GNPFA encode: weights have shape \(weights.shape), expected [N, 52] (frames × ARKit weights in canonical order)")
        }
        if let bad = weights.toArray().firstIndex(where: { !$0.isFinite || $0 < -1e-4 || $0 > 1 + 1e-4 }) {
            throw GNPFAError.invalidInput("GNPFA encode: weight at frame \(bad / 52), channel \(bad % 52) is \(weights.toArray()[bad]), outside [0, 1]; clamp or validate the animation first")
        }
        return encode(weights: weights)
    }

    /// `decode` for data from outside: throws on a wrong shape or non-finite latents.
    package func decodeValidated(latents: Tensor) throws -> Tensor {
        guard latents.rank == 2, latents.shape[1] == latentSize else {
            throw GNPFAError.invalidInput("GNPFA decode: latents have shape \(latents.shape), expected [N, \(latentSize)]")
        }
        guard latents.toArray().allSatisfy(\.isFinite) else { throw GNPFAError.invalidInput("GNPFA decode: latents contain NaN or infinity") }
        return decode(latents: latents)
    }
}

/// 52, the ARKit weights per frame.
package let ARKitWeightCount = 52
