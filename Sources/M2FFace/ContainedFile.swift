import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The one rule for a path that a file names (a glTF buffer `uri`, …): it may only reach a plain file
/// inside the folder of the file that names it.
///
/// A downloaded avatar is untrusted input: without this rule a buffer uri such as `../../.ssh/id_ed25519`
/// or `/proc/self/environ` would be read and then embedded in the self-contained output the user shares.
/// Refused: absolute paths, URI schemes (`file:`, `http:`, …), `..` segments, backslashes, NUL bytes,
/// symlinks that lead out of the folder, and anything that is not a regular file (FIFOs, devices, folders).
package enum ContainedFile {
    /// Reads at most `maximumBytes` of the file that `reference` (percent-encoded, relative) names beside `container`.
    package static func read(_ reference: String, besideFile container: URL, maximumBytes: Int) throws(FaceError) -> [UInt8] {
        let url = try resolve(reference, besideFile: container)
        guard let handle = FileHandle(forReadingAtPath: url.path) else {
            throw .io(file: container.path, problem: "\"\(reference)\" cannot be opened")
        }
        defer { try? handle.close() }
        do { return [UInt8](try handle.read(upToCount: maximumBytes) ?? Data()) } catch {
            throw .io(file: container.path, problem: "\"\(reference)\" cannot be read: \(error.localizedDescription)")
        }
    }

    /// The real location of `reference` inside the folder of `container`, or an error naming `container`
    /// and why the reference is refused.
    package static func resolve(_ reference: String, besideFile container: URL) throws(FaceError) -> URL {
        func refuse(_ why: String) -> FaceError {
            .io(file: container.path, problem: "refusing to read \"\(reference)\": \(why); only files inside the folder "
                + "\(container.deletingLastPathComponent().path) (or embedded data) may be referenced")
        }
        guard let decoded = reference.removingPercentEncoding else { throw refuse("it is not valid percent-encoding") }
        if decoded.isEmpty { throw refuse("the path is empty") }
        if decoded.contains("\0") { throw refuse("it contains a NUL byte") }
        if decoded.contains("\\") { throw refuse("it contains a backslash") }
        if decoded.hasPrefix("/") || decoded.hasPrefix("~") { throw refuse("it is an absolute path") }
        if hasScheme(decoded) { throw refuse("it names a URI scheme, not a relative file") }
        let segments = decoded.split(separator: "/", omittingEmptySubsequences: true)
        if segments.contains("..") { throw refuse("it climbs out of the folder with \"..\"") }

        guard let folder = realPath(container.deletingLastPathComponent().path) else {
            throw refuse("the folder cannot be resolved")
        }
        let joined = folder + "/" + segments.joined(separator: "/")
        guard let target = realPath(joined) else { throw refuse("no such file") }
        guard target.hasPrefix(folder.hasSuffix("/") ? folder : folder + "/") else {
            throw refuse("it resolves to a place outside the folder, \(target)")
        }
        var info = stat()
        guard stat(target, &info) == 0 else { throw refuse("it cannot be examined") }
        guard (info.st_mode & S_IFMT) == S_IFREG else { throw refuse("it is not a regular file") }
        return URL(fileURLWithPath: target)
    }

    /// `scheme:` at the start (RFC 3986: a letter, then letters, digits, `+`, `-`, `.`).
    static func hasScheme(_ text: String) -> Bool {
        guard let colon = text.firstIndex(of: ":") else { return false }
        let scheme = text[..<colon]
        guard let first = scheme.first, first.isASCII, first.isLetter else { return false }
        return scheme.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "+-.".contains($0)) }
    }

    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
