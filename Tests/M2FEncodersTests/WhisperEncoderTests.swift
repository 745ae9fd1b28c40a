import Foundation
import M2FEncoders
import M2FEngine
import M2FTestSupport
import Testing

/// The Swift Whisper tiny.en encoder against CTranslate2 on real speech (fixtures from
/// scripts/fixtures/make_whisper_fixtures.py; recipe in Tests/Fixtures/whisper/RECIPE.md).
@Suite("Whisper encoder")
struct WhisperEncoderTests {
    @Test func conversionRulesMapEveryCTranslate2Name() {
        #expect(WhisperCheckpoint.targetKey(for: "encoder/conv1/weight") == "conv1.weight")
        #expect(WhisperCheckpoint.targetKey(for: "encoder/layer_3/ffn/linear_1/bias") == "encoder.layers.3.mlp.fc2.bias")
        #expect(WhisperCheckpoint.targetKey(for: "encoder/layer_12/self_attention/layer_norm/gamma") == "encoder.layers.12.norm1.weight")
        #expect(WhisperCheckpoint.targetKey(for: "encoder/layer_norm/beta") == "encoder.norm.bias")
        #expect(WhisperCheckpoint.targetKey(for: "encoder/layer_x/ffn/linear_1/bias") == nil)
        #expect(WhisperCheckpoint.targetKey(for: "decoder/embeddings/weight") == nil)
    }

    @Test(arguments: ["espeak_en_us", "flite_slt", "espeak_female_fast"])
    func matchesCTranslate2OnSpeech(clip: String) throws {
        let encoder = try RealWhisper.encoder()
        let fixture = try Fixture(clip, group: "whisper")
        let mel = try fixture.input("mel")  // [1, 80, 3000]
        let features = withoutGrad { encoder(mel) }  // [1, 1500, 384]
        #expect(features.shape == [1, 1500, 384])
        let reference = try fixture.tensor("out.frames")
        let frames = try fixture.tensor("out.index").toArray().map { Int($0) }
        var worstCosine: Float = 1
        var worstAbsolute: Float = 0
        for (row, frame) in frames.enumerated() {
            let ours = features.sliced(axis: 1, frame..<(frame + 1)).toArray()
            let theirs = reference.sliced(axis: 0, row..<(row + 1)).toArray()
            var dot: Float = 0, a: Float = 0, b: Float = 0
            for i in ours.indices {
                dot += ours[i] * theirs[i]
                a += ours[i] * ours[i]
                b += theirs[i] * theirs[i]
                worstAbsolute = max(worstAbsolute, abs(ours[i] - theirs[i]))
            }
            worstCosine = min(worstCosine, dot / (a.squareRoot() * b.squareRoot()))
        }
        print("whisper \(clip): min cosine \(worstCosine), max abs error \(worstAbsolute)")
        #expect(worstCosine >= 0.999, "\(clip): min per-frame cosine \(worstCosine)")
    }

    @Test func shortInputEncodesOnlyTheFramesItNeeds() throws {
        let encoder = try RealWhisper.encoder()
        let mel = try Fixture("flite_slt", group: "whisper").input("mel").sliced(axis: 2, 0..<500)
        let features = withoutGrad { encoder(mel) }
        #expect(features.shape == [1, 250, 384])
        let values = features.toArray()
        #expect(values.allSatisfy { $0.isFinite })
    }
}

/// The installed Whisper encoder, fetched on first use when the cache lacks it (never skipped silently).
enum RealWhisper {
    nonisolated(unsafe) private static let loaded: Result<WhisperEncoder, any Error> = Result {
        let store = ModelStore()
        _ = try store.fetch(WhisperModel.catalogEntry)
        return try WhisperModel.loadEncoder(store: store)
    }

    static func encoder() throws -> WhisperEncoder {
        do {
            return try loaded.get()
        } catch {
            Issue.record("Whisper tiny.en could not be installed or loaded from \(ModelStore.defaultRoot.path): \(error.localizedDescription). Run `m2f models fetch`.")
            throw error
        }
    }
}
