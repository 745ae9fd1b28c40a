import M2FEngine
import M2FFace
import M2FNeural

/// Turns a style condition into the denoiser's style token [C]: a separate projection per modality and
/// a learned token for "no style" (the dropped condition of classifier-free guidance).
///
/// Keys under `style.`: `text_proj.{weight [C, 384], bias}`, `image_proj.{weight [C, Z], bias}`,
/// `emotion_proj.{weight [C, 8], bias}`, `null_token` [C].
/// The image code enters normalised by the training latents' statistics (the caller passes it so).
package final class StyleEncoder: Module {
    /// `style.text_proj`: MiniLM embedding → C.
    package let textProjection: Linear
    /// `style.image_proj`: normalised GNPFA expression code (Z) → C.
    package let imageProjection: Linear
    /// `style.emotion_proj`: one-hot(emotion) × intensity → C.
    package let emotionProjection: Linear
    /// `style.null_token` [C].
    package let nullToken: Parameter
    package var isTraining = false
    let emotionCount: Int

    package init(_ configuration: DenoiserConfiguration, generator: inout RandomGenerator) {
        let c = configuration.width
        textProjection = Linear(inputSize: configuration.textEmbeddingSize, outputSize: c, generator: &generator)
        imageProjection = Linear(inputSize: configuration.latentSize, outputSize: c, generator: &generator)
        emotionProjection = Linear(inputSize: configuration.emotionCount, outputSize: c, generator: &generator)
        nullToken = Parameter(Tensor.randomNormal([c], std: 0.02, generator: &generator))
        emotionCount = configuration.emotionCount
    }

    package var ownParameters: [(key: String, parameter: Parameter)] { [("null_token", nullToken)] }
    package var children: [(key: String, module: any Module)] {
        [("text_proj", textProjection), ("image_proj", imageProjection), ("emotion_proj", emotionProjection)]
    }

    /// The one-hot(label) × intensity vector of an emotion (length `emotionCount`). Neutral is all zeros at
    /// any intensity: the training set labels every neutral clip with intensity 0, so that is the calm
    /// token the model learned.
    package static func emotionVector(_ emotion: Emotion, intensity: Float, count: Int = Emotion.allCases.count) -> [Float] {
        var vector = [Float](repeating: 0, count: count)
        vector[Emotion.allCases.firstIndex(of: emotion)!] = emotion == .neutral ? 0 : intensity
        return vector
    }

    /// A batch of per-item style inputs, each item using exactly one modality (or none).
    ///
    /// Shapes: text [B, 384], image [B, Z], emotion [B, 8]; the selectors are [B, 1] with one 1 per row
    /// across text/image/emotion/null.
    package struct Batch {
        package var text: Tensor, image: Tensor, emotion: Tensor
        package var selectText: Tensor, selectImage: Tensor, selectEmotion: Tensor, selectNull: Tensor
    }

    /// Packs conditions into a `Batch`. Image codes must already be normalised (length Z).
    package func batch(_ conditions: [StyleCondition]) -> Batch {
        let b = conditions.count
        let textSize = textProjection.configuration.inputSize, imageSize = imageProjection.configuration.inputSize
        var text = [Float](repeating: 0, count: b * textSize)
        var image = [Float](repeating: 0, count: b * imageSize)
        var emotion = [Float](repeating: 0, count: b * emotionCount)
        var selectors = [[Float]](repeating: [Float](repeating: 0, count: b), count: 4)
        for (row, condition) in conditions.enumerated() {
            switch condition {
            case .none:
                selectors[3][row] = 1
            case let .text(embedding):
                precondition(embedding.count == textSize, "text embedding has \(embedding.count) values, not \(textSize)")
                text.replaceSubrange(row * textSize..<(row + 1) * textSize, with: embedding)
                selectors[0][row] = 1
            case let .image(code):
                precondition(code.count == imageSize, "image code has \(code.count) values, not \(imageSize)")
                image.replaceSubrange(row * imageSize..<(row + 1) * imageSize, with: code)
                selectors[1][row] = 1
            case let .emotion(label, intensity):
                emotion.replaceSubrange(row * emotionCount..<(row + 1) * emotionCount,
                                        with: Self.emotionVector(label, intensity: intensity, count: emotionCount))
                selectors[2][row] = 1
            case .blend:
                preconditionFailure("a blend is mixed from its parts' tokens (callAsFunction(_ conditions:)), not packed")
            }
        }
        return Batch(text: Tensor(text, shape: [b, textSize]), image: Tensor(image, shape: [b, imageSize]),
                     emotion: Tensor(emotion, shape: [b, emotionCount]),
                     selectText: Tensor(selectors[0], shape: [b, 1]), selectImage: Tensor(selectors[1], shape: [b, 1]),
                     selectEmotion: Tensor(selectors[2], shape: [b, 1]), selectNull: Tensor(selectors[3], shape: [b, 1]))
    }

    /// Style tokens [B, C] for a packed batch (differentiable; the unselected projections are multiplied by 0).
    package func callAsFunction(_ batch: Batch) -> Tensor {
        textProjection(batch.text) * batch.selectText
            + imageProjection(batch.image) * batch.selectImage
            + emotionProjection(batch.emotion) * batch.selectEmotion
            + nullToken.value.unsqueezed(0) * batch.selectNull
    }

    /// Style tokens [K, C] for K conditions; a blend's token is the weighted mean of its parts' tokens.
    package func callAsFunction(_ conditions: [StyleCondition]) -> Tensor {
        guard conditions.contains(where: { $0.parts.count != 1 || $0.parts[0].condition != $0 }) else { return self(batch(conditions)) }
        // Tokens of all parts [P, C], mixed by a [K, P] matrix of normalised weights.
        let parts = conditions.map(\.parts)
        let flat = parts.flatMap { $0.map(\.condition) }
        var mixing = [Float](repeating: 0, count: conditions.count * flat.count)
        var column = 0
        for (row, weighted) in parts.enumerated() {
            let total = weighted.reduce(0) { $0 + $1.weight }
            precondition(total > 0, "a blend needs a positive total weight")
            for part in weighted {
                mixing[row * flat.count + column] = part.weight / total
                column += 1
            }
        }
        return Tensor(mixing, shape: [conditions.count, flat.count]).matmul(self(batch(flat)))
    }
}
