import Foundation
import M2FEncoders

/// Turns what the user asked for (`StyleSpecification`s over time) into the generator's
/// `StyleSegment`s: text through MiniLM, images through GNPFA, emotions as they are.
struct StyleResolver {
    /// Loads the text encoder on first use (MiniLM costs ~0.3 s to load; most runs have no text).
    let textEncoder: () throws -> any TextEncoding
    /// Photos → style codes through the face tracker.
    let photos: PhotoExpressionTracker

    func condition(_ style: StyleSpecification) throws -> StyleCondition {
        switch style {
        case .none:
            return .none
        case let .text(text):
            return .text(embedding: try textEncoder().embed(text))
        case let .emotion(emotion, intensity):
            return .emotion(emotion, intensity: intensity)
        case let .image(path):
            guard FileManager.default.isReadableFile(atPath: path) else {
                throw PipelineError.imageUnreadable(image: path, problem: "no such file or no permission to read it")
            }
            do {
                return .image(code: try photos.expressionCode(imageAt: URL(fileURLWithPath: path)))
            } catch let error as PipelineError {
                throw error
            } catch {
                throw PipelineError.imageUnreadable(image: path, problem: error.localizedDescription)
            }
        }
    }

    /// The segments for a clip of `duration` seconds: the timeline's segments, and `background` filling
    /// the time no segment covers (with the timeline's fades); `background` alone spans the whole clip.
    func segments(background: StyleSpecification, timeline: StyleTimelineFile?, duration: Double) throws -> [StyleSegment] {
        guard let timeline else {
            return background == .none ? [] : [StyleSegment(start: 0, end: max(duration, 1e-3), fade: 0, condition: try condition(background))]
        }
        try timeline.validate(duration: duration)
        var cache: [StyleSpecification: StyleCondition] = [:]
        func cached(_ style: StyleSpecification) throws -> StyleCondition {
            if let known = cache[style] { return known }
            let made = try condition(style)
            cache[style] = made
            return made
        }
        var out = try timeline.segments.map {
            StyleSegment(start: $0.start, end: min($0.end, max(duration, $0.start + 1e-3)), fade: $0.fade, condition: try cached($0.style))
        }
        guard background != .none else { return out }
        let fill = try cached(background)
        let fade = timeline.segments.map(\.fade).max() ?? 0.5
        for gap in Self.uncovered(timeline.segments.map { ($0.start, $0.end) }, duration: duration) where gap.end - gap.start > 1e-6 {
            out.append(StyleSegment(start: gap.start, end: gap.end, fade: fade, condition: fill))
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
