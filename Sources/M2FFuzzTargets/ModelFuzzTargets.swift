import Foundation
import M2FEngine
import M2FGNPFA
import Media2Face

/// Model files: safetensors (header and every tensor read back) and the two model configurations.
enum ModelFuzzTargets {
    static func safetensors(_ data: Data) {
        let url = FuzzScratch.file("fuzz-input.safetensors", data)
        do {
            let file = try SafeTensorsFile(path: url.path)
            for name in file.names {
                do {
                    let tensor = try file.tensor(named: name)
                    guard tensor.shape == file.entries[name]!.shape else { FuzzCheck.fail("safetensors: \(name) read as \(tensor.shape)") }
                } catch {
                    FuzzCheck.errorNamesFile(error, file: url.path, target: "safetensors tensor")
                }
            }
        } catch {
            FuzzCheck.errorNamesFile(error, file: url.path, target: "safetensors")
        }
    }

    /// The first byte picks the configuration (even: Media2Face diffusion, odd: GNPFA); the rest is its config.json.
    static func modelConfig(_ data: Data) {
        let folder = FuzzScratch.directory
        let url = FuzzScratch.file("config.json", Data(data.dropFirst()))
        do {
            if (data.first ?? 0) % 2 == 0 {
                _ = try DiffusionModelFile.configuration(in: folder)
            } else {
                _ = try GNPFAConfiguration.read(directory: folder)
            }
        } catch {
            FuzzCheck.errorNamesFile(error, file: url.path, target: "model config")
        }
    }
}
