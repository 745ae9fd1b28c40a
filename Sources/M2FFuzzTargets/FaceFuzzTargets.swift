import Foundation
import M2FFace

/// Animation files (m2f JSON, Live Link CSV) and glTF/GLB, through the calls `convert`, `render` and
/// `retarget` make.
enum FaceFuzzTargets {
    static func animationJSON(_ data: Data) {
        let file = "fuzz-input.json"
        do {
            check(try AnimationJSON.parse(data, file: file), target: "animation-json")
        } catch {
            FuzzCheck.errorNamesFile(error, file: file, target: "animation-json")
        }
    }

    /// The first byte picks the reader options (none, a timecode rate, an animation rate); the rest is the CSV.
    static func liveLinkCSV(_ data: Data) {
        let file = "fuzz-input.csv"
        let selector = data.first ?? 0
        var options = LiveLinkCSV.ReadOptions()
        switch selector % 4 {
        case 1: options.timecodeRate = [24, 25, 30, 60, 1, 1000][Int(selector / 4) % 6]
        case 2: options.fps = [24, 30, 60, 1][Int(selector / 4) % 4]
        default: break
        }
        do {
            check(try LiveLinkCSV.parse(data.dropFirst(), file: file, options: options), target: "livelink-csv")
        } catch {
            FuzzCheck.errorNamesFile(error, file: file, target: "livelink-csv")
        }
    }

    /// GLB (or glTF JSON) as an avatar: every accessor read as `retarget` and `render` read them, then as
    /// an animation written by m2f (`GLTFWriter.read`), then retargeted in memory.
    static func gltf(_ data: Data) {
        let binary = data.count >= 4 && data.prefix(4) == Data("glTF".utf8)
        let url = FuzzScratch.file(binary ? "fuzz-input.glb" : "fuzz-input.gltf", data)
        do {
            var asset = try GLTFAsset.load(url)
            for index in 0..<(asset.json["accessors"]?.arrayValue?.count ?? 0) {
                do {
                    let (values, components) = try asset.floats(accessor: index)
                    guard components > 0, values.count % components == 0 else {
                        FuzzCheck.fail("gltf: accessor \(index) gave \(values.count) values of \(components) components")
                    }
                } catch {
                    FuzzCheck.errorNamesFile(error, file: url.path, target: "gltf accessor")
                }
            }
            _ = try? Retarget.apply(FaceFuzzTargets.shortAnimation, to: &asset)
        } catch {
            FuzzCheck.errorNamesFile(error, file: url.path, target: "gltf")
        }
        do {
            check(try GLTFAnimationReader.read(contentsOf: url), target: "gltf animation")
        } catch {
            FuzzCheck.errorNamesFile(error, file: url.path, target: "gltf animation")
        }
    }

    static let shortAnimation = FaceAnimation(fps: 30, frameCount: 3, withEyes: false, metadata: [:])

    /// What an accepted animation promises the rest of m2f: a usable rate and one row per frame.
    static func check(_ animation: FaceAnimation, target: String) {
        guard animation.fps.isFinite, animation.fps > 0 else { FuzzCheck.fail("\(target): accepted with fps \(animation.fps)") }
        guard animation.weights.count == animation.frameCount * ARKit.count,
              animation.headPose.count == animation.frameCount,
              animation.eyePose.map({ $0.count == animation.frameCount }) ?? true else {
            FuzzCheck.fail("\(target): \(animation.frameCount) frames with \(animation.weights.count) weights, \(animation.headPose.count) poses")
        }
        // The next stages of convert: validation, then both writers.
        if let (clean, _) = try? animation.validated() {
            _ = AnimationJSON.serialize(clean)
            _ = LiveLinkCSV.serialize(clean)
        }
    }
}
