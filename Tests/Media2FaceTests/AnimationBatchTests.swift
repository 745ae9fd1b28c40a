import Foundation
import Media2Face
import Testing

/// `m2f animate`'s inputs: one file, a folder or a list file, each file's outputs named after it,
/// and the problems named before any model loads.
struct AnimationBatchTests {
    static func folder(_ name: String, files: [String] = []) -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("m2f-batch-\(getpid())/\(name)")
        try? FileManager.default.removeItem(at: url)
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        for file in files { _ = FileManager.default.createFile(atPath: url.appendingPathComponent(file).path, contents: Data()) }
        return url
    }

    static func problem(_ body: () throws(PipelineError) -> [AnimationBatch.Job]) -> String? {
        do {
            _ = try body()
            return nil
        } catch {
            guard case .batch(let text) = error else { return "\(error)" }
            return text
        }
    }

    @Test func oneFileWritesAtTheOutputPrefix() throws {
        #expect(try AnimationBatch.jobs(input: "speech.wav", list: nil, output: "out/take1") == [.init(audio: "speech.wav", prefix: "out/take1")])
    }

    @Test func aFolderGivesItsAudioFilesInOrderNamedAfterEachFile() throws {
        let folder = Self.folder("folder", files: ["b.MP3", "a.wav", ".hidden.wav", "notes.txt", "c.flac"])
        let jobs = try AnimationBatch.jobs(input: folder.path, list: nil, output: "/tmp/out")
        #expect(jobs.map { URL(fileURLWithPath: $0.audio).lastPathComponent } == ["a.wav", "b.MP3", "c.flac"])
        #expect(jobs.map(\.prefix) == ["/tmp/out/a", "/tmp/out/b", "/tmp/out/c"])
    }

    @Test func aListResolvesPathsAgainstItsFolderAndSkipsComments() throws {
        let folder = Self.folder("list")
        let list = folder.appendingPathComponent("inputs.txt")
        try "# takes\nfirst.wav\n\n  sub/second.mp3  \n/abs/third.wav\n".write(to: list, atomically: true, encoding: .utf8)
        let jobs = try AnimationBatch.jobs(input: nil, list: list.path, output: "out")
        #expect(jobs.map(\.audio) == [folder.appendingPathComponent("first.wav").path,
                                      folder.appendingPathComponent("sub/second.mp3").path, "/abs/third.wav"])
        #expect(jobs.map(\.prefix) == ["out/first", "out/second", "out/third"].map { URL(fileURLWithPath: $0).path })
    }

    @Test func twoFilesWithOneStemAreRefusedNamingBoth() throws {
        let folder = Self.folder("collision", files: ["take.wav", "take.mp3"])
        let problem = try #require(Self.problem { () throws(PipelineError) in try AnimationBatch.jobs(input: folder.path, list: nil, output: "out") })
        #expect(problem.contains("take.mp3") && problem.contains("take.wav") && problem.contains("out/take.*"))
    }

    @Test func emptyInputsAreClearErrors() throws {
        let empty = Self.folder("empty", files: ["readme.md"])
        #expect(Self.problem { () throws(PipelineError) in try AnimationBatch.jobs(input: empty.path, list: nil, output: "out") }?
            .contains("holds no audio files") == true)
        let list = Self.folder("empty-list").appendingPathComponent("inputs.txt")
        try "# nothing yet\n\n".write(to: list, atomically: true, encoding: .utf8)
        #expect(Self.problem { () throws(PipelineError) in try AnimationBatch.jobs(input: nil, list: list.path, output: "out") }?
            .contains("names no files") == true)
        #expect(Self.problem { () throws(PipelineError) in try AnimationBatch.jobs(input: nil, list: "/no/such/list.txt", output: "out") }?
            .contains("/no/such/list.txt: cannot read") == true)
        #expect(Self.problem { () throws(PipelineError) in try AnimationBatch.jobs(input: nil, list: nil, output: "out") } != nil)
    }
}
