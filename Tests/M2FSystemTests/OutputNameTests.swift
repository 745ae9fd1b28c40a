import Foundation
import M2FSystem
import Testing

/// `-o` values that name no file are refused with a clear error (they used to write `.csv` or `..csv`).
@Suite struct OutputNameTests {
    @Test(arguments: ["", ".", "..", "out/", "out/.", "out/..", "/"])
    func namesOfFoldersAreRefused(_ path: String) {
        #expect {
            try OutputName.check(path)
        } throws: { error in
            guard case SystemError.badOutputName = error else { return false }
            return error.localizedDescription.contains("output \"\(path)\"")
        }
    }

    @Test func anExistingFolderIsRefusedAndAFileNameAccepted() throws {
        let folder = TemporaryFolder("names")
        defer { folder.remove() }
        #expect(throws: SystemError.self) { try OutputName.check(folder.path) }
        try OutputName.check(folder.file("hello"))
        try OutputName.check(folder.file(".hidden.csv"))
        #expect(throws: SystemError.self) { try AtomicFile.write(Data(), to: folder.path + "/") }
    }
}
