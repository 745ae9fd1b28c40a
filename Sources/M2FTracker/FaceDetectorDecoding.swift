import Foundation

/// A face the detector found: box and six keypoints in normalised image coordinates ([0, 1] of the
/// width and height, origin top left), and its score. Keypoints: right eye, left eye, nose tip, mouth
/// centre, right ear tragion, left ear tragion (the face's right and left).
public struct FaceDetection: Sendable, Equatable {
    public var xMin: Float, yMin: Float, width: Float, height: Float
    public var keypoints: [SIMD2<Float>]
    public var score: Float

    public init(xMin: Float, yMin: Float, width: Float, height: Float, keypoints: [SIMD2<Float>], score: Float) {
        (self.xMin, self.yMin, self.width, self.height, self.keypoints, self.score) = (xMin, yMin, width, height, keypoints, score)
    }
}

/// MediaPipe's short-range face detector post-processing (`face_detection_short_range` graph options):
/// SSD anchors, box and keypoint decoding, sigmoid scores over a threshold, weighted non-maximum
/// suppression, and removal of the letterbox the 128 × 128 input was padded with.
public struct FaceDetectorDecoding: Sendable {
    /// Network input side in pixels.
    public static let inputSize = 128
    /// Values per anchor: box (x, y, w, h) then six (x, y) keypoints.
    public static let valuesPerAnchor = 16
    public static let keypointCount = 6

    /// Minimum score of a detection (the face landmarker's `min_face_detection_confidence`).
    public var minimumScore: Float = 0.5
    /// Boxes overlapping more than this (intersection over union) are merged.
    public var suppressionOverlap: Float = 0.3
    /// Faces kept (the face landmarker's `num_faces`).
    public var maximumFaces = 1

    /// Anchor centres (x, y) in [0, 1]; the anchors are unit-sized (`fixed_anchor_size`).
    public let anchors: [SIMD2<Float>]

    public init() { anchors = Self.makeAnchors() }

    /// SSD anchors of `ssd_anchors_calculator` for 4 layers, strides 8 16 16 16, one aspect ratio plus the
    /// interpolated scale: 2 anchors per cell on the 16 × 16 grid, 6 per cell on the 8 × 8 one (896).
    static func makeAnchors() -> [SIMD2<Float>] {
        let strides = [8, 16, 16, 16]
        var anchors: [SIMD2<Float>] = []
        var layer = 0
        while layer < strides.count {
            var perCell = 0
            var last = layer
            while last < strides.count && strides[last] == strides[layer] { perCell += 2; last += 1 }
            let side = (inputSize + strides[layer] - 1) / strides[layer]
            for y in 0..<side {
                for x in 0..<side {
                    let centre = SIMD2(Float(x) + 0.5, Float(y) + 0.5) / Float(side)
                    anchors += [SIMD2<Float>](repeating: centre, count: perCell)
                }
            }
            layer = last
        }
        return anchors
    }

    /// Decodes the raw outputs (`regressors`: anchors × 16, `scores`: anchors logits) into detections in
    /// the coordinates of the letterboxed input, before NMS.
    public func decode(regressors: [Float], scores: [Float]) -> [FaceDetection] {
        precondition(regressors.count == anchors.count * Self.valuesPerAnchor && scores.count == anchors.count,
                     "the detector gives \(anchors.count) × 16 regressors and \(anchors.count) scores")
        let size = Float(Self.inputSize)
        var found: [FaceDetection] = []
        for (i, anchor) in anchors.enumerated() {
            let logit = max(-100, min(100, scores[i]))
            let score = 1 / (1 + exp(-logit))
            guard score >= minimumScore else { continue }
            let raw = regressors[(i * Self.valuesPerAnchor)..<((i + 1) * Self.valuesPerAnchor)].map { $0 / size }
            let base = raw.startIndex
            let centre = SIMD2(raw[base], raw[base + 1]) + anchor
            let w = raw[base + 2], h = raw[base + 3]
            let keypoints = (0..<Self.keypointCount).map { k in SIMD2(raw[base + 4 + 2 * k], raw[base + 5 + 2 * k]) + anchor }
            found.append(FaceDetection(xMin: centre.x - w / 2, yMin: centre.y - h / 2, width: w, height: h, keypoints: keypoints, score: score))
        }
        return found
    }

