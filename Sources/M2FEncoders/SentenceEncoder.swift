import Foundation
import M2FEngine
import M2FNeural

/// Turns style prompts ("excited, talking fast") into unit-length sentence vectors.
public protocol TextEncoding: Sendable {
    /// Width of the vectors.
    var dimensions: Int { get }
    /// One unit-length vector per text, in order.
    func embed(_ texts: [String]) -> [[Float]]
}

extension TextEncoding {
    /// The unit-length vector of one text.
    public func embed(_ text: String) -> [Float] { embed([text])[0] }
}

/// sentence-transformers all-MiniLM-L6-v2 in Swift: WordPiece → BERT → mean over real tokens → L2 norm.
///
/// Empty or whitespace-only text encodes as `[CLS] [SEP]` (as sentence-transformers does); text past
/// 254 pieces is truncated, so a 100 kB prompt costs the same as a 256-token one.
public final class SentenceEncoder: TextEncoding, @unchecked Sendable {
    public let tokenizer: WordPieceTokenizer
    public let model: BertEncoder
    public var dimensions: Int { model.configuration.width }

    /// Loads the installed model from the store (`$M2F_MODELS`, default `~/.cache/m2f`).
    /// - Throws: `EncoderError.notInstalled` (run `m2f models fetch`) or a loading error naming the file.
    public convenience init(store: ModelStore = ModelStore(), options: SentenceEncoderLoadOptions = SentenceEncoderLoadOptions()) throws {
        try self.init(directory: try store.installedDirectory(for: MiniLMModel.catalogEntry), options: options)
    }

    /// Loads `config.json`, `tokenizer.json`, `sentence_bert_config.json` and `model.safetensors`
    /// (strictly, by `BertEncoder` key) from `directory`, then stores the layer weights as `options` asks.
    public init(directory: URL, options: SentenceEncoderLoadOptions = SentenceEncoderLoadOptions()) throws {
        let configPath = directory.appendingPathComponent(MiniLMModel.File.config).path
        guard let configData = FileManager.default.contents(atPath: configPath) else {
            throw EncoderError.unreadable(path: configPath, reason: "cannot read the model configuration")
        }
        let configuration = try BertConfiguration.decode(configData, file: configPath)
        var maxLength = 256
        let sentenceConfigPath = directory.appendingPathComponent(MiniLMModel.File.sentenceConfig).path
        if let data = FileManager.default.contents(atPath: sentenceConfigPath),
           let json = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any], let length = json["max_seq_length"] as? Int {
            guard (2...configuration.maxPositions).contains(length) else {
                throw EncoderError.unreadable(path: sentenceConfigPath, reason: "max_seq_length is \(length); allowed: 2 … \(configuration.maxPositions) "
                                              + "(max_position_embeddings); reinstall with `m2f models fetch --only \(MiniLMModel.name) --force`")
            }
            maxLength = length
        }
        let weightsPath = directory.appendingPathComponent(MiniLMModel.File.weights).path
        // Before allocating: a config describing more parameters than the weights hold is refused.
        if FileManager.default.fileExists(atPath: weightsPath) {
            let values = try SafeTensorsFile(path: weightsPath).elementCount
            guard values >= configuration.minimumParameterCount else {
                throw EncoderError.unreadable(path: configPath, reason: "describes at least \(configuration.minimumParameterCount) parameters but "
                                              + "\(MiniLMModel.File.weights) holds \(values) values; reinstall with `m2f models fetch --only \(MiniLMModel.name) --force`")
            }
        }
        tokenizer = try WordPieceTokenizer(contentsOf: directory.appendingPathComponent(MiniLMModel.File.tokenizer).path,
                                           maxLength: maxLength)
        // Every parameter is overwritten by the strict load below: no need to draw initial values.
        model = withoutRandomInitialisation { BertEncoder(configuration) }
        try model.loadParameters(contentsOf: directory.appendingPathComponent(MiniLMModel.File.weights).path)
        model.storeLayerWeights(as: options.weightPrecision)
    }

    /// Wraps an already loaded tokenizer and model (tests with tiny configurations).
    public init(tokenizer: WordPieceTokenizer, model: BertEncoder) {
        self.tokenizer = tokenizer
        self.model = model
    }

    /// One unit-length vector per text. Texts are run in batches of up to 64, padded to the longest.
    public func embed(_ texts: [String]) -> [[Float]] {
        var result: [[Float]] = []
        result.reserveCapacity(texts.count)
        var start = 0
        while start < texts.count {
            let chunk = Array(texts[start..<Swift.min(start + 64, texts.count)])
            result += embed(batch: tokenizer.encodeBatch(chunk))
            start += chunk.count
        }
        return result
    }

    /// Mean-pooled, L2-normalised vectors of a tokenised batch.
    public func embed(batch: TokenBatch) -> [[Float]] {
        let (b, t, c) = (batch.batchSize, batch.sequenceLength, dimensions)
        guard b > 0 else { return [] }
        let hidden = withoutGrad { model(ids: batch.ids, mask: batch.mask, batchSize: b, length: t).contiguous() }  // [B, T, C]
        return withExtendedLifetime(hidden) {
            let h = hidden.basePointer
            return (0..<b).map { row in
                var pooled = [Float](repeating: 0, count: c)
                let length = batch.lengths[row]
                for position in 0..<length {
                    let vector = h + (row * t + position) * c
                    for channel in 0..<c { pooled[channel] += vector[channel] }
                }
                let scale = 1 / Float(Swift.max(length, 1))
                var norm: Float = 0
                for channel in 0..<c { pooled[channel] *= scale; norm += pooled[channel] * pooled[channel] }
                let inverse = 1 / Swift.max(norm.squareRoot(), 1e-12)
                return pooled.map { $0 * inverse }
            }
        }
    }

    /// Cosine similarity of two vectors (their dot product when both are unit length).
    public static func cosine(_ a: [Float], _ b: [Float]) -> Float {
        precondition(a.count == b.count, "cosine of \(a.count)- and \(b.count)-d vectors")
        var dot: Float = 0, na: Float = 0, nb: Float = 0
        for i in a.indices { dot += a[i] * b[i]; na += a[i] * a[i]; nb += b[i] * b[i] }
        return dot / Swift.max((na * nb).squareRoot(), 1e-12)
    }
}

