import Foundation

/// The `m2f` executable built beside the test bundle (`swift build --build-tests` builds it too), for
/// tests that run the real command line.
public enum M2FExecutable {
    public static func url() -> URL? {
        var candidates: [URL] = []
        if let executable = Bundle.main.executableURL { candidates.append(executable.deletingLastPathComponent()) }
        candidates.append(Bundle.main.bundleURL.deletingLastPathComponent())
        candidates.append(URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent())
        for directory in candidates {
            let url = directory.appendingPathComponent("m2f")
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        return nil
    }

    /// Runs `/bin/sh -c script` with `$M2F` set to the executable; returns the exit status, stdout + stderr
    /// and the seconds it took. The script can set limits first (`ulimit -v 800000; "$M2F" animate …`).
    public static func shell(_ script: String, in directory: URL? = nil) throws -> (status: Int32, output: String, seconds: Double) {
        guard let binary = url() else { throw CocoaError(.fileNoSuchFile, userInfo: [NSLocalizedDescriptionKey: "m2f not built beside the tests"]) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", script]
        var environment = ProcessInfo.processInfo.environment
        environment["M2F"] = binary.path
        process.environment = environment
        if let directory { process.currentDirectoryURL = directory }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        let started = Date()
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self), Date().timeIntervalSince(started))
    }
}
