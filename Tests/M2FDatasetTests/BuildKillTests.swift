import Foundation
import M2FDataset
import M2FTestSupport
import Testing

/// Kills a real `m2f dataset build` (SIGKILL, mid-way) and resumes it.
@Suite struct BuildKillTests {
    static func m2fBinary() -> URL? { M2FExecutable.url() }

    func build(_ binary: URL, _ directory: URL) throws -> Process {
        let process = Process()
        process.executableURL = binary
        process.arguments = ["dataset", "build", "--synthetic", "--hours", "0.04", "--seed", "11", "-o", directory.path,
                             "--clips-per-shard", "2", "--jobs", "2"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    @Test func killedBuildResumesWithNothingLostOrDuplicated() throws {
        guard let binary = Self.m2fBinary() else {
            Issue.record("m2f was not found beside the test bundle (\(Bundle.main.bundleURL.path)); build it with `swift build --build-tests`")
            return
        }
        let directory = BuildTestSources.temporaryDirectory("kill")
        defer { try? FileManager.default.removeItem(at: directory) }
        let layout = DatasetLayout(root: directory)
        let process = try build(binary, directory)
        // Kill it once a few shards are finished (and well before the end).
        let deadline = Date().addingTimeInterval(60)
        while Manifest.finishedShards(layout).count < 3 && process.isRunning && Date() < deadline { usleep(5_000) }
        #expect(process.isRunning, "the build ended before it could be killed")
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal)

        let info = try DatasetInfo.read(directory: directory)
        let planned = try #require(info.build?.plannedClips)
        let shards = try #require(info.build?.plannedShards)
        let finished = Manifest.finishedShards(layout)
        #expect(finished.count >= 3 && finished.count < shards)
        // What is there after the kill is a valid dataset of the finished shards.
        let partial = try DatasetReader(directory: directory)
        #expect(Set(partial.records.map(\.shard)).isSubset(of: Set(finished)))
        for record in partial.records { _ = try partial.arrays(of: record) }

        // Resume to the end.
        let again = try build(binary, directory)
        again.waitUntilExit()
        #expect(again.terminationStatus == 0)
        let dataset = try DatasetReader(directory: directory)
        let ids = dataset.records.map(\.id)
        let failed = DatasetBuilder.allFailures(layout).map(\.id)
        #expect(Set(ids).count == ids.count, "a clip is duplicated")
        #expect(Set(ids).isDisjoint(with: failed))
        #expect(Set(ids + failed) == Set((0..<planned).map { String(format: "syn-%06d", $0) }), "a clip is lost")
        #expect(ids == ids.sorted())
        #expect(Manifest.finishedShards(layout).count == shards)
        for record in dataset.records { _ = try dataset.arrays(of: record) }
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: layout.shardsDirectory.path).filter { $0.hasSuffix(".tmp") }
        #expect(leftovers.isEmpty)
    }
}