/// How `SentenceEncoder` loads the model.
public struct SentenceEncoderLoadOptions: Codable, Sendable, Equatable {
    /// Precision of the BERT layer weight matrices. Default `defaultWeightPrecision`.
    public var weightPrecision: BertWeightPrecision

    public init(weightPrecision: BertWeightPrecision = SentenceEncoderLoadOptions.defaultWeightPrecision) {
        self.weightPrecision = weightPrecision
    }

    /// `.float16` where the fused 16-bit kernel runs its SIMD path (x86-64 with AVX2/FMA/F16C): measured
    /// faster on a prompt (the 21 MB stay in cache) with cosine ≥ 0.9999 to sentence-transformers
    /// (docs/BENCHMARKS.md). `.float32` elsewhere, where only the portable loop exists and BLAS is unmeasured against it.
    public static var defaultWeightPrecision: BertWeightPrecision { HalfLinearWeight.usesSIMD ? .float16 : .float32 }
}

/// Prompt text from files.
public enum TextInput {
    /// The contents of `path` as UTF-8 text.
    /// - Throws: `EncoderError.unreadable`, or `.invalidUTF8` with the offset of the first bad byte
    ///   (the text is never silently altered).
    public static func read(path: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw EncoderError.unreadable(path: path, reason: "cannot read the text file")
        }
        return try decode(data, path: path)
    }

    /// Strict UTF-8 decoding of `data` (a leading byte-order mark is dropped).
    public static func decode(_ data: Data, path: String) throws -> String {
        var bytes = [UInt8](data)
        let byteOrderMark = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        bytes.removeFirst(byteOrderMark)
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        var scalars = String.UnicodeScalarView()
        var offset = 0
        while true {
            switch decoder.decode(&iterator) {
            case let .scalarValue(scalar):
                scalars.append(scalar)
                offset += UTF8.width(scalar)
            case .emptyInput:
                return String(scalars)
            case .error:
                throw EncoderError.invalidUTF8(path: path, byteOffset: offset + byteOrderMark)
            }
        }
    }
}
