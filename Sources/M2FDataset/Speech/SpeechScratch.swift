import Foundation
import M2FSystem

/// Per-process scratch space for synthesiser output files, and finding programs on PATH.
///
/// Files live in `<tmp>/m2f-speech-<pid>/`; each caller removes its own file after reading it, so the
/// directory stays empty between calls (`removeDirectory()` drops it at the end of a run).
public enum SpeechScratch {
    /// The scratch directory (created on first use).
    public static let directory: URL = {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("m2f-speech-\(ProcessInfo.processInfo.processIdentifier)", isDirectory: true)
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }()

    /// A fresh file path in the scratch directory with `suffix` (`.wav`).
    public static func uniqueFile(suffix: String) -> URL {
        directory.appendingPathComponent(UUID().uuidString + suffix)
    }

    /// Removes the scratch directory and anything left in it.
    public static func removeDirectory() {
        try? FileManager.default.removeItem(at: directory)
    }

    /// The full path of `program` (see `Executable`), or nil.
    public static func which(_ program: String) -> String? { Executable.find(program) }

    /// Runs `executable` with `arguments`; returns stdout, throws `toolFailed` on a non-zero exit.
    static func run(_ executable: String, _ arguments: [String], tool: String) throws(SpeechError) -> String {
        let result: (status: Int32, output: Data, errors: String)
        do { result = try Subprocess.run(executable, arguments) } catch {
            throw .toolFailed(tool: tool, status: -1, stderr: error.problem)
        }
        guard result.status == 0 else { throw .toolFailed(tool: tool, status: result.status, stderr: result.errors) }
        return String(decoding: result.output, as: UTF8.self)
    }
}
