import Foundation
import M2FEngine
import Testing
import M2FGNPFA

/// Issue 19: a GNPFA config.json with hiddenSize or hiddenLayers below zero crashed the allocation.
/// Every field of every part is checked on read, and a config that describes more parameters than its
/// weights hold is refused before anything is allocated.
@Suite struct GNPFAConfigurationRangeTests {
    /// The committed config.json with `edit` applied to its JSON object.
    static func config(_ edit: (inout [String: Any]) -> Void) throws -> Data {
        let data = try Data(contentsOf: GNPFAModel.defaultDirectory.appendingPathComponent("config.json"))
        var json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        edit(&json)
        return try JSONSerialization.data(withJSONObject: json)
    }

    static func setPart(_ part: String, _ field: String, _ value: Any) -> (inout [String: Any]) -> Void {
        { json in
            var object = json[part] as? [String: Any] ?? [:]
            object[field] = value
            json[part] = object
        }
    }

    @Test(arguments: [
        ("vae", "hiddenSize", "-1", "vae.hiddenSize is -1"), ("vae", "hiddenLayers", "-3", "vae.hiddenLayers is -3"),
        ("vae", "latentSize", "0", "vae.latentSize is 0"), ("vae", "hiddenSize", "1099511627776", "vae.hiddenSize is"),
        ("geometry", "hiddenLayers", "-1", "geometry.hiddenLayers is -1"), ("geometry", "vertexIndices", "[5, -7]", "geometry.vertexIndices[1] is -7"),
        ("geometry", "latentSize", "3", "geometry.latentSize 3 differs"),
    ])
    func fieldOutOfRangeIsRefused(part: String, field: String, value: String, message: String) throws {
        let data = try Self.config(Self.setPart(part, field, try JSONSerialization.jsonObject(with: Data(value.utf8), options: .fragmentsAllowed)))
        do {
            _ = try GNPFAConfiguration.decode(data, file: "/models/gnpfa/config.json")
            Issue.record("\(part).\(field) = \(value) was accepted")
        } catch let error as GNPFAError {
            #expect(error.localizedDescription.contains("/models/gnpfa/config.json"), "\(error.localizedDescription)")
            #expect(error.localizedDescription.contains(message), "\(error.localizedDescription)")
        }
    }

    /// Folders trained before the image encoder was deleted list an `image` part: it is ignored.
    @Test func anOlderConfigurationWithAnImagePartLoads() throws {
        let data = try Self.config(Self.setPart("image", "imageSize", 64))
        #expect(try GNPFAConfiguration.decode(data, file: "/models/gnpfa/config.json").rangeProblem == nil)
    }

    @Test func theCommittedConfigurationIsInRange() throws {
        #expect(try GNPFAConfiguration.read(directory: GNPFAModel.defaultDirectory).rangeProblem == nil)
    }

    /// hiddenSize 4096 is in range, but vae.safetensors cannot hold it: refused before the VAE is built.
    @Test func configLargerThanItsWeightsIsRefused() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gnpfa-big-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try Self.config(Self.setPart("vae", "hiddenSize", 4096)).write(to: folder.appendingPathComponent("config.json"))
        for file in ["vae.safetensors", "geometry.safetensors"] {
            try FileManager.default.copyItem(at: GNPFAModel.defaultDirectory.appendingPathComponent(file), to: folder.appendingPathComponent(file))
        }
        do {
            _ = try GNPFAModel(directory: folder)
            Issue.record("a config larger than its weights was accepted")
        } catch let error as GNPFAError {
            #expect(error.localizedDescription.contains("do not belong together"), "\(error.localizedDescription)")
        }
    }
}
