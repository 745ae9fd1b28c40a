import Foundation
import M2FDataset
import M2FEval
import M2FFace
import Testing

/// Recorded-speech evaluation: PocketSphinx alignments, the folder loader and the scores.
@Suite("Recorded speech (m2f eval human-speech)")
struct RecordedSpeechTests {
    /// The shape PocketSphinx writes: an utterance, its words (one a pause), their phones.
    static let alignment = """
        {"b":0.000,"d":0.900,"p":1.000,"t":"my ball","w":[
          {"b":0.000,"d":0.200,"p":0.98,"t":"<sil>","w":[{"b":0.000,"d":0.200,"p":0.98,"t":"SIL"}]},
          {"b":0.200,"d":0.300,"p":0.99,"t":"my","w":[{"b":0.200,"d":0.100,"p":0.99,"t":"M"},{"b":0.300,"d":0.200,"p":0.99,"t":"AY1"}]},
          {"b":0.500,"d":0.400,"p":0.99,"t":"ball(2)","w":[{"b":0.500,"d":0.100,"p":0.99,"t":"B"},{"b":0.600,"d":0.200,"p":0.99,"t":"AO"},{"b":0.800,"d":0.100,"p":0.99,"t":"L"}]}
        ]}
        """

    @Test("PocketSphinx phones: lower case, no stress digits, pauses as 'sil', times in seconds")
    func parsesAlignments() throws {
        let phones = try PocketSphinxAlignment.phones(json: Data(Self.alignment.utf8), source: "a.phone.json")
        #expect(phones.map(\.phone) == ["sil", "m", "ay", "b", "ao", "l"])
        #expect(phones[1].phone == "m" && phones[1].start == 0.2 && abs(phones[1].end - 0.3) < 1e-12)  // end = b + d
        #expect(abs(phones.last!.end - 0.9) < 1e-12)
    }

    @Test("a file that is not an alignment is an error naming it")
    func rejectsBadAlignments() {
        for bad in ["not json", "{\"b\":0,\"d\":1,\"t\":\"x\"}", "{\"b\":0,\"d\":1,\"t\":\"x\",\"w\":[{\"b\":0,\"d\":-1,\"t\":\"a\"}]}"] {
            #expect(throws: RecordedSpeechError.self) { try PocketSphinxAlignment.phones(json: Data(bad.utf8), source: "bad.phone.json") }
            do {
                _ = try PocketSphinxAlignment.phones(json: Data(bad.utf8), source: "bad.phone.json")
            } catch {
                #expect("\(error)".hasPrefix("bad.phone.json: "), "\(error)")
            }
        }
    }

    @Test("the folder loader pairs clips with alignments and names an empty folder")
    func loadsFolders() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("recorded-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(throws: RecordedSpeechError.noClips(folder.path)) { try RecordedSpeechClip.load(directory: folder) }
        let missing = folder.appendingPathComponent("missing")
        #expect(throws: RecordedSpeechError.noFolder(missing.path)) { try RecordedSpeechClip.load(directory: missing) }
        let tone = (0..<8_000).map { Float(0.3 * sin(Double($0) * 0.2)) }
        try WAVWriter.write(tone, sampleRate: 16_000, to: folder.appendingPathComponent("b.wav"))
        try WAVWriter.write(tone, sampleRate: 16_000, to: folder.appendingPathComponent("a.wav"))
        try Data(Self.alignment.utf8).write(to: folder.appendingPathComponent("a.phone.json"))
        let clips = try RecordedSpeechClip.load(directory: folder)
        #expect(clips.map(\.id) == ["a", "b"])
        #expect(clips[0].phones?.count == 6 && clips[1].phones == nil)
        #expect(clips[0].samples.count == 8_000)
    }

    @Test("scores: closed on both bilabials, open in words, shut in the pause")
    func scoresAClip() throws {
        let phones = try PocketSphinxAlignment.phones(json: Data(Self.alignment.utf8), source: "a")
        let clip = RecordedSpeechClip(id: "a", samples: (0..<14_400).map { Float(0.2 * sin(Double($0) * 0.1)) }, phones: phones)
        var animation = FaceAnimation(fps: 30, frameCount: 27)
        for f in 9..<15 { animation[f, .jawOpen] = 0.6 }   // "ay"
        for f in 18..<27 { animation[f, .jawOpen] = 0.4 }  // "ao", "l"
        var accumulator = RecordedSpeechAccumulator()
        accumulator.add(clip, animation: animation, seconds: 0.3)
        let scores = accumulator.scores
        #expect(scores.bilabial_segments == 2 && scores.lip_closure_rate == 1)
        #expect(scores.clips == 1 && abs(scores.audio_seconds - 0.9) < 1e-9 && abs(scores.real_time_factor - 3) < 1e-9)
        let speech = try #require(scores.mean_lip_gap_speech_mm), pause = try #require(scores.mean_lip_gap_pause_mm)
        #expect(speech > 3 && pause < 0.5, "speech \(speech) mm, pause \(pause) mm")
        // A mouth that never closes misses both bilabials.
        var open = animation
        for f in 0..<27 { open[f, .jawOpen] = 0.4 }
        var missed = RecordedSpeechAccumulator()
        missed.add(clip, animation: open, seconds: 0.3)
        #expect(missed.scores.lip_closure_rate == 0)
    }
}
