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

    @Test("fillers without phones are pauses; a word without phones (aligned without --phone) is an error")
    func fillersAndWordsWithoutPhones() throws {
        let fillers = """
            {"b":0,"d":1,"t":"x","w":[{"b":0,"d":0.2,"t":"<s>"},{"b":0.2,"d":0.1,"t":"[NOISE]"},
             {"b":0.3,"d":0.2,"t":"ma","w":[{"b":0.3,"d":0.1,"t":"M"},{"b":0.4,"d":0.1,"t":"AA"}]},{"b":0.5,"d":0.1,"t":"+NSN+"}]}
            """
        let phones = try PocketSphinxAlignment.phones(json: Data(fillers.utf8), source: "f.phone.json")
        #expect(phones.map(\.phone) == ["sil", "sil", "m", "aa", "sil"])
        let wordsOnly = "{\"b\":0,\"d\":1,\"t\":\"ma\",\"w\":[{\"b\":0,\"d\":0.5,\"t\":\"ma\"}]}"
        #expect(throws: RecordedSpeechError.badAlignment("w.phone.json", reason: "word \"ma\" has no phones (align with --phone)")) {
            try PocketSphinxAlignment.phones(json: Data(wordsOnly.utf8), source: "w.phone.json")
        }
    }

    @Test("the means give each frame to the one phone its time lies in, also where a boundary falls between frames")
    func framesCountOnce() throws {
        // Boundaries off the 30 fps grid: 0.12 s lies between frames 3 (0.100 s) and 4 (0.133 s).
        let phones = [TimedPhone(phone: "sil", start: 0, end: 0.12), TimedPhone(phone: "aa", start: 0.12, end: 0.51),
                      TimedPhone(phone: "sil", start: 0.51, end: 0.56), TimedPhone(phone: "aa", start: 0.56, end: 0.9),
                      TimedPhone(phone: "sil", start: 0.9, end: 1.0)]
        var animation = FaceAnimation(fps: 30, frameCount: 30)
        for frame in 0..<30 {
            let time = Double(frame) / 30
            if phones.first(where: { $0.start <= time && time < $0.end })?.phone == "aa" { animation[frame, .jawOpen] = 0.5 }
        }
        let gaps = FaceSignals().lipGap(animation)
        let open = Double(gaps[5]) * 1000, closed = Double(gaps[0]) * 1000
        #expect(open > 3 && closed < 0.5)
        var accumulator = RecordedSpeechAccumulator()
        accumulator.add(RecordedSpeechClip(id: "b", samples: [Float](repeating: 0.1, count: 16_000), phones: phones), animation: animation, seconds: 1)
        let scores = accumulator.scores
        // Were boundary frames counted under both neighbours, closed frames would pull the words' mean down.
        #expect(abs(try #require(scores.mean_lip_gap_speech_mm) - open) < 1e-9)
        #expect(abs(try #require(scores.mean_lip_gap_pause_mm) - closed) < 1e-9)
    }

    @Test("a file that is not an alignment is an error naming it")
    func rejectsBadAlignments() {
        for bad in ["not json", "{\"b\":0,\"d\":1,\"t\":\"x\"}", "{\"b\":0,\"d\":1,\"t\":\"x\",\"w\":[{\"b\":0,\"d\":-1,\"t\":\"a\"}]}",
                    "{\"b\":0,\"d\":1,\"t\":\"x\",\"w\":[{\"b\":0,\"d\":1,\"t\":\"a\",\"w\":[{\"b\":0,\"d\":-0.5,\"t\":\"AA\"}]}]}"] {
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
