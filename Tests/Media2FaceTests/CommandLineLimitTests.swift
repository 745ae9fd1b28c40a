import Foundation
import M2FTestSupport
import Media2Face
import Testing

/// Issue 19 through the real `m2f`: every number a flag supplies is range-checked before any work (a clear
/// message and exit status 64, never a signal), negative values reach that check, and a run that cannot fit
/// under an address-space limit stops within a minute with an out-of-memory error instead of spinning.
@Suite(.serialized) struct CommandLineLimitTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    func run(_ script: String) throws -> (status: Int32, output: String, seconds: Double)? {
        guard M2FExecutable.url() != nil else {
            Issue.record("m2f was not found beside the test bundle; build it with `swift build --build-tests`")
            return nil
        }
        return try M2FExecutable.shell(script, in: Self.root)
    }

    @Test(arguments: [
        ("render --demo -o $T/a.png --size 0", "--size 0 is out of range"),
        ("render --demo -o $T/a.png --size 100000", "--size 100000 is out of range"),
        ("render --demo -o $T/a.mp4 --supersample 64 --size 4096", "--supersample 64 is out of range"),
        ("render --demo -o $T/a.mp4 --supersample 4 --size 4096", "--size × --supersample 16384 is out of range"),
        ("render --demo -o $T/a.mp4 --fps 1e9", "--fps 1000000000.0 is out of range"),
        ("render --demo -o $T/a.png --frame -3", "--frame -3 is out of range"),
        ("convert --demo -o $T/a.csv --fps 1e300", "--fps 1e+300 is out of range"),
        ("convert --demo -o $T/a.csv --fps 1e-308", "--fps 1e-308 is out of range"),
        ("convert --demo -o $T/a.csv --timecode-rate 0", "--timecode-rate 0.0 is out of range"),
        ("convert --demo -o $T/a.csv --fps nan", "--fps nan is out of range"),
        ("animate Examples/hello.wav -o $T/a --style-guidance -1", "--style-guidance -1.0 is out of range"),
        ("animate Examples/hello.wav -o $T/a --max-hours -2", "--max-hours -2.0 is out of range"),
    ])
    func flagOutOfRange(arguments: String, message: String) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("m2f-flags-\(getpid())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        guard let result = try run("T=\(folder.path); \"$M2F\" \(arguments)") else { return }
        // 64 from a flag's own check, 1 from the request's (AnimationOptions.validate); never a signal.
        #expect(result.status == (arguments.hasPrefix("animate") ? 1 : 64), "\(arguments): status \(result.status)\n\(result.output)")
        #expect(result.output.contains(message), "\(arguments): \(result.output)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty, "\(arguments) wrote a file")
    }

    @Test func twelveMinutesUnderAnAddressSpaceLimitFailCleanly() throws {
        // Examples/hello.wav repeated to 12 minutes (23 MB).
        let speech = try WAVFile.samples(of: PipelineFixtures.example)
        var samples: [Float] = []
        samples.reserveCapacity(720 * 16_000)
        while samples.count < 720 * 16_000 { samples += speech }
        let folder = PipelineFixtures.folder("ulimit")
        let audio = folder.appendingPathComponent("twelve-minutes.wav")
        try WAVFile.data(Array(samples.prefix(720 * 16_000))).write(to: audio)
        defer { try? FileManager.default.removeItem(at: folder) }
        let script = "ulimit -v 800000; exec timeout 120 \"$M2F\" animate \(audio.path) -o \(folder.path)/out --format csv --quiet"
        guard let result = try run(script) else { return }
        #expect(result.status == 1, "status \(result.status): \(result.output)")
        #expect(result.seconds < 60, "took \(result.seconds) s")
        #expect(result.output.contains("twelve-minutes.wav: out of memory: 12.0 min of audio in 2 pieces"), "\(result.output)")
        #expect(result.output.contains("address-space limit (ulimit -v 800000)"), "\(result.output)")
    }
}
