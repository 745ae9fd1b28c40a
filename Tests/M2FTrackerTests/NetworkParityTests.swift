import Foundation
import M2FEngine
import M2FTestSupport
import M2FTracker
import Testing

/// Each network's raw outputs against LiteRT running the same `.tflite` (fixtures by
/// `scripts/fixtures/make_tracker_fixtures.py`, inputs from scikit-image's sample photos).
@Suite("Tracker network parity with LiteRT")
struct NetworkParityTests {
    /// Pixels (float16 integers 0…255) → the network's input range, as the fixture script computes it.
    static func input(_ fixture: Fixture, scale: Float, offset: Float) throws -> [Float] {
        try fixture.input("pixels").toArray().map { $0 * scale + offset }
    }

    static func errors(_ actual: [Float], _ expected: [Float]) -> (max: Float, mean: Float) {
        let differences = zip(actual, expected).map { abs($0 - $1) }
        return (differences.max() ?? 0, differences.reduce(0, +) / Float(max(differences.count, 1)))
    }

    @Test("face detector: regressors within 0.005 px, score logits within 0.002",
          arguments: ["astronaut", "camera", "chelsea_noface", "coffee_noface"])
    func detector(_ name: String) throws {
        let fixture = try Fixture("detector_\(name)", group: "tracker")
        let output = try InstalledTracker.detector.get().run(image: try Self.input(fixture, scale: 1 / 127.5, offset: -1))
        let boxes = Self.errors(output.regressors, try fixture.tensor("out.regressors").toArray())
        let scores = Self.errors(output.scoreLogits, try fixture.tensor("out.scores").toArray())
        print("detector \(name): regressors max \(boxes.max) mean \(boxes.mean); logits max \(scores.max) mean \(scores.mean)")
        #expect(boxes.max < 0.005)
        #expect(scores.max < 0.002)
        // The decision that matters downstream: the same best anchor, the same face / no-face verdict.
        let expected = try fixture.tensor("out.scores").toArray()
        #expect(output.scoreLogits.indices.max { output.scoreLogits[$0] < output.scoreLogits[$1] }
                == expected.indices.max { expected[$0] < expected[$1] })
        #expect((output.scoreLogits.max()! > 0) == !name.hasSuffix("noface"))
    }

    @Test("face landmarks: within 0.005 crop px, presence logit within 0.005",
          arguments: ["astronaut", "astronaut_mirrored", "astronaut_rotated", "astronaut_wide", "coffee_noface"])
    func landmarks(_ name: String) throws {
        let fixture = try Fixture("landmarks_\(name)", group: "tracker")
        let output = try InstalledTracker.landmarks.get().run(image: try Self.input(fixture, scale: 1 / 255, offset: 0))
        let points = Self.errors(output.landmarks, try fixture.tensor("out.landmarks").toArray())
        let presence = abs(output.presenceLogit - (try fixture.tensor("out.presence").toArray()[0]))
        let auxiliary = abs(output.auxiliaryScore - (try fixture.tensor("out.auxiliary").toArray()[0]))
        print("landmarks \(name): max \(points.max) mean \(points.mean) px; presence logit \(presence); auxiliary \(auxiliary)")
        #expect(points.max < 0.005)
        #expect(presence < 0.005)
        #expect(auxiliary < 0.001)
        #expect((output.presenceLogit > 0) == !name.hasSuffix("noface"))
    }

    @Test("blendshapes: within 2e-5", arguments: ["astronaut", "astronaut_mirrored", "astronaut_rotated", "astronaut_wide"])
    func blendshapes(_ name: String) throws {
        let fixture = try Fixture("blendshapes_\(name)", group: "tracker")
        let scores = try InstalledTracker.blendshapes.get().run(points: try fixture.input("points").toArray())
        let error = Self.errors(scores, try fixture.tensor("out.scores").toArray())
        print("blendshapes \(name): max \(error.max) mean \(error.mean)")
        #expect(scores.count == BlendshapeNetwork.names.count)
        #expect(error.max < 2e-5)
    }
}
