import Foundation
import M2FTracker

/// Python MediaPipe's results on renders of the default head (`Tests/Fixtures/tracker/heads.json`, made
/// by `scripts/fixtures/make_tracker_pipeline_fixtures.sh`).
struct ReferenceFrame {
    let file: String
    let width: Int, height: Int
    let landmarks: [SIMD3<Float>]
    let blendshapes: [String: Float]
    /// Row-major 4 × 4 facial transformation matrix.
    let matrix: [Double]

    static var fixtureFolder: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/tracker")
    }

    static func load(_ name: String = "heads.json") throws -> [ReferenceFrame] {
        let data = try Data(contentsOf: fixtureFolder.appendingPathComponent(name))
        let root = try JSONSerialization.jsonObject(with: data) as! [String: Any]
        return (root["frames"] as! [[String: Any]]).compactMap { entry in
            guard entry["found"] as? Bool == true else { return nil }
            let points = (entry["landmarks"] as! [[Double]]).map { SIMD3(Float($0[0]), Float($0[1]), Float($0[2])) }
            let scores = (entry["blendshapes"] as! [String: Double]).mapValues(Float.init)
            return ReferenceFrame(file: entry["file"] as? String ?? "", width: entry["width"] as! Int, height: entry["height"] as! Int,
                                  landmarks: points, blendshapes: scores, matrix: entry["matrix"] as! [Double])
        }
    }
}

extension InstalledTracker {
    static func geometry() throws -> GeometryPipelineMetadata {
        try GeometryPipelineMetadata.read(path: try directory().appendingPathComponent(FaceLandmarkerModel.geometryMetadataFile).path)
    }
}
