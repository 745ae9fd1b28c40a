import Foundation

/// The rule for an output path a user gives (`-o`): it must name a file, not a folder.
///
/// `-o ""`, `-o .`, `-o ..` and `-o out/` used to write hidden files such as `.csv` or `..csv`.
public enum OutputName {
    /// Throws `.badOutputName` for "", ".", "..", a path ending in "/", "/." or "/..", or an existing folder.
    public static func check(_ path: String) throws(SystemError) {
        if path.isEmpty { throw .badOutputName(path: path, problem: "the name is empty; give a file name such as out/hello") }
        let last = path.split(separator: "/", omittingEmptySubsequences: false).last ?? ""
        if path.hasSuffix("/") || last == "." || last == ".." {
            throw .badOutputName(path: path, problem: "it names a folder, not a file; add a file name such as \(path.hasSuffix("/") ? path : path + "/")hello")
        }
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue {
            throw .badOutputName(path: path, problem: "a folder of that name exists; give a file name inside it or another name")
        }
    }
}
