import CM2FSystem
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A child process that dies with m2f: on Linux it gets SIGKILL when m2f exits or is killed, however
/// it dies (PR_SET_PDEATHSIG, set by the one spawner thread in CM2FSystem), so no ffmpeg is left
/// running after a kill -9 or a crash.
///
/// Standard error is collected on a background thread (the last 64 KiB), so a chatty child cannot
/// block on a full pipe; standard input and output are pipes the caller uses, or /dev/null.
public final class Subprocess: @unchecked Sendable {
    /// Where a standard stream goes.
    public enum Stream: Sendable { case null, pipe, inherit }

    public let executable: String
    public let pid: pid_t
    /// The write end of the child's stdin (`.pipe`), closed by `closeInput()` or `wait()`.
    public private(set) var input: FileHandle?
    /// The read end of the child's stdout (`.pipe`).
    public let output: FileHandle?
    private let errors: ErrorCollector?
    private let lock = NSLock()
    private var exitStatus: Int32?

    /// Starts `executable` with `arguments`; `environment` nil keeps ours.
    public init(_ executable: String, _ arguments: [String], environment: [String: String]? = nil,
                input stdinMode: Stream = .null, output stdoutMode: Stream = .pipe, errors stderrMode: Stream = .pipe) throws(SystemError) {
        self.executable = executable
        var opened: [Int32] = []
        func pipeEnds() throws(SystemError) -> (read: Int32, write: Int32) {
            var fds: [Int32] = [-1, -1]
            let failed = m2f_pipe(&fds)
            guard failed == 0 else { opened.forEach { close($0) }; throw .cannotStart(executable: executable, problem: errnoText(-failed)) }
            opened += fds
            return (fds[0], fds[1])
        }
        let stdinPipe = stdinMode == .pipe ? try pipeEnds() : nil
        let stdoutPipe = stdoutMode == .pipe ? try pipeEnds() : nil
        let stderrPipe = stderrMode == .pipe ? try pipeEnds() : nil
        let childFDs: [Int32] = [
            stdinPipe?.read ?? (stdinMode == .inherit ? 0 : -1),
            stdoutPipe?.write ?? (stdoutMode == .inherit ? 1 : -1),
            stderrPipe?.write ?? (stderrMode == .inherit ? 2 : -1),
        ]
        let environmentLines = (environment ?? ProcessInfo.processInfo.environment).map { "\($0.key)=\($0.value)" }
        let started = Self.withCStrings([executable] + arguments) { argv in
            Self.withCStrings(environmentLines) { envp in
                m2f_spawn(executable, argv, envp, childFDs[0], childFDs[1], childFDs[2])
            }
        }
        // The child holds its own copies now; we keep only our ends.
        [stdinPipe?.read, stdoutPipe?.write, stderrPipe?.write].compactMap { $0 }.forEach { close($0) }
        guard started > 0 else {
            [stdinPipe?.write, stdoutPipe?.read, stderrPipe?.read].compactMap { $0 }.forEach { close($0) }
            throw .cannotStart(executable: executable, problem: errnoText(-started))
        }
        pid = started
        input = stdinPipe.map { FileHandle(fileDescriptor: $0.write, closeOnDealloc: true) }
        output = stdoutPipe.map { FileHandle(fileDescriptor: $0.read, closeOnDealloc: true) }
        errors = stderrPipe.map { ErrorCollector(fd: $0.read) }
    }

    deinit {
        if exitStatus == nil { kill(pid, SIGKILL); _ = wait() }
    }

    /// Closes the child's stdin (end of input).
    public func closeInput() {
        try? input?.close()
        input = nil
    }

    /// Waits for the child to end; its exit status, or 128 + the signal that ended it.
    @discardableResult
    public func wait() -> Int32 {
        closeInput()
        lock.lock()
        defer { lock.unlock() }
        if let exitStatus { return exitStatus }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let code = (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
        exitStatus = code
        return code
    }

    /// True while the child has not ended (reaps it when it has).
    public var isRunning: Bool {
        lock.lock()
        defer { lock.unlock() }
        guard exitStatus == nil else { return false }
        var status: Int32 = 0
        guard waitpid(pid, &status, WNOHANG) == pid else { return true }
        exitStatus = (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
        return false
    }

    /// Ends the child (SIGKILL) and reaps it.
    public func terminate() {
        if isRunning { kill(pid, SIGKILL) }
        wait()
    }

    /// What the child wrote to stderr (its last 64 KiB), once it has closed it.
    public var errorText: String { errors.map { String(decoding: $0.finished(), as: UTF8.self) } ?? "" }

    /// Runs to the end: exit status, everything on stdout, the tail of stderr.
    public static func run(_ executable: String, _ arguments: [String], environment: [String: String]? = nil)
        throws(SystemError) -> (status: Int32, output: Data, errors: String) {
        let child = try Subprocess(executable, arguments, environment: environment)
        let output = (try? child.output?.readToEnd()) ?? nil
        let status = child.wait()
        return (status, output ?? Data(), child.errorText)
    }

    static func withCStrings<R>(_ strings: [String], _ body: ([UnsafeMutablePointer<CChar>?]) -> R) -> R {
        let pointers = strings.map { strdup($0) } + [nil]
        defer { pointers.forEach { free($0) } }
        return body(pointers)
    }
}

/// Reads a pipe to its end on a background thread, keeping the last `limit` bytes.
final class ErrorCollector: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private var data = Data()

    init(fd: Int32, limit: Int = 64 * 1024) {
        let thread = Thread { [self] in
            let handle = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
            while let chunk = try? handle.read(upToCount: 16 * 1024), !chunk.isEmpty {
                data.append(chunk)
                if data.count > 2 * limit { data = data.suffix(limit) }
            }
            if data.count > limit { data = data.suffix(limit) }
            done.signal()
        }
        thread.start()
    }

    /// The collected bytes, after the child closed the pipe.
    func finished() -> Data {
        done.wait()
        done.signal()
        return data
    }
}
