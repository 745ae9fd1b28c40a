import Foundation

/// Where m2f looks for the files it ships beside the binary, so that it works both from a checkout
/// (`.build/release/m2f` next to `Models/`) and installed (`make install PREFIX=…`: `PREFIX/bin/m2f`,
/// `PREFIX/share/m2f/Models`, `PREFIX/share/m2f/encoders`).
package enum InstalledFiles {
    /// The running executable's folder, symlinks resolved.
    package static var executableFolder: URL {
        let executable = Bundle.main.executableURL ?? URL(fileURLWithPath: CommandLine.arguments.first ?? ".")
        return executable.resolvingSymlinksInPath().deletingLastPathComponent()
    }

    /// `PREFIX/share/m2f` for an executable in `PREFIX/bin`.
    package static var shareFolder: URL {
        executableFolder.deletingLastPathComponent().appendingPathComponent("share/m2f", isDirectory: true)
    }

    /// The places searched for `relative` (e.g. `Models/media2face`), in order: the working directory,
    /// the executable's folder and three above it (a checkout's `.build/release/m2f`), and the install's
    /// `share/m2f`.
    package static func candidates(_ relative: String) -> [URL] {
        var candidates = [URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent(relative)]
        var folder = executableFolder
        for _ in 0..<4 {
            candidates.append(folder.appendingPathComponent(relative))
            folder = folder.deletingLastPathComponent()
        }
        candidates.append(shareFolder.appendingPathComponent(relative))
        return candidates
    }

    /// The first of `candidates(relative)` that exists; nil when none does.
    package static func locate(_ relative: String) -> URL? {
        candidates(relative).first { FileManager.default.fileExists(atPath: $0.path) }
    }
}
