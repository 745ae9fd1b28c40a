import Foundation
import Testing

/// The web viewer in headless Chromium (Debian's `chromium`, installed by `scripts/bootstrap.sh --test`),
/// loaded from the running server: the demo clip held at its loudest frame shows an open mouth, held at
/// a pause it does not, measured as the pixel difference in the mouth region of two screenshots.
@Suite(.serialized) struct ViewerTests {
    static let shots = ServerFixture.root.appendingPathComponent(".build/viewer-test")

    /// Width and height of the screenshots (the script's window).
    static let size = 640

    /// RGB bytes of a PNG, decoded by ffmpeg.
    static func pixels(_ png: String) throws -> [UInt8] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["ffmpeg", "-v", "error", "-i", png, "-f", "rawvideo", "-pix_fmt", "rgb24", "-"]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return [UInt8](data)
    }

    /// Mean absolute difference per channel (0 … 255) over a box in pixels (clipped to the image).
    static func difference(_ a: [UInt8], _ b: [UInt8], x: ClosedRange<Double>, y: ClosedRange<Double>) -> Double {
        var total = 0, count = 0
        for row in max(0, Int(y.lowerBound))..<min(size, Int(y.upperBound)) {
            for column in max(0, Int(x.lowerBound))..<min(size, Int(x.upperBound)) {
                for channel in 0..<3 {
                    let index = (row * size + column) * 3 + channel
                    total += abs(Int(a[index]) - Int(b[index]))
                    count += 1
                }
            }
        }
        return Double(total) / Double(max(count, 1))
    }

    /// Runs scripts/viewer_screenshots.py on the server's viewer; its JSON by shot name.
    static func screenshots(port: Int, fakeMicrophone: String? = nil, _ shots: [String]) throws -> [String: [String: Any]] {
        let script = ServerFixture.root.appendingPathComponent("scripts/viewer_screenshots.py").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script] + (fakeMicrophone.map { ["--fake-mic", $0] } ?? [])
            + ["http://127.0.0.1:\(port)/", Self.shots.path] + shots
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "viewer_screenshots.py failed: \(String(decoding: output, as: UTF8.self))")
        return try #require((try JSONSerialization.jsonObject(with: output)) as? [String: [String: Any]])
    }

    static var chromiumInstalled: Bool {
        if FileManager.default.isExecutableFile(atPath: "/usr/bin/chromium") { return true }
        Issue.record("chromium is not installed: run scripts/bootstrap.sh --test (make test does)")
        return false
    }

    /// Live mode: Chromium's fake microphone plays the demo clip; the page streams it over /v1/stream
    /// and the frames it gets move the jaw.
    @Test func liveMicrophoneAnimatesOverTheWebSocket() async throws {
        guard Self.chromiumInstalled else { return }
        let port = try await ServerFixture.viewerPort.value
        let results = try Self.screenshots(port: port, fakeMicrophone: ServerFixture.hello.path, ["live=live=90&head=still"])
        let ready = try #require(results["live"]?["ready"] as? [String: Any], "the page got no frames: \(results)")
        #expect(ready["frames"] as? Int == 90, "\(ready)")
        let low = ready["jawOpenMin"] as? Double ?? 0, high = ready["jawOpenMax"] as? Double ?? 0
        #expect(high > low + 0.1, "the live jaw does not move: \(ready)")
    }

    @Test func loudFrameOpensTheMouthAndAPauseDoesNot() async throws {
        guard Self.chromiumInstalled else { return }
        let port = try await ServerFixture.viewerPort.value
        // The same request the page makes for the demo clip: find its loudest and quietest mouth.
        let audio = try Data(contentsOf: ServerFixture.hello)
        let response = try LoopbackHTTP.request(port: port, "POST", "/v1/animate?format=json&filename=demo.wav&seed=0&no-head-pose=true",
                                                headers: ["Content-Type": "audio/wav"], body: audio)
        try #require(response.status == 200, "\(response.error)")
        let names = try #require(response.json["blendshapes"] as? [String])
        let frames = try #require(response.json["frames"] as? [[Double]])
        let jaw = try #require(names.firstIndex(of: "jawOpen"))
        let jawOpen = frames.map { $0[jaw] }
        let loud = jawOpen.indices.max { jawOpen[$0] < jawOpen[$1] }!
        let pause = jawOpen.indices.min { jawOpen[$0] < jawOpen[$1] }!
        let time = { (frame: Int) in String(format: "%.4f", (Double(frame) + 0.01) / 30) }

        try? FileManager.default.removeItem(at: Self.shots)
        let results = try Self.screenshots(port: port, ["loud=play=demo&head=still&at=\(time(loud))", "pause=play=demo&head=still&at=\(time(pause))"])
        for (name, frame) in [("loud", loud), ("pause", pause)] {
            let ready = results[name]?["ready"] as? [String: Any]
            try #require(ready?["frames"] as? Int == frames.count, "\(name): the page did not show the clip: \(results[name] ?? [:])")
            // It played the clip (the audio clock moved) up to the moment before holding it.
            #expect((ready?["played"] as? Double ?? 0) >= (Double(frame) + 0.01) / 30 - 1e-3, "\(name): \(ready ?? [:])")
        }
        // Where the page drew the vertices jawOpen moves (CSS pixels = screenshot pixels at scale 1).
        let box = try #require((results["loud"]?["ready"] as? [String: Any])?["mouth"] as? [String: Double])
        let (x0, x1, y0, y1) = (box["x0"]!, box["x1"]!, box["y0"]!, box["y1"]!)
        let a = try Self.pixels(Self.shots.appendingPathComponent("loud.png").path)
        let b = try Self.pixels(Self.shots.appendingPathComponent("pause.png").path)
        try #require(a.count == Self.size * Self.size * 3 && b.count == a.count, "screenshots of \(a.count) and \(b.count) bytes")
        let mouth = Self.difference(a, b, x: x0...x1, y: y0...y1)
        // The same box over the eyes and brows: the control (no head pose; only the face's own shapes).
        let upper = Self.difference(a, b, x: x0...x1, y: (y0 - 1.6 * (y1 - y0))...(y0 - 0.6 * (y1 - y0)))
        let report = String(format: "jawOpen %.2f at frame %d vs %.2f at frame %d; mouth box (%.0f,%.0f)-(%.0f,%.0f) difference %.2f, the box above it %.2f (0…255)",
                            jawOpen[loud], loud, jawOpen[pause], pause, x0, y0, x1, y1, mouth, upper)
        print("viewer test: \(report); screenshots in \(Self.shots.path)")
        #expect(mouth > 4, "the mouth looks the same loud and at a pause: \(report)")
        #expect(mouth > 2 * upper, "the difference is not in the mouth: \(report)")
    }
}
