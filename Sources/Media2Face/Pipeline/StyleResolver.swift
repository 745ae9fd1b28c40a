import Foundation
import M2FEncoders

/// A style as the generator takes it: the condition and the speaking-style dials.
struct ResolvedStyle: Equatable {
    var condition: StyleCondition
    var speaking: SpeakingStyle
}

/// Turns what the user asked for (`StyleSpecification`s over time, speaking dials) into the generator's
/// `StyleSegment`s: text through MiniLM and the style vocabulary, images through GNPFA, emotions as they are.
struct StyleResolver {
    /// Loads the text encoder on first use (MiniLM costs ~0.3 s to load; most runs have no text).
    let textEncoder: () throws -> any TextEncoding
    /// The style vocabulary embedded by that encoder, made on first use.
    let promptReader: () throws -> StylePromptReader
    /// Photos → style codes through the face tracker.
    let photos: PhotoExpressionTracker

    /// A style's condition and the dials its words imply (neutral for anything but text).
    /// - Parameter rawText: text as its bare MiniLM embedding (what the model was trained on), not
    ///   read through the vocabulary.
    func resolve(_ style: StyleSpecification, rawText: Bool = false) throws -> ResolvedStyle {
        switch style {
        case .none:
            return ResolvedStyle(condition: .none, speaking: .neutral)
        case let .text(text):
            let embedding = try textEncoder().embed(text)
            if rawText { return ResolvedStyle(condition: .text(embedding: embedding), speaking: .neutral) }
            let reading = try promptReader().read(embedding)
            return ResolvedStyle(condition: reading.condition, speaking: reading.speaking)
        case let .emotion(emotion, intensity):
            return ResolvedStyle(condition: .emotion(emotion, intensity: intensity), speaking: .neutral)
        case let .image(path):
            guard FileManager.default.isReadableFile(atPath: path) else {
                throw PipelineError.imageUnreadable(image: path, problem: "no such file or no permission to read it")
            }
            do {
                return ResolvedStyle(condition: .image(code: try photos.expressionCode(imageAt: URL(fileURLWithPath: path))), speaking: .neutral)
            } catch let error as PipelineError {
                throw error
            } catch {
                throw PipelineError.imageUnreadable(image: path, problem: error.localizedDescription)
            }
        }
    }

    /// The segments for a clip of `duration` seconds: the timeline's segments, and `background` filling
    /// the time no segment covers (with the timeline's fades); `background` alone spans the whole clip.
    /// Dials: a segment's own, else the run's `dials`, else what the segment's text implies, else 1.
    func segments(background: StyleSpecification, timeline: StyleTimelineFile?, duration: Double,
                  dials: SpeakingDials = SpeakingDials(), rawText: Bool = false) throws -> [StyleSegment] {
        var cache: [StyleSpecification: ResolvedStyle] = [:]
        func cached(_ style: StyleSpecification) throws -> ResolvedStyle {
            if let known = cache[style] { return known }
            let made = try resolve(style, rawText: rawText)
            cache[style] = made
            return made
        }
        func segment(_ start: Double, _ end: Double, _ fade: Double, _ style: StyleSpecification, _ own: SpeakingDials) throws -> StyleSegment? {
            let resolved = try cached(style)
            let speaking = own.over(dials).overriding(resolved.speaking)
            guard resolved.condition != .none || speaking != .neutral else { return nil }
            return StyleSegment(start: start, end: end, fade: fade, condition: resolved.condition, speaking: speaking)
        }
        guard let timeline else {
            return try segment(0, max(duration, 1e-3), 0, background, SpeakingDials()).map { [$0] } ?? []
        }
        try timeline.validate(duration: duration)
        var out = try timeline.segments.compactMap {
            try segment($0.start, min($0.end, max(duration, $0.start + 1e-3)), $0.fade, $0.style, $0.speaking)
        }
        let fade = timeline.segments.map(\.fade).max() ?? 0.5
        for gap in Self.uncovered(timeline.segments.map { ($0.start, $0.end) }, duration: duration) where gap.end - gap.start > 1e-6 {
            if let fill = try segment(gap.start, gap.end, fade, background, SpeakingDials()) { out.append(fill) }
        }
        return out
    }

    /// Parts of [0, duration] that no (start, end) interval covers, in order.
    static func uncovered(_ intervals: [(Double, Double)], duration: Double) -> [(start: Double, end: Double)] {
        var gaps: [(start: Double, end: Double)] = []
        var cursor = 0.0
        for (start, end) in intervals.sorted(by: { $0.0 < $1.0 }) {
            if start > cursor { gaps.append((cursor, min(start, duration))) }
            cursor = max(cursor, end)
            if cursor >= duration { break }
        }
        if cursor < duration { gaps.append((cursor, duration)) }
        return gaps.filter { $0.end > $0.start }
    }
}

extension StyleSpecification: Hashable {
    public func hash(into hasher: inout Hasher) {
        switch self {
        case .none: hasher.combine(0)
        case let .text(text): hasher.combine(1); hasher.combine(text)
        case let .emotion(emotion, intensity): hasher.combine(2); hasher.combine(emotion); hasher.combine(intensity)
        case let .image(path): hasher.combine(3); hasher.combine(path)
        }
    }
}
