import Foundation
import M2FEncoders
import M2FEngine
import M2FFace
import M2FGNPFA
import M2FTestSupport
import Testing
@testable import Media2Face

/// `--image` through the face tracker: scikit-image's astronaut (smiling; the tracker fixtures' wide
/// face crop) → ARKit weights → the committed GNPFA's code; a photo without a face is an error naming it.
@Suite("Image style through the face tracker", .serialized)
struct PhotoStyleTrackerTests {
    static let gnpfaFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Models/gnpfa")

    /// The 256 × 256 crop of a tracker fixture written as a PNG.
    static func photo(_ fixture: String) throws -> URL {
        let pixels = try Fixture(fixture, group: "tracker").input("pixels").toArray().map { UInt8(max(0, min(255, $0))) }
        let url = PipelineFixtures.folder("photo-style").appendingPathComponent("\(fixture).png")
        try PNG.encode(RGBImage(width: 256, height: 256, pixels: pixels)).write(to: url)
        return url
    }

    static func mean(_ weights: [Float], _ names: [String]) -> Float {
        names.map { weights[ARKit.index(of: $0)!] }.reduce(0, +) / Float(names.count)
    }

    @Test("the astronaut's smile reaches the weights and, through GNPFA's ARKit encoder, the style code")
    func astronautSmiles() throws {
        let gnpfa = try GNPFAModel(directory: Self.gnpfaFolder)
        let tracker = PhotoExpressionTracker(coding: gnpfa, store: ModelStore())
        let url = try Self.photo("landmarks_astronaut_wide")
        let weights = try tracker.weights(imageAt: url)
        let smile = Self.mean(weights, ["mouthSmileLeft", "mouthSmileRight"]), frown = Self.mean(weights, ["mouthFrownLeft", "mouthFrownRight"])
        print("astronaut: smile \(smile), frown \(frown), jawOpen \(weights[ARKit.index(of: "jawOpen")!])")
        #expect(weights.count == 52 && smile > 0.3 && frown < 0.1)
        let code = try tracker.expressionCode(imageAt: url)
        let expected = gnpfa.encode(weights: Tensor(weights, shape: [1, 52])).toArray()
        #expect(code.count == gnpfa.latentSize && zip(code, expected).allSatisfy { abs($0 - $1) < 1e-5 })
        // The code is the smile: decoded, it smiles as much as the photo (within GNPFA's round-trip error).
        let decoded = gnpfa.decode(latents: Tensor(code, shape: [1, code.count])).toArray()
        #expect(abs(Self.mean(decoded, ["mouthSmileLeft", "mouthSmileRight"]) - smile) < 0.15)
    }

    @Test("a photo without a face (scikit-image's coffee cup) is an error that names the file")
    func noFace() throws {
        let tracker = PhotoExpressionTracker(coding: try GNPFAModel(directory: Self.gnpfaFolder), store: ModelStore())
        let url = try Self.photo("landmarks_coffee_noface")
        #expect {
            try tracker.expressionCode(imageAt: url)
        } throws: { error in
            guard case let .imageUnreadable(image, problem) = error as? PipelineError else { return false }
            return image == url.path && problem.contains("no face") && error.localizedDescription.contains(url.lastPathComponent)
        }
    }
}
