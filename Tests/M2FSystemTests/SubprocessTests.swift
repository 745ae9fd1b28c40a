import Foundation
import M2FSystem
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The one subprocess runner and executable lookup.
@Suite struct SubprocessTests {
    @Test func runCollectsOutputErrorsAndStatus() throws {
        let result = try Subprocess.run("/bin/sh", ["-c", "printf out; printf err >&2; exit 3"])
        #expect(result.status == 3)
        #expect(String(decoding: result.output, as: UTF8.self) == "out")
        #expect(result.errors == "err")
    }

    @Test func aChildKilledByASignalReportsIt() throws {
        let result = try Subprocess.run("/bin/sh", ["-c", "kill -9 $$"])
        #expect(result.status == 128 + 9)
    }

    @Test func aMissingProgramIsAClearError() {
        #expect {
            _ = try Subprocess.run("/nonexistent/ffmpeg", [])
        } throws: { error in
            guard case SystemError.cannotStart(executable: "/nonexistent/ffmpeg", _) = error else { return false }
            return error.localizedDescription.contains("No such file")
        }
    }

    @Test func inputIsStreamedToTheChild() throws {
        let child = try Subprocess("/bin/cat", [], input: .pipe, output: .pipe)
        try child.input?.write(contentsOf: Data("frame".utf8))
        child.closeInput()
        let echoed = try child.output?.readToEnd()
        #expect(child.wait() == 0)
        #expect(echoed == Data("frame".utf8))
    }

    /// PR_SET_PDEATHSIG follows the thread that forked: children are forked by one thread that never ends,
    /// so a child started from a short-lived thread outlives that thread.
    @Test func aChildOutlivesTheThreadThatStartedIt() throws {
        let box = ChildBox()
        let thread = Thread { box.child = try? Subprocess("/bin/sleep", ["30"], output: .null, errors: .null) }
        thread.start()
        while !thread.isFinished { usleep(1000) }
        usleep(300_000)
        let child = try #require(box.child)
        #expect(child.isRunning)
        child.terminate()
        #expect(!child.isRunning)
    }

    @Test func lookupHonoursTheOverrideThenFoldersThenPath() throws {
        let folder = TemporaryFolder("lookup")
        defer { folder.remove() }
        let tool = folder.file("m2f-test-tool")
        _ = FileManager.default.createFile(atPath: tool, contents: Data("#!/bin/sh\n".utf8), attributes: [.posixPermissions: 0o755])
        #expect(Executable.find("m2f-test-tool", environment: ["PATH": folder.path]) == tool)
        #expect(Executable.find("m2f-test-tool", environment: ["PATH": "/nonexistent"]) == nil)
        #expect(Executable.find("sh", override: "M2F_SH", environment: ["M2F_SH": tool, "PATH": "/bin"]) == tool)
        #expect(Executable.find("m2f-test-tool", override: "M2F_X", environment: ["M2F_X": "m2f-test-tool", "PATH": folder.path]) == tool)
        #expect(Executable.find("m2f-test-tool", alsoIn: [folder.path], environment: ["PATH": "/nonexistent"]) == tool)
    }
}

private final class ChildBox: @unchecked Sendable {
    var child: Subprocess?
}
