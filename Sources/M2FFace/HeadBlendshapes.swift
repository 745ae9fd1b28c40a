import Foundation

extension HeadBuilder {
    func authorBlendshapes() -> [SparseDelta] {
        ARKit.all.map { _ in SparseDelta(indices: [], offsets: []) }
    }

    func lipRegion() -> [Int] {
        parts[0].vertices.filter { v in
            let p = positions[v]
            return abs(p.x) < shape.mouthHalfWidth + 0.006 && abs(p.y - shape.mouthY) < 0.016 && p.z > slitCenter.z - 0.02
        }
    }

    func upperFaceRegion() -> [Int] {
        parts[0].vertices.filter { v in
            let p = positions[v]
            return p.y > shape.mouthY + 0.022 && p.y < 0.165 && p.z > 0.03 && abs(p.x) < 0.065
        }
    }
}
