import Foundation
import M2FFace
import Testing

/// `m2f animate` writes its formats as one set: killed, on a full disk or raced by a second run on the
/// same prefix, every file is either its old version or a complete new one, and the set is one run's.
/// Needs the encoders (`make models`) and the committed model in Models/media2face.
@Suite(.serialized) struct AnimateWriteTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let hello = repository.appendingPathComponent("Examples/hello.wav").path
    static let model = repository.appendingPathComponent("Models/media2face").path

    static func arguments(_ prefix: String, seed: Int = 0, formats: String = "csv,json,glb") -> [String] {
        ["animate", hello, "--model", model, "--format", formats, "--seed", String(seed), "--quiet", "-o", prefix]
    }

    @Test func aKillDuringTheWritesKeepsEachOldFile() throws {
        guard M2F.binary != nil else { Issue.record("\(M2F.missing)"); return }
        let scratch = Scratch("animate-kill")
        defer { scratch.remove() }
        let names = ["hello.csv", "hello.json", "hello.glb"]
        for name in names { try Data("old \(name)".utf8).write(to: URL(fileURLWithPath: scratch.file(name))) }
        let prefix = scratch.file("hello")
        try M2F.kill(Self.arguments(prefix), limit: 120) { _ in !scratch.temporaries.isEmpty }
        let afterKill = names.map { scratch.bytes($0) }

        let rerun = try M2F.run(Self.arguments(prefix))
        #expect(rerun.status == 0, "\(rerun.errors)")
        for (name, bytes) in zip(names, afterKill) {
            #expect(bytes == Data("old \(name)".utf8) || bytes == scratch.bytes(name), "\(name) is neither old nor complete")
        }
        #expect(scratch.temporaries.isEmpty, "left behind: \(scratch.temporaries)")
    }

    @Test func aFullDiskKeepsTheOldFiles() throws {
        guard M2F.binary != nil else { Issue.record("\(M2F.missing)"); return }
        let scratch = Scratch("animate-full")
        defer { scratch.remove() }
        try FullDisk.check(oldOutput: Data("old take".utf8), name: "hello.csv", in: scratch, limit: 16 * 1024) { output in
            Self.arguments(String(output.dropLast(4)), formats: "csv")
        }
    }

    /// `-o ""`, `-o .`, `-o ..` and `-o out/` wrote hidden `.csv`/`..csv` files; now they are refused
    /// before the models load, and nothing is written.
    @Test(arguments: ["", ".", "..", "out/"])
    func outputsThatNameNoFileAreRefused(_ output: String) throws {
        guard M2F.binary != nil else { Issue.record("\(M2F.missing)"); return }
        let scratch = Scratch("animate-names")
        defer { scratch.remove() }
        let target = output.isEmpty ? "" : scratch.file(output) + (output.hasSuffix("/") ? "/" : "")
        let result = try M2F.run(Self.arguments(target, formats: "csv"))
        #expect(result.status != 0)
        #expect(result.errors.contains("-o needs a file name prefix"), "\(result.errors)")
        #expect(scratch.names.isEmpty, "wrote \(scratch.names)")
    }

    /// Two runs with different seeds on one prefix at once: the CSV and the JSON left are from the same run.
    @Test func twoRunsOnOnePrefixLeaveOneRunsSet() throws {
        guard M2F.binary != nil else { Issue.record("\(M2F.missing)"); return }
        let scratch = Scratch("animate-race")
        defer { scratch.remove() }
        let prefix = scratch.file("hello")
        let group = DispatchGroup()
        let statuses = StatusBox()
        for seed in [1, 2] {
            group.enter()
            DispatchQueue.global().async {
                let result = try? M2F.run(Self.arguments(prefix, seed: seed, formats: "csv,json"))
                statuses.append(result?.status ?? -1)
                group.leave()
            }
        }
        group.wait()
        #expect(statuses.values == [0, 0])
        let csv = try LiveLinkCSV.read(contentsOf: URL(fileURLWithPath: prefix + ".csv"))
        let json = try AnimationJSON.read(contentsOf: URL(fileURLWithPath: prefix + ".json"))
        #expect(csv.frameCount == json.frameCount)
        let largest = zip(csv.weights, json.weights).map { abs($0 - $1) }.max() ?? 1
        #expect(largest < 1e-4, "the CSV and the JSON come from different runs (max difference \(largest))")
        #expect(scratch.temporaries.isEmpty)
    }
}

private final class StatusBox: @unchecked Sendable {
    private let lock = NSLock()
    private var list: [Int32] = []
    func append(_ status: Int32) { lock.lock(); list.append(status); lock.unlock() }
    var values: [Int32] { lock.lock(); defer { lock.unlock() }; return list }
}
