import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One line of a batch report (JSON Lines): what happened to one input. Each shard appends to its own
/// file, so the reports of all shards merge by concatenation (`cat out/m2f-report-*.jsonl`), and a
/// line is written with one `write` after the input's outputs are in place: a killed run loses at most
/// the line of the input it was on, never half a line.
package struct BatchRecord: Codable, Sendable, Equatable {
    package enum Status: String, Codable, Sendable {
        /// Animated and written now.
        case done
        /// Every output was already complete (an earlier run or shard wrote it).
        case skipped
        case failed
    }

    package var input: String
    /// SHA-256 of the input file's bytes (nil when it could not be read).
    package var inputSHA256: String?
    package var shard: String
    package var status: Status
    /// The files written now (done) or found complete (skipped).
    package var outputs: [String]
    package var audioSeconds: Double?
    /// Wall seconds per stage (`load_audio`, `speech_features`, `style`, `generation`, `assembly`, `write`) and `total`.
    package var seconds: [String: Double]
    package var realTimeFactor: Double?
    package var error: String?
    package var host: String
    package var pid: Int32
    /// ISO 8601, UTC.
    package var finished: String

    enum CodingKeys: String, CodingKey {
        case input, inputSHA256 = "input_sha256", shard, status, outputs, audioSeconds = "audio_seconds", seconds
        case realTimeFactor = "rtf", error, host, pid, finished
    }

    package init(input: String, inputSHA256: String?, shard: BatchShard, status: Status, outputs: [String] = [],
                 audioSeconds: Double? = nil, seconds: [String: Double] = [:], realTimeFactor: Double? = nil, error: String? = nil) {
        self.input = input
        self.inputSHA256 = inputSHA256
        self.shard = shard.description
        self.status = status
        self.outputs = outputs
        self.audioSeconds = audioSeconds
        self.seconds = seconds
        self.realTimeFactor = realTimeFactor
        self.error = error
        self.host = ProcessInfo.processInfo.hostName
        self.pid = getpid()
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        self.finished = formatter.string(from: Date())
    }

    /// The record as one line of JSON with sorted keys, ending in a newline.
    package var line: Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var data = (try? encoder.encode(self)) ?? Data("{}".utf8)
        data.append(0x0A)
        return data
    }
}

/// The report file of one shard: `OUT/m2f-report.jsonl`, or `OUT/m2f-report-K-of-N.jsonl` for a shard.
package struct BatchReport: Sendable {
    package let path: String

    package init(path: String) {
        self.path = path
    }

    /// The default report of `shard` in the output folder.
    package init(folder: String, shard: BatchShard) {
        let name = shard.count == 1 ? "m2f-report.jsonl" : "m2f-report-\(shard.index)-of-\(shard.count).jsonl"
        self.init(path: URL(fileURLWithPath: folder).appendingPathComponent(name).path)
    }

    /// Appends `record` with one `write` on an `O_APPEND` descriptor, then fsyncs it.
    package func append(_ record: BatchRecord) throws(PipelineError) {
        let line = [UInt8](record.line)
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .outputNotWritable(path: path, problem: "cannot open the batch report: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        let written = line.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        guard written == line.count, fsync(fd) == 0 else {
            throw .outputNotWritable(path: path, problem: "cannot append to the batch report: \(String(cString: strerror(errno)))")
        }
    }
}
