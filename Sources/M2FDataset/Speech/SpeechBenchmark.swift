import Foundation

/// Synthesis speed of a voice: audio seconds produced per wall-clock second (the real-time factor).
public struct SpeechBenchmark: Codable, Sendable, Equatable {
    public var voiceID: String
    public var clips: Int
    /// Seconds of 16 kHz audio produced.
    public var audioSeconds: Double
    /// Wall-clock seconds spent (one thread).
    public var wallSeconds: Double
    /// CPU seconds spent by this process and its child processes (the flite runs): the speed on an idle core.
    public var cpuSeconds: Double

    /// Audio seconds per wall second (> 1 is faster than real time).
    public var realTimeFactor: Double { audioSeconds / max(wallSeconds, 1e-9) }
    /// Audio seconds per CPU second: what one unloaded core achieves.
    public var cpuRealTimeFactor: Double { audioSeconds / max(cpuSeconds, 1e-9) }

    /// User + system CPU seconds of this process plus its waited-for children.
    static func cpuTime() -> Double {
        var own = rusage(), children = rusage()
        #if os(Linux)
        getrusage(RUSAGE_SELF.rawValue, &own)
        getrusage(RUSAGE_CHILDREN.rawValue, &children)
        #else
        getrusage(RUSAGE_SELF, &own)
        getrusage(RUSAGE_CHILDREN, &children)
        #endif
        func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
        return seconds(own.ru_utime) + seconds(own.ru_stime) + seconds(children.ru_utime) + seconds(children.ru_stime)
    }

    /// Speaks every sentence once with `voice` (neutral prosody) and times it.
    public static func measure(_ voice: any SpeechSynthesizing, sentences: [String]) throws -> SpeechBenchmark {
        let start = DispatchTime.now().uptimeNanoseconds
        let cpuStart = cpuTime()
        var audio = 0.0
        for sentence in sentences { audio += try voice.synthesize(sentence, prosody: .neutral).duration }
        let wall = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        return SpeechBenchmark(voiceID: voice.voiceID, clips: sentences.count, audioSeconds: audio, wallSeconds: wall,
                               cpuSeconds: cpuTime() - cpuStart)
    }

    /// One JSON line in the style of `m2f bench`: `{"bench":"speech.synth","voice":…,"rtf":…,"rtf_cpu":…}`.
    public var jsonLine: String {
        "{\"bench\":\"speech.synth\",\"voice\":\"\(voiceID)\"," + String(format: "\"clips\":%d,\"audio_s\":%.2f,\"wall_s\":%.3f,"
               + "\"cpu_s\":%.3f,\"rtf\":%.1f,\"rtf_cpu\":%.1f}",
               clips, audioSeconds, wallSeconds, cpuSeconds, realTimeFactor, cpuRealTimeFactor)
    }
}
