import M2FCheckedInput
import M2FEngine
import M2FNeural

/// Hyper-parameters of the Whisper audio encoder; the defaults are tiny.en's.
public struct WhisperEncoderConfiguration: Codable, Sendable, Equatable {
    /// Mel bins in (80).
    public var melBins = 80
    /// Width C (384).
    public var width = 384
    /// Attention heads H (6).
    public var numHeads = 6
    /// Transformer blocks (4).
    public var numLayers = 4
    /// Positions in the learned table: 1500 frames = 30 s at 50 Hz.
    public var maxFrames = 1500

    public init() {}
}

/// Whisper's audio encoder: conv1 (k3) → GELU → conv2 (k3, stride 2) → GELU → + positions → pre-norm
/// transformer blocks → final LayerNorm. Log-mel [B, 80, T] at 100 Hz in, features [B, T/2, C] at 50 Hz out.
///
/// Keys (written by `WhisperCheckpoint.convert`): `conv1.{weight [C, 80, 3], bias}`,
/// `conv2.{weight [C, C, 3], bias}`, `positions` [1500, C], `encoder.layers.N.*` and `encoder.norm.*`
/// (see `TransformerEncoder`).
public final class WhisperEncoder: Module {
    public let configuration: WhisperEncoderConfiguration
    /// `conv1.*`
    public let conv1: Conv1d
    /// `conv2.*`
    public let conv2: Conv1d
    /// `positions` [maxFrames, C]: Whisper's sinusoids, stored as a table.
    public let positions: Parameter
    /// `encoder.layers.N.*`, `encoder.norm.*`
    public let encoder: TransformerEncoder
    public var isTraining = false

    public init(_ configuration: WhisperEncoderConfiguration = .init(), generator: inout RandomGenerator) {
        self.configuration = configuration
        let c = configuration.width
        conv1 = Conv1d(Conv1dConfiguration(inputChannels: configuration.melBins, outputChannels: c, kernelSize: 3, padding: 1), generator: &generator)
        conv2 = Conv1d(Conv1dConfiguration(inputChannels: c, outputChannels: c, kernelSize: 3, stride: 2, padding: 1), generator: &generator)
        positions = Parameter(Tensor.zeros([configuration.maxFrames, c]))
        let block = TransformerBlockConfiguration(width: c, numHeads: configuration.numHeads, mlpHiddenSize: 4 * c)
        encoder = TransformerEncoder(TransformerStackConfiguration(block: block, numLayers: configuration.numLayers, finalNorm: true), generator: &generator)
    }

    public var ownParameters: [(key: String, parameter: Parameter)] { [("positions", positions)] }
    public var children: [(key: String, module: any Module)] { [("conv1", conv1), ("conv2", conv2), ("encoder", encoder)] }

    /// Output frames for `melFrames` input frames (stride-2 convolution with padding 1).
    public static func outputFrames(melFrames: Int) -> Int { (melFrames - 1) / 2 + 1 }

    /// mel [B, 80, T] → features [B, ⌈T/2⌉, C]. T may be shorter than 3000 (30 s): positions are sliced,
    /// from `positionOffset` on (a stream's window that starts `positionOffset` features into a clip
    /// gets the positions the whole clip would give it).
    public func callAsFunction(_ mel: Tensor, positionOffset: Int = 0) -> Tensor {
        precondition(mel.rank == 3 && mel.shape[1] == configuration.melBins, "Whisper encoder input \(mel.shape) is not [B, \(configuration.melBins), T]")
        let h = conv2(conv1(mel).gelu()).gelu()  // [B, C, T']
        let frames = h.shape[2]
        precondition(positionOffset >= 0 && positionOffset + frames <= configuration.maxFrames,
                     "\(frames) frames from position \(positionOffset) exceed the \(configuration.maxFrames) positions (30 s); encode in windows")
        let x = h.transposed(1, 2) + positions.value.sliced(axis: 0, positionOffset..<(positionOffset + frames))  // [B, T', C]
        return encoder(x)
    }
}

extension WhisperEncoderConfiguration {
    /// Every field out of its range and every broken relation; nil when the encoder can be built.
    public var rangeProblem: String? {
        var check = FieldRanges()
        check.require("melBins", melBins, in: 1...256)
        check.require("width", width, in: 1...4096)
        check.require("numHeads", numHeads, in: 1...64)
        check.require("numLayers", numLayers, in: 1...64)
        check.require("maxFrames", maxFrames, in: 1...100_000)
        if check.isValid {
            check.require(width % numHeads == 0, "width \(width) must be a multiple of numHeads \(numHeads)")
        }
        return check.problem
    }
}
