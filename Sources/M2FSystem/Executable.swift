import Foundation

/// The one way m2f finds the programs it runs (ffmpeg, ffprobe, python3, flite, m2f-espeak).
///
/// Order: the override variable (`M2F_FFMPEG`, `M2F_PYTHON`, …; a path, or a bare name looked up on
/// PATH), then the folders given (beside the m2f binary, …), then `$PATH` (default
/// `/usr/local/bin:/usr/bin:/bin:/opt/homebrew/bin` when unset).
public enum Executable {
    public static let defaultSearchPath = "/usr/local/bin:/usr/bin:/bin:/opt/homebrew/bin"

    /// The path of `name`, or nil when it is nowhere to be found.
    public static func find(_ name: String, override variable: String? = nil, alsoIn folders: [String] = [],
                            environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        if let variable, let chosen = environment[variable], !chosen.isEmpty {
            if chosen.contains("/") { return chosen }
            return onPath(chosen, environment: environment)
        }
        for folder in folders {
            let candidate = (folder as NSString).appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return onPath(name, environment: environment)
    }

    /// Like `find`, but throws `.executableMissing` with `fix` when there is none.
    public static func require(_ name: String, override variable: String? = nil, alsoIn folders: [String] = [],
                               fix: String) throws(SystemError) -> String {
        guard let path = find(name, override: variable, alsoIn: folders) else {
            let hint = variable.map { " (or set \($0) to its path)" } ?? ""
            throw .executableMissing(name: name, fix: fix + hint)
        }
        return path
    }

    /// ffmpeg: `$M2F_FFMPEG`, else PATH. Used for decoding audio and images and for encoding MP4.
    public static var ffmpeg: String? { find("ffmpeg", override: "M2F_FFMPEG") }

    /// ffprobe: `$M2F_FFPROBE`, else beside `$M2F_FFMPEG`, else PATH.
    public static var ffprobe: String? {
        let chosen = ProcessInfo.processInfo.environment["M2F_FFMPEG"].map { URL(fileURLWithPath: $0).deletingLastPathComponent().path }
        return find("ffprobe", override: "M2F_FFPROBE", alsoIn: chosen.map { [$0] } ?? [])
    }

    /// The folder of the running executable (symlinks resolved): where helpers built beside m2f live.
    public static var ownFolder: String {
        InstalledFiles.executableFolder.path
    }

    static func onPath(_ name: String, environment: [String: String]) -> String? {
        let search = environment["PATH"].flatMap { $0.isEmpty ? nil : $0 } ?? defaultSearchPath
        for folder in search.split(separator: ":") {
            let candidate = "\(folder)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }
}
