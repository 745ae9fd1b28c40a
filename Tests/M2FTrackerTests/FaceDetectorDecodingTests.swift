import Foundation
import Testing
@testable import M2FTracker

@Suite("Face detector decoding (anchors, boxes, weighted NMS)")
struct FaceDetectorDecodingTests {
    @Test("896 anchors: 16 × 16 cells × 2 at stride 8, then 8 × 8 cells × 6 at stride 16")
    func anchorLayout() {
        let anchors = FaceDetectorDecoding().anchors
        #expect(anchors.count == 896)
        #expect(anchors[0] == SIMD2(0.5 / 16, 0.5 / 16) && anchors[1] == anchors[0])
        #expect(anchors[2] == SIMD2(1.5 / 16, 0.5 / 16))
        #expect(anchors[511] == SIMD2(15.5 / 16, 15.5 / 16))
        #expect(anchors[512] == SIMD2(0.5 / 8, 0.5 / 8) && anchors[517] == anchors[512] && anchors[518] == SIMD2(1.5 / 8, 0.5 / 8))
        #expect(anchors[895] == SIMD2(7.5 / 8, 7.5 / 8))
    }

    /// Raw outputs with one anchor scoring `logit` and a box of `size` input pixels offset by `shift`.
    func raw(anchor: Int, logit: Float, shift: SIMD2<Float>, size: Float, into regressors: inout [Float], scores: inout [Float]) {
        scores[anchor] = logit
        let base = anchor * 16
        regressors[base] = shift.x; regressors[base + 1] = shift.y
        regressors[base + 2] = size; regressors[base + 3] = size
        for k in 0..<6 { regressors[base + 4 + 2 * k] = shift.x + Float(k) - 3; regressors[base + 5 + 2 * k] = shift.y - 2 }
    }

    @Test("a box decodes against its anchor in input pixels / 128; scores pass through a clipped sigmoid")
    func decodesBox() {
        let decoding = FaceDetectorDecoding()
        var regressors = [Float](repeating: 0, count: 896 * 16), scores = [Float](repeating: -10, count: 896)
        raw(anchor: 600, logit: 2, shift: SIMD2(6.4, -12.8), size: 32, into: &regressors, scores: &scores)
        let found = decoding.decode(regressors: regressors, scores: scores)
        #expect(found.count == 1)
        let face = found[0], anchor = decoding.anchors[600]
        #expect(abs(face.score - 1 / (1 + exp(-2))) < 1e-6)
        #expect(abs(face.width - 0.25) < 1e-6 && abs(face.height - 0.25) < 1e-6)
        #expect(abs(face.xMin + 0.125 - (anchor.x + 0.05)) < 1e-6 && abs(face.yMin + 0.125 - (anchor.y - 0.1)) < 1e-6)
        #expect(abs(face.keypoints[0].x - (anchor.x + (6.4 - 3) / 128)) < 1e-6)
        // Under the threshold (0.5): nothing.
        scores[600] = -0.1
        #expect(decoding.decode(regressors: regressors, scores: scores).isEmpty)
        // A logit of 1e30 is clipped to 100 and stays finite.
        scores[600] = 1e30
        #expect(decoding.decode(regressors: regressors, scores: scores).first?.score == 1)
    }

    @Test("weighted NMS averages overlapping boxes by score and keeps the best score; separate faces stay apart")
    func weightedSuppression() {
        var decoding = FaceDetectorDecoding()
        decoding.maximumFaces = 3
        let kp = [SIMD2<Float>](repeating: SIMD2(0.3, 0.3), count: 6)
        let a = FaceDetection(xMin: 0.1, yMin: 0.1, width: 0.4, height: 0.4, keypoints: kp, score: 0.9)
        let b = FaceDetection(xMin: 0.14, yMin: 0.1, width: 0.4, height: 0.4, keypoints: kp.map { $0 + 0.1 }, score: 0.6)
        let far = FaceDetection(xMin: 0.7, yMin: 0.7, width: 0.2, height: 0.2, keypoints: kp, score: 0.7)
        let kept = decoding.suppress([b, far, a])
        #expect(kept.count == 2)
        #expect(kept[0].score == 0.9)
        #expect(abs(kept[0].xMin - (0.1 * 0.9 + 0.14 * 0.6) / 1.5) < 1e-6)
        #expect(abs(kept[0].width - 0.4) < 1e-6)
        #expect(abs(kept[0].keypoints[2].x - (0.3 * 0.9 + 0.4 * 0.6) / 1.5) < 1e-6)
        #expect(abs(kept[1].xMin - 0.7) < 1e-6 && abs(kept[1].width - 0.2) < 1e-6 && kept[1].score == 0.7)
        // The face landmarker keeps one face.
        #expect(FaceDetectorDecoding().suppress([b, far, a]).count == 1)
    }

    @Test("letterbox removal maps the padded square back onto a wide image")
    func letterbox() {
        let (region, letterbox) = PixelRegion.letterboxed(imageWidth: 400, imageHeight: 200)
        #expect(region.size == SIMD2(400, 400) && region.center == SIMD2(200, 100))
        #expect(letterbox.top == 0.25 && letterbox.bottom == 0.25 && letterbox.left == 0)
        let padded = FaceDetection(xMin: 0.5, yMin: 0.25, width: 0.25, height: 0.25, keypoints: [SIMD2(0.5, 0.75)], score: 1)
        let d = FaceDetectorDecoding.removeLetterbox(padded, letterbox)
        #expect(d.xMin == 0.5 && d.yMin == 0 && d.width == 0.25 && d.height == 0.5 && d.keypoints[0] == SIMD2(0.5, 1))
    }
}