    /// Weighted non-maximum suppression (`NonMaxSuppressionCalculator`, WEIGHTED, IoU): each kept face is
    /// the score-weighted mean of the boxes and keypoints that overlap the best remaining one; its score
    /// stays the best one's.
    public func suppress(_ detections: [FaceDetection]) -> [FaceDetection] {
        var remaining = detections.sorted { $0.score > $1.score }
        var kept: [FaceDetection] = []
        while let best = remaining.first, kept.count < maximumFaces {
            var candidates: [FaceDetection] = [], rest: [FaceDetection] = []
            for other in remaining {
                if Self.overlap(other, best) > suppressionOverlap { candidates.append(other) } else { rest.append(other) }
            }
            var merged = best
            let total = candidates.reduce(0) { $0 + $1.score }
            if !candidates.isEmpty && total > 0 {
                var xMin: Float = 0, yMin: Float = 0, xMax: Float = 0, yMax: Float = 0
                var keypoints = [SIMD2<Float>](repeating: .zero, count: best.keypoints.count)
                for c in candidates {
                    xMin += c.xMin * c.score; yMin += c.yMin * c.score
                    xMax += (c.xMin + c.width) * c.score; yMax += (c.yMin + c.height) * c.score
                    for k in keypoints.indices { keypoints[k] += c.keypoints[k] * c.score }
                }
                merged.xMin = xMin / total; merged.yMin = yMin / total
                merged.width = (xMax - xMin) / total; merged.height = (yMax - yMin) / total
                merged.keypoints = keypoints.map { $0 / total }
            }
            kept.append(merged)
            if rest.count == remaining.count { break }
            remaining = rest
        }
        return kept
    }

    /// Intersection over union of two boxes (0 when either is empty).
    static func overlap(_ a: FaceDetection, _ b: FaceDetection) -> Float {
        let ix = max(0, min(a.xMin + a.width, b.xMin + b.width) - max(a.xMin, b.xMin))
        let iy = max(0, min(a.yMin + a.height, b.yMin + b.height) - max(a.yMin, b.yMin))
        let intersection = ix * iy
        let union = a.width * a.height + b.width * b.height - intersection
        return union > 0 ? intersection / union : 0
    }

    /// Maps a detection from the letterboxed input back to the image (`DetectionLetterboxRemovalCalculator`).
    public static func removeLetterbox(_ d: FaceDetection, _ letterbox: Letterbox) -> FaceDetection {
        let sx = 1 - letterbox.left - letterbox.right, sy = 1 - letterbox.top - letterbox.bottom
        var out = d
        out.xMin = (d.xMin - letterbox.left) / sx
        out.yMin = (d.yMin - letterbox.top) / sy
        out.width = d.width / sx
        out.height = d.height / sy
        out.keypoints = d.keypoints.map { SIMD2(($0.x - letterbox.left) / sx, ($0.y - letterbox.top) / sy) }
        return out
    }

    /// Everything after the network: decode, suppress, remove the letterbox.
    public func detections(regressors: [Float], scores: [Float], letterbox: Letterbox) -> [FaceDetection] {
        suppress(decode(regressors: regressors, scores: scores)).map { Self.removeLetterbox($0, letterbox) }
    }
}

/// Padding added around an image to fit a square network input, as shares of the padded input's side.
public struct Letterbox: Sendable, Equatable {
    public var left: Float, top: Float, right: Float, bottom: Float

    public init(left: Float = 0, top: Float = 0, right: Float = 0, bottom: Float = 0) {
        (self.left, self.top, self.right, self.bottom) = (left, top, right, bottom)
    }
}
