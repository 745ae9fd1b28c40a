import ArgumentParser
import Foundation

/// Where `m2f train …` writes: the `-o` folder, or without one a new `runs/KIND-YYYYMMDD-HHMMSS` folder,
/// so that a training run never replaces a shipped model (`Models/…`) by default. A folder that already
/// holds one of the run's model files is refused unless `--overwrite` (or `--resume`) says so.
enum TrainingOutput {
    /// The folder to write.
    /// - Parameters:
    ///   - output: `-o`, if given.
    ///   - kind: names the new folder (`media2face`, `gnpfa`).
    ///   - modelFiles: the files this run writes that make a trained model (`model.safetensors`).
    static func folder(_ output: String?, kind: String, modelFiles: [String], overwrite: Bool, resume: Bool) throws -> String {
        let manager = FileManager.default
        guard let output else {
            if resume { throw ValidationError("--resume continues the run in an existing folder: name it with -o FOLDER") }
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = TimeZone(identifier: "UTC")
            formatter.dateFormat = "yyyyMMdd-HHmmss"
            let base = "runs/\(kind)-\(formatter.string(from: Date()))"
            var folder = base
            var n = 2
            while manager.fileExists(atPath: folder) {
                folder = "\(base)-\(n)"
                n += 1
            }
            FileHandle.standardError.write(Data("writing the model to \(folder) (choose the folder with -o)\n".utf8))
            return folder
        }
        if overwrite || resume { return output }
        let existing = modelFiles.filter { manager.fileExists(atPath: URL(fileURLWithPath: output).appendingPathComponent($0).path) }
        if !existing.isEmpty {
            throw ValidationError("\(output) already holds a trained model (\(existing.joined(separator: ", "))); pass --overwrite to "
                                  + "replace it, --resume to continue its run, or choose another folder with -o")
        }
        return output
    }
}
