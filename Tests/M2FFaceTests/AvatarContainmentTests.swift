import Foundation
import Testing
@testable import M2FFace

/// A downloaded avatar must not make `retarget` read files outside its folder and embed them in the
/// output the user shares (a buffer uri of `../../.ssh/id_ed25519` or `/proc/self/environ`).
@Suite struct AvatarContainmentTests {
    /// A marker that may appear in no output: the "secret" file sits beside the avatar's folder.
    static let secret = "M2F-SECRET-\(UUID().uuidString)"

    /// A folder `avatar/` holding a `.gltf` whose one buffer is the file `uri` names, and a secret file
    /// next to the folder (outside it) that holds the avatar's real buffer bytes followed by the marker,
    /// so a reader that follows an escaping uri would succeed and leak the marker.
    func makeExternalBufferAvatar(uri: (_ folder: URL, _ secret: URL) throws -> String) throws -> (avatar: URL, folder: URL) {
        let root = temporaryURL("containment-\(UUID().uuidString.prefix(8))")
        let folder = root.appendingPathComponent("avatar")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var asset = try GLTFAsset.load(try makeAvatar(renames: [:]))
        asset.mergeBuffers()
        let secretURL = root.appendingPathComponent("secret.bin")
        try Data(asset.buffers[0] + Array(Self.secret.utf8)).write(to: secretURL)
        let reference = try uri(folder, secretURL)
        asset.json.set("buffers", .array([.object([("byteLength", .number(Double(asset.buffers[0].count + Self.secret.utf8.count))),
                                                   ("uri", .string(reference))])]))
        let avatar = folder.appendingPathComponent("avatar.gltf")
        try Data(asset.json.serialized(pretty: true).utf8).write(to: avatar)
        return (avatar, folder)
    }

    @Test(arguments: ["../secret.bin", "..%2Fsecret.bin", "sub/../../secret.bin", "ABSOLUTE", "FILE_URL",
                      "/proc/self/environ", "/etc/passwd", "~/.ssh/id_ed25519", "..\\secret.bin", "LINK_OUT", "FIFO", "."])
    func escapingBufferURIsAreRefusedAndNothingLeaks(_ kind: String) throws {
        let (avatar, folder) = try makeExternalBufferAvatar { folder, secret in
            switch kind {
            case "ABSOLUTE": return secret.path
            case "FILE_URL": return secret.absoluteString
            case "LINK_OUT":
                try FileManager.default.createSymbolicLink(at: folder.appendingPathComponent("mesh.bin"), withDestinationURL: secret)
                return "mesh.bin"
            case "FIFO":
                #expect(mkfifo(folder.appendingPathComponent("mesh.bin").path, 0o600) == 0)
                return "mesh.bin"
            default: return kind
            }
        }
        do {
            _ = try GLTFAsset.load(avatar)
            Issue.record("\(kind): the avatar loaded")
        } catch {
            let text = error.localizedDescription
            #expect(text.hasPrefix(avatar.path) && text.contains("refusing to read"), "\(kind): \(text)")
        }
        // retarget writes nothing, and so can leak nothing.
        let output = folder.appendingPathComponent("talking.glb")
        #expect(throws: FaceError.self) { try Retarget.apply(ScriptedAnimation.make(seconds: 0.2), avatar: avatar, to: output) }
        #expect(!FileManager.default.fileExists(atPath: output.path))
    }

    @Test func plainFilesInsideTheFolderStillLoad() throws {
        for (relative, uri) in [("mesh.bin", "mesh.bin"), ("bin/mesh data.bin", "bin/mesh%20data.bin"), ("mesh2.bin", "./mesh2.bin")] {
            let (avatar, folder) = try makeExternalBufferAvatar { folder, secret in
                let inside = folder.appendingPathComponent(relative)
                try FileManager.default.createDirectory(at: inside.deletingLastPathComponent(), withIntermediateDirectories: true)
                try FileManager.default.copyItem(at: secret, to: inside)
                return uri
            }
            let output = folder.appendingPathComponent("talking.glb")
            let report = try Retarget.apply(ScriptedAnimation.make(seconds: 0.2), avatar: avatar, to: output)
            #expect(report.matches.count == 52, "\(uri)")
            #expect(try GLTFAsset.load(output).json["meshes"] != nil, "\(uri)")
        }
    }

    @Test func anAvatarReachedThroughASymlinkedFolderStillLoads() throws {
        let (avatar, folder) = try makeExternalBufferAvatar { folder, secret in
            try FileManager.default.copyItem(at: secret, to: folder.appendingPathComponent("mesh.bin"))
            return "mesh.bin"
        }
        let link = folder.deletingLastPathComponent().appendingPathComponent("linked")
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: folder)
        #expect(try GLTFAsset.load(link.appendingPathComponent(avatar.lastPathComponent)).buffers.count == 1)
    }
}
