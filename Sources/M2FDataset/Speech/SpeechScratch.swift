import Foundation

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

    /// The full path of `program` on PATH, or nil.
    public static func which(_ program: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for folder in path.split(separator: ":") {
            let candidate = "\(folder)/\(program)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// Runs `executable` with `arguments`; returns stdout, throws `toolFailed` on a non-zero exit.
    static func run(_ executable: String, _ arguments: [String], tool: String) throws(SpeechError) -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw .toolFailed(tool: tool, status: -1, stderr: error.localizedDescription)
        }
        let stdout = output.fileHandleForReading.readDataToEndOfFile()
        let stderr = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw .toolFailed(tool: tool, status: process.terminationStatus, stderr: String(decoding: stderr, as: UTF8.self))
        }
        return String(decoding: stdout, as: UTF8.self)
    }
}
