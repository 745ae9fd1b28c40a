import Foundation
import M2FEncoders
import M2FFace

/// What a text prompt means to the model: a condition it was trained on and speaking-style dials.
package struct StyleReading: Sendable, Equatable {
    package var condition: StyleCondition
    package var speaking: SpeakingStyle
    /// The nearest anchors (text, cosine similarity, weight), best first.
    package var neighbours: [Neighbour]
    /// 0 … 1: how well the vocabulary knows the prompt (from the best similarity).
    package var confidence: Float

    package struct Neighbour: Sendable, Equatable {
        package var text: String
        package var similarity: Float
        package var weight: Float
    }
}

/// Reads a free-text style prompt through the style vocabulary (`StyleVocabulary`).
///
/// The model's text projection only ever saw the training descriptions' MiniLM embeddings, so an unseen
/// prompt ("excited", "gloomy") gives a token it never learned and the face hardly moves. Instead the
/// prompt's embedding is compared with the anchors' (cosine), the `neighbourCount` best are weighted by a
/// softmax of their similarity (temperature `temperature`), and their labels are averaged: the strongest
/// emotion, pushed as far as the emotional neighbours together ask (`emotionalPush`, intensity through
/// the guidance strength as `--emotion` does), and the dials a weighted mean. Where the prompt is close to the training wording
/// (similarity to a `seenInTraining` anchor from `keepRawFrom` up) the raw embedding takes over that share
/// of the token, since there it is what the model learned. A prompt far from every anchor (best similarity
/// below `confidentFrom`) is weakened towards no style.
package struct StylePromptReader: Sendable {
    package let anchors: [StyleAnchor]
    /// [N · 384] unit anchor embeddings, row-major.
    let embeddings: [Float]
    let size: Int

    package static let neighbourCount = 6
    package static let temperature: Float = 0.05
    /// Confidence ramps from 0 at best similarity `ignoredBelow` to 1 at `confidentFrom`.
    package static let ignoredBelow: Float = 0.3
    package static let confidentFrom: Float = 0.55
    /// The raw embedding's share ramps from 0 at this similarity to a training-wording anchor to 1 at `rawFrom`.
    package static let keepRawFrom: Float = 0.85
    package static let rawFrom: Float = 0.97

    /// Embeds the vocabulary (≈ 1 s of MiniLM for ~250 short anchors), or reads it from `cache`.
    init(encoder: any TextEncoding, anchors: [StyleAnchor] = StyleVocabulary.anchors, cache: VocabularyEmbeddingCache? = nil) {
        self.anchors = anchors
        let d = encoder.dimensions
        size = d
        let flat = cache?.embeddings(of: anchors, encoder: encoder) ?? encoder.embed(anchors.map(\.text)).flatMap { $0 }
        embeddings = (0..<anchors.count).flatMap { Self.unit(Array(flat[($0 * d)..<(($0 + 1) * d)])) }
    }

    /// The vocabulary embedded by `encoder` (tests).
    package init(encoder: any TextEncoding) { self.init(encoder: encoder, anchors: StyleVocabulary.anchors, cache: nil) }

    /// The reading of a prompt's MiniLM embedding.
    package func read(_ embedding: [Float]) -> StyleReading {
        precondition(embedding.count == size, "embedding has \(embedding.count) values, not \(size)")
        let prompt = Self.unit(embedding)
        let similarities = anchors.indices.map { a in
            (0..<size).reduce(Float(0)) { $0 + embeddings[a * size + $1] * prompt[$1] }
        }
        let best = similarities.indices.sorted { similarities[$0] > similarities[$1] }.prefix(Self.neighbourCount)
        let top = similarities[best.first!]
        let exps = best.map { Foundation.exp((similarities[$0] - top) / Self.temperature) }
        let total = exps.reduce(0, +)
        let weights = exps.map { $0 / total }
        let confidence = Self.ramp(top, from: Self.ignoredBelow, to: Self.confidentFrom)

        // Emotion weights (summing to ≤ 1: dial-only anchors carry none) and their mean intensities.
        var emotionWeight: [Emotion: Float] = [:], emotionIntensity: [Emotion: Float] = [:]
        for (a, w) in zip(best, weights) {
            guard let emotion = anchors[a].emotion else { continue }
            emotionWeight[emotion, default: 0] += w
            emotionIntensity[emotion, default: 0] += w * anchors[a].intensity
        }
        let seenSimilarity = anchors.indices.filter { anchors[$0].seenInTraining }.map { similarities[$0] }.max() ?? -1
        let raw = Self.ramp(seenSimilarity, from: Self.keepRawFrom, to: Self.rawFrom)
        var parts: [WeightedStyle] = []
        if let push = Self.emotionalPush(weights: emotionWeight, intensities: emotionIntensity, confidence: confidence) {
            parts.append(WeightedStyle(.emotion(push.emotion, intensity: push.intensity), weight: 1 - raw))
        }
        if raw > 0 { parts.append(WeightedStyle(.text(embedding: embedding), weight: raw)) }
        let dials = SpeakingStyle.mixed(zip(best, weights).map { (anchors[$0].speaking, $1 * confidence) })
        let neighbours = zip(best, weights).map { StyleReading.Neighbour(text: anchors[$0].text, similarity: similarities[$0], weight: $1) }
        let condition: StyleCondition = parts.isEmpty ? .none : parts.count == 1 && parts[0].weight == 1 ? parts[0].condition : .blend(parts)
        return StyleReading(condition: condition, speaking: dials, neighbours: neighbours, confidence: confidence)
    }

    /// The one emotion a reading pushes with, and how far. From the calm rest the face answers one
    /// emotion's token; a mean of several emotions' tokens hardly moves it (neighbours surprised, sad and
    /// fearful for "could not believe her eyes" gave eyeWide 0.003 of 0.43), and a neighbour's weight taken
    /// as a share of the style strength shows as almost nothing (the response to strength is convex). So
    /// the strongest emotion's token goes as far as the emotional neighbours together ask: the share of
    /// the full effect Σₑ wₑ·Iₑ^0.7 (as `--emotion` at intensity I asks for I^0.7; neutral and dial-only
    /// neighbours push nowhere and lower it) × confidence, given as the intensity that
    /// `IntensityCalibration` turns back into that share. nil when no emotion but neutral has weight.
    package static func emotionalPush(weights: [Emotion: Float], intensities: [Emotion: Float], confidence: Float) -> (emotion: Emotion, intensity: Float)? {
        let pushing = Emotion.allCases.filter { $0 != .neutral && (weights[$0] ?? 0) > 0.02 }
        guard let strongest = pushing.max(by: { weights[$0]! < weights[$1]! }) else { return nil }
        let exponent = IntensityCalibration.targetExponent
        let share = pushing.reduce(Float(0)) { total, emotion in
            let w = weights[emotion]!
            return total + w * Foundation.pow(min(1, intensities[emotion]! / w), exponent)
        }
        return (strongest, Foundation.pow(min(1, share * confidence), 1 / exponent))
    }

    static func ramp(_ x: Float, from a: Float, to b: Float) -> Float { min(max((x - a) / (b - a), 0), 1) }

    static func unit(_ v: [Float]) -> [Float] {
        let norm = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
        return norm > 0 ? v.map { $0 / norm } : v
    }
}
