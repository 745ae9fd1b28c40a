#if canImport(CEspeakNG)
import CEspeakNG
import Foundation

/// The process-wide libespeak-ng instance: synchronous synthesis into a callback that collects the
/// 22 050 Hz samples and the phoneme events.
///
/// libespeak-ng keeps all its state in globals and is not thread-safe, so every call goes through
/// `EspeakEngine.shared`, which holds one lock for initialisation, voice selection and synthesis.
final class EspeakEngine: @unchecked Sendable {
    /// One phoneme event: the eSpeak mnemonic and the sample (at `sampleRate`) where it starts.
    struct PhonemeEvent: Equatable {
        var mnemonic: String
        var sample: Int
    }

    /// What one synthesis call produced.
    struct Output {
        var samples: [Float]
        var sampleRate: Int
        var events: [PhonemeEvent]
    }

    /// Per-call synthesis settings (eSpeak's own units).
    struct Settings: Equatable {
        /// `espeak_SetVoiceByName` argument, e.g. `en-us+f3`.
        var voiceName: String
        /// Words per minute, 80…450.
        var wordsPerMinute: Int
        /// Base pitch 0…100 (50 = the voice's default).
        var pitch: Int
        /// Pitch range 0…100 (50 = normal, 0 = monotone).
        var pitchRange: Int
    }

    static let shared = EspeakEngine()

    private let lock = NSLock()
    private var sampleRate: Int?
    private var initialisationProblem: String?
    /// Filled by the C callback during `espeak_Synth` (under `lock`).
    fileprivate var collectedSamples: [Int16] = []
    fileprivate var collectedEvents: [PhonemeEvent] = []

    private init() {}

    /// Synthesises `text` with `settings`; throws when the library or the voice is missing.
    func synthesize(_ text: String, settings: Settings) throws(SpeechError) -> Output {
        lock.lock()
        defer { lock.unlock() }
        let rate = try initialiseLocked()
        let status = settings.voiceName.withCString { espeak_SetVoiceByName($0) }
        guard status == EE_OK else {
            throw .voiceMissing(engine: "espeak-ng", voice: settings.voiceName, aptPackage: "espeak-ng-data")
        }
        espeak_SetParameter(espeakRATE, Int32(clamp(settings.wordsPerMinute, 80, 450)), 0)
        espeak_SetParameter(espeakPITCH, Int32(clamp(settings.pitch, 0, 100)), 0)
        espeak_SetParameter(espeakRANGE, Int32(clamp(settings.pitchRange, 0, 100)), 0)
        espeak_SetParameter(espeakVOLUME, 100, 0)
        collectedSamples.removeAll(keepingCapacity: true)
        collectedEvents.removeAll(keepingCapacity: true)
        let result = text.withCString { pointer in
            espeak_Synth(pointer, strlen(pointer) + 1, 0, POS_CHARACTER, 0, UInt32(espeakCHARS_UTF8), nil, nil)
        }
        espeak_Synchronize()
        guard result == EE_OK else {
            throw .badOutput(engine: "espeak-ng", voice: settings.voiceName, problem: "espeak_Synth returned \(result.rawValue)")
        }
        let samples = collectedSamples.map { Float($0) / 32_768 }
        return Output(samples: samples, sampleRate: rate, events: collectedEvents)
    }

    /// Initialises the library once (phoneme events on, synchronous output); remembers a failure.
    private func initialiseLocked() throws(SpeechError) -> Int {
        if let sampleRate { return sampleRate }
        if let initialisationProblem {
            throw .engineUnavailable(engine: "libespeak-ng", problem: initialisationProblem, aptPackage: "espeak-ng-data")
        }
        let rate = espeak_Initialize(AUDIO_OUTPUT_SYNCHRONOUS, 0, nil, Int32(espeakINITIALIZE_PHONEME_EVENTS))
        guard rate > 0 else {
            initialisationProblem = "espeak_Initialize returned \(rate); its data directory was not found"
            throw .engineUnavailable(engine: "libespeak-ng", problem: initialisationProblem!, aptPackage: "espeak-ng-data")
        }
        espeak_SetSynthCallback(espeakCollect)
        sampleRate = Int(rate)
        return Int(rate)
    }
}

/// The synthesis callback: appends samples and phoneme events to the shared engine (its lock is held by
/// the thread that called `espeak_Synth`, which is the thread running this callback).
private func espeakCollect(
    _ wave: UnsafeMutablePointer<Int16>?, _ count: Int32, _ events: UnsafeMutablePointer<espeak_EVENT>?
) -> Int32 {
    let engine = EspeakEngine.shared
    if let wave, count > 0 {
        engine.collectedSamples.append(contentsOf: UnsafeBufferPointer(start: wave, count: Int(count)))
    }
    var event = events
    while let current = event, current.pointee.type != espeakEVENT_LIST_TERMINATED {
        if current.pointee.type == espeakEVENT_PHONEME {
            let mnemonic = withUnsafeBytes(of: current.pointee.id.string) { raw -> String in
                let bytes = raw.prefix { $0 != 0 }
                return String(decoding: bytes, as: UTF8.self)
            }
            engine.collectedEvents.append(.init(mnemonic: mnemonic, sample: Int(current.pointee.sample)))
        }
        event = current + 1
    }
    return 0
}

private func clamp(_ value: Int, _ lower: Int, _ upper: Int) -> Int { min(max(value, lower), upper) }
#endif
