import Foundation
import M2FDataset
import XCTest

final class SpeechPerformanceTests: XCTestCase {
    /// Both engines must synthesise far faster than real time: 1 h of audio in well under 10 minutes on
    /// 2 cores needs ≥ 3× per core for synthesis alone; require 10× to leave room for the teacher and
    /// the store. Prints `m2f bench`-style JSON lines.
    func testSynthesisIsFasterThanRealTime() throws {
        let corpus = try SentenceCorpus.build(fortunes: .none, grammarCount: 20)
        let sentences = corpus.sentences.map(\.text)
        for voice in [FliteVoice.slt, FliteVoice.kal] as [any SpeechSynthesizing]
            + [EspeakVoice(voiceID: "espeak-en-us", voiceName: "en-us")] {
            let result = try SpeechBenchmark.measure(voice, sentences: sentences)
            print(result.jsonLine)
            // CPU time, not wall time: the test machine is shared, and wall time depends on the load.
            XCTAssertGreaterThan(result.cpuRealTimeFactor, 10, result.jsonLine)
        }
    }

    /// The builder's augmenter with every step (tempo, pitch, reverb, telephone, noise, gain) must also run far faster
    /// than real time.
    func testFullAugmentationChainIsFasterThanRealTime() throws {
        let utterance = try EspeakVoice(voiceID: "espeak-en-us", voiceName: "en-us")
            .synthesize("A full chain of augmentations runs over this sentence, which lasts a few seconds.", prosody: .neutral)
        var augmentation = Augmentation()
        augmentation.tempo = 1.1; augmentation.pitch = 1.1; augmentation.reverbSeconds = 0.5; augmentation.bandLimited = true
        augmentation.noiseSNR = 15; augmentation.gainDB = 2
        let start = DispatchTime.now().uptimeNanoseconds
        let (samples, phones) = AudioAugmenter.apply(augmentation, samples: utterance.samples, phones: utterance.phones,
                                                      sampleRate: utterance.sampleRate, seed: 5)
        let augmented = SpokenUtterance(samples: samples, sampleRate: utterance.sampleRate, phones: phones,
                                        transcript: utterance.transcript, voiceID: utterance.voiceID)
        let wall = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let factor = utterance.duration / wall
        print("{\"bench\":\"speech.augment\",\"audio_s\":\(utterance.duration),\"wall_s\":\(wall),\"rtf\":\(factor)}")
        XCTAssertEqual(SpeechChecks.problems(augmented), [])
        XCTAssertGreaterThan(factor, 10)
    }

    func testSynthesisLeavesNoTemporaryFiles() throws {
        _ = try FliteVoice.awb.synthesize("Nothing is left behind.", prosody: .neutral)
        let left = try FileManager.default.contentsOfDirectory(atPath: SpeechScratch.directory.path)
        XCTAssertEqual(left, [])
    }
}
