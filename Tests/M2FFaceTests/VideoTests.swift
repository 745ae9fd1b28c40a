import Foundation
import Testing
import M2FFace
import M2FSystem

@Suite struct VideoTests {
    @Test func missingFFmpegErrorNamesIt() {
        #expect(FaceError.ffmpegMissing.localizedDescription.contains("ffmpeg"))
        #expect(Executable.find("definitely-not-a-real-tool-m2f") == nil)
    }

    @Test(.enabled(if: Executable.find("ffmpeg") != nil, "ffmpeg is not installed: video encoding skipped"))
    func encodesFramesWithAudio() throws {
        // One second of a 440 Hz tone as 16-bit PCM WAV.
        let rate = 16_000
        var wav = Data("RIFF".utf8)
        func u32(_ v: Int) { withUnsafeBytes(of: UInt32(v).littleEndian) { wav.append(contentsOf: $0) } }
        func u16(_ v: Int) { withUnsafeBytes(of: UInt16(v).littleEndian) { wav.append(contentsOf: $0) } }
        u32(36 + rate * 2); wav.append(contentsOf: Array("WAVEfmt ".utf8)); u32(16); u16(1); u16(1); u32(rate); u32(rate * 2); u16(2); u16(16)
        wav.append(contentsOf: Array("data".utf8)); u32(rate * 2)
        for i in 0..<rate { u16(Int(Int16(8000 * sin(2 * Double.pi * 440 * Double(i) / Double(rate)))) & 0xFFFF) }
        let audio = temporaryURL("tone.wav")
        try wav.write(to: audio)
        let url = temporaryURL("clip.mp4")
        let renderer = FaceRenderer(rig: DefaultHead.shared, options: RenderOptions(width: 64, height: 64, supersample: 1))
        let animation = ScriptedAnimation.make(seconds: 1)
        let encoder = try VideoEncoder(url: url, width: 64, height: 64, fps: animation.fps, audio: audio)
        for f in 0..<animation.frameCount { try encoder.append(renderer.render(weights: animation.frame(f))) }
        try encoder.finish()
        let size = (try FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? 0
        #expect(size > 1000)
        #expect(encoder.frameCount == 30)
    }

    @Test func missingAudioIsAnError() {
        #expect(throws: FaceError.self) {
            _ = try VideoEncoder(url: temporaryURL("x.mp4"), width: 8, height: 8, fps: 30, audio: URL(fileURLWithPath: "/nonexistent/audio.wav"))
        }
    }
}
