import Foundation
import M2FSystem
import Testing

/// `m2f animate --list … --shard K/N` as a render farm runs it: N shard processes at once over one list
/// animate every input exactly once, and a batch killed with SIGKILL and run again completes without
/// writing any finished file a second time or leaving a half-written one.
/// Needs the encoders (`make models`), the committed models and ffmpeg (to cut the inputs).
@Suite(.serialized) struct AnimateBatchShardTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let formats = ["csv", "json"]

    /// `count` short, different clips cut from the bundled hello.wav, and the list naming them.
    func makeInputs(_ count: Int, in scratch: Scratch) throws -> [String] {
        let ffmpeg = try #require(Executable.ffmpeg, "ffmpeg is needed to cut the test clips")
        let hello = Self.repository.appendingPathComponent("Examples/hello.wav").path
        var names: [String] = []
        for i in 0..<count {
            let name = "line_\(i).wav"
            let cut = try Subprocess.run(ffmpeg, ["-nostdin", "-v", "error", "-ss", String(format: "%.1f", 0.7 * Double(i)), "-t", "1.2",
                                                  "-i", hello, "-y", scratch.file(name)])
            #expect(cut.status == 0, "\(cut.errors)")
            names.append(name)
        }
        try Data(("# dialogue lines\n" + names.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: scratch.file("lines.txt")))
        return names
    }

    func arguments(_ scratch: Scratch, shard: String? = nil) -> [String] {
        ["animate", "--list", scratch.file("lines.txt"), "-o", scratch.file("out"), "--format", Self.formats.joined(separator: ","),
         "--quiet", "--model", Self.repository.appendingPathComponent("Models/media2face").path]
            + (shard.map { ["--shard", $0] } ?? [])
    }

    /// Every report line of the output folder, as JSON objects.
    func reportLines(_ scratch: Scratch) -> [[String: Any]] {
        let folder = scratch.file("out")
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasPrefix("m2f-report") }
        return names.flatMap { name -> [[String: Any]] in
            let text = (try? String(contentsOfFile: folder + "/" + name, encoding: .utf8)) ?? ""
            return text.split(separator: "\n").compactMap { line in
                var record = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any]
                record?["report"] = name
                return record
            }
        }
    }

    func count(_ lines: [[String: Any]], input: String, status: String) -> Int {
        lines.filter { ($0["input"] as? String)?.hasSuffix("/" + input) == true && $0["status"] as? String == status }.count
    }

    @Test func parallelShardsDoEachInputExactlyOnce() throws {
        guard M2F.binary != nil else { Issue.record("\(M2F.missing)"); return }
        let scratch = Scratch("batch-shards")
        defer { scratch.remove() }
        let inputs = try makeInputs(7, in: scratch)
        let shards = 3
        let children = try (0..<shards).map { try Subprocess(M2F.binary!, arguments(scratch, shard: "\($0)/\(shards)"), output: .null) }
        let statuses = children.map { $0.wait() }
        #expect(statuses.allSatisfy { $0 == 0 }, "\(statuses): \(children.map(\.errorText))")

        let lines = reportLines(scratch)
        #expect(lines.count == inputs.count, "\(lines)")
        for (i, input) in inputs.enumerated() {
            #expect(count(lines, input: input, status: "done") == 1, "\(input)")
            let record = lines.first { ($0["input"] as? String)?.hasSuffix("/" + input) == true }
            // Deterministic slices: input i belongs to shard i mod N, which reports it in its own file.
            #expect(record?["shard"] as? String == "\(i % shards)/\(shards)")
            #expect(record?["report"] as? String == "m2f-report-\(i % shards)-of-\(shards).jsonl")
            let sha = try Subprocess.run("/usr/bin/sha256sum", [scratch.file(input)])
            #expect(record?["input_sha256"] as? String == String(decoding: sha.output.prefix(64), as: UTF8.self))
            #expect(((record?["seconds"] as? [String: Any])?["total"] as? Double ?? 0) > 0)
            for format in Self.formats {
                let stem = String(input.dropLast(4))
                #expect(FileManager.default.fileExists(atPath: scratch.file("out/\(stem).\(format)")), "\(stem).\(format)")
            }
        }
        // A second pass of one shard finds its inputs complete and loads nothing.
        let again = try M2F.run(arguments(scratch, shard: "1/\(shards)"))
        #expect(again.status == 0, "\(again.errors)")
        let after = reportLines(scratch)
        #expect(after.filter { $0["status"] as? String == "skipped" }.count == 2)
        #expect(after.filter { $0["status"] as? String == "done" }.count == inputs.count)
    }

    @Test func aKilledBatchResumesWithoutRewritingAFile() throws {
        guard M2F.binary != nil else { Issue.record("\(M2F.missing)"); return }
        let scratch = Scratch("batch-kill")
        defer { scratch.remove() }
        let inputs = try makeInputs(6, in: scratch)
        // Killed once two inputs are reported: the third is under way.
        let killedRunning = try M2F.kill(arguments(scratch), limit: 300) { _ in reportLines(scratch).count >= 2 }
        #expect(killedRunning, "the batch finished before it could be killed")

        // What the killed run left: complete files only (staged writes), each with its identity.
        let out = URL(fileURLWithPath: scratch.file("out"))
        func identity(_ name: String) -> String? {
            guard let a = try? FileManager.default.attributesOfItem(atPath: out.appendingPathComponent(name).path) else { return nil }
            return "\(a[.systemFileNumber] ?? 0) \((a[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0) \(a[.size] ?? 0)"
        }
        let outputs = inputs.flatMap { input in Self.formats.map { "\(input.dropLast(4)).\($0)" } }
        let before = Dictionary(uniqueKeysWithValues: outputs.compactMap { name in identity(name).map { (name, $0) } })
        #expect(before.count >= 4 && before.count < outputs.count, "left \(before.keys.sorted())")

        let rerun = try M2F.run(arguments(scratch))
        #expect(rerun.status == 0, "\(rerun.errors)")
        for name in outputs {
            #expect(identity(name) != nil, "\(name) missing after the rerun")
            if let old = before[name] { #expect(identity(name) == old, "\(name) was written again") }
        }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: out.path)) ?? []
        #expect(!names.contains { $0.contains(".m2f-") && $0.contains(".tmp") }, "temporaries left: \(names)")
        // None half-written: every CSV has its header and whole rows, every JSON parses.
        for name in outputs {
            let data = FileManager.default.contents(atPath: out.appendingPathComponent(name).path) ?? Data()
            if name.hasSuffix(".json") {
                #expect((try? JSONSerialization.jsonObject(with: data)) != nil, "\(name) does not parse")
            } else {
                let rows = String(decoding: data, as: UTF8.self).split(separator: "\n")
                let columns = rows.first.map { $0.split(separator: ",").count } ?? 0
                #expect(rows.count > 1 && rows.allSatisfy { $0.split(separator: ",").count == columns }, "\(name) has a cut row")
            }
        }
        let lines = reportLines(scratch)
        for input in inputs {
            let done = count(lines, input: input, status: "done")
            // An input killed between its files and its report line is found complete instead.
            #expect(done == 1 || (done == 0 && count(lines, input: input, status: "skipped") == 1), "\(input): \(done) done")
        }
    }
}
