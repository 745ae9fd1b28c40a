import Foundation
import M2FSystem
import Testing

/// `m2f train` never replaces a model folder by default: without `-o` it writes a new `runs/…` folder,
/// and a `-o` folder that holds a model is refused unless `--overwrite`. Runs the real binary in a
/// scratch working directory that holds a copy of the committed `Models/gnpfa` and `Models/media2face`.
@Suite(.serialized) struct TrainOutputTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// A scratch working directory with a copy of the committed models.
    func workspace() throws -> Scratch {
        let scratch = Scratch("train-output")
        try FileManager.default.createDirectory(atPath: scratch.file("Models"), withIntermediateDirectories: true)
        for model in ["gnpfa", "media2face"] {
            try FileManager.default.copyItem(atPath: Self.repository.appendingPathComponent("Models/\(model)").path, toPath: scratch.file("Models/\(model)"))
        }
        return scratch
    }

    /// Every file under `folder` with its bytes.
    func snapshot(_ folder: String) -> [String: Data] {
        var files: [String: Data] = [:]
        let enumerator = FileManager.default.enumerator(atPath: folder)
        while let path = enumerator?.nextObject() as? String {
            if let data = FileManager.default.contents(atPath: folder + "/" + path) { files[path] = data }
        }
        return files
    }

    /// Runs m2f in `directory` (relative paths resolve there, as for a user in that folder).
    func run(_ arguments: [String], in directory: String) throws -> (status: Int32, errors: String) {
        let quoted = ([M2F.binary!] + arguments).map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }.joined(separator: " ")
        let result = try Subprocess.run("/bin/sh", ["-c", "cd '\(directory)' && exec \(quoted)"])
        return (result.status, result.errors)
    }

    static let tinyVAE = ["train", "gnpfa", "--stage", "vae", "--vae-steps", "20", "--latent-size", "4", "--hidden-size", "16", "--quiet"]

    @Test func trainingWithoutOutputLeavesModelsUntouched() throws {
        guard M2F.binary != nil else { Issue.record("\(M2F.missing)"); return }
        let scratch = try workspace()
        defer { scratch.remove() }
        let before = snapshot(scratch.file("Models"))
        #expect(before.count >= 6)

        let result = try run(Self.tinyVAE, in: scratch.url.path)
        #expect(result.status == 0, "\(result.errors)")
        #expect(snapshot(scratch.file("Models")) == before)
        // The model went to a new folder under runs/, which the message names.
        let runs = (try? FileManager.default.contentsOfDirectory(atPath: scratch.file("runs"))) ?? []
        #expect(runs.count == 1 && runs[0].hasPrefix("gnpfa-"), "\(runs)")
        #expect(FileManager.default.fileExists(atPath: scratch.file("runs/\(runs.first ?? "")/vae.safetensors")))
        #expect(result.errors.contains("writing the model to runs/gnpfa-"), "\(result.errors)")

        // The diffusion trainer too: no -o is a new folder (here the run stops at the missing dataset).
        let diffusion = try run(["train", "diffusion", "--data", "no-such-dataset", "--steps", "1"], in: scratch.url.path)
        #expect(diffusion.status != 0)
        #expect(diffusion.errors.contains("writing the model to runs/media2face-"), "\(diffusion.errors)")
        #expect(snapshot(scratch.file("Models")) == before)
    }

    @Test func aFolderWithAModelIsRefusedUnlessOverwriteIsGiven() throws {
        guard M2F.binary != nil else { Issue.record("\(M2F.missing)"); return }
        let scratch = try workspace()
        defer { scratch.remove() }
        let before = snapshot(scratch.file("Models"))

        let gnpfa = try run(Self.tinyVAE + ["-o", "Models/gnpfa"], in: scratch.url.path)
        #expect(gnpfa.status != 0)
        #expect(gnpfa.errors.contains("Models/gnpfa already holds a trained model (vae.safetensors); pass --overwrite"), "\(gnpfa.errors)")
        let diffusion = try run(["train", "diffusion", "--data", "no-such-dataset", "-o", "Models/media2face"], in: scratch.url.path)
        #expect(diffusion.status != 0)
        #expect(diffusion.errors.contains("Models/media2face already holds a trained model (model.safetensors)"), "\(diffusion.errors)")
        #expect(snapshot(scratch.file("Models")) == before)

        // Asked for, the VAE is replaced (the other stages' files stay; the sizes are the committed ones,
        // which the encoders beside it were trained against).
        let sameSizes = ["train", "gnpfa", "--stage", "vae", "--vae-steps", "20", "--latent-size", "16", "--hidden-size", "256", "--quiet"]
        let replaced = try run(sameSizes + ["-o", "Models/gnpfa", "--overwrite"], in: scratch.url.path)
        #expect(replaced.status == 0, "\(replaced.errors)")
        let after = snapshot(scratch.file("Models"))
        #expect(after["gnpfa/vae.safetensors"] != before["gnpfa/vae.safetensors"])
        #expect(after["gnpfa/geometry.safetensors"] == before["gnpfa/geometry.safetensors"])
    }
}
