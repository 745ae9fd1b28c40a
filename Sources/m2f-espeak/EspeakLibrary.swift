#if canImport(CEspeakNG)
import CEspeakNG
import Foundation

/// libespeak-ng in this process: synchronous synthesis into a callback that collects the 22 050 Hz
/// samples and the phoneme events. The library keeps its state in globals; this helper serves one
/// request at a time, so no lock is needed.
enum EspeakLibrary {
    nonisolated(unsafe) static var sampleRate: Int?
    nonisolated(unsafe) static var collectedSamples: [Int16] = []
    nonisolated(unsafe) static var collectedEvents: [SynthesisResponse.Event] = []

    /// Synthesises one request; the response carries the failure when there is one.
    static func synthesize(_ request: SynthesisRequest) -> (SynthesisResponse, [Int16]) {
        if sampleRate == nil {
            let rate = espeak_Initialize(AUDIO_OUTPUT_SYNCHRONOUS, 0, nil, Int32(espeakINITIALIZE_PHONEME_EVENTS))
            guard rate > 0 else {
                return (SynthesisResponse(ok: false, failure: "engine", message: "espeak_Initialize returned \(rate); its data directory was not found"), [])
            }
            espeak_SetSynthCallback(collect)
            sampleRate = Int(rate)
        }
        let status = request.voice.withCString { espeak_SetVoiceByName($0) }
        guard status == EE_OK else {
            return (SynthesisResponse(ok: false, failure: "voice", message: "voice \(request.voice) is not installed"), [])
        }
        espeak_SetParameter(espeakRATE, Int32(clamp(request.wordsPerMinute, 80, 450)), 0)
        espeak_SetParameter(espeakPITCH, Int32(clamp(request.pitch, 0, 100)), 0)
        espeak_SetParameter(espeakRANGE, Int32(clamp(request.pitchRange, 0, 100)), 0)
        espeak_SetParameter(espeakVOLUME, 100, 0)
        collectedSamples.removeAll(keepingCapacity: true)
        collectedEvents.removeAll(keepingCapacity: true)
        let result = request.text.withCString { pointer in
            espeak_Synth(pointer, strlen(pointer) + 1, 0, POS_CHARACTER, 0, UInt32(espeakCHARS_UTF8), nil, nil)
        }
        espeak_Synchronize()
        guard result == EE_OK else {
            return (SynthesisResponse(ok: false, failure: "synthesis", message: "espeak_Synth returned \(result.rawValue)"), [])
        }
        return (SynthesisResponse(ok: true, sampleRate: sampleRate!, sampleCount: collectedSamples.count, events: collectedEvents), collectedSamples)
    }

    private static func clamp(_ value: Int, _ lower: Int, _ upper: Int) -> Int { min(max(value, lower), upper) }
}

/// The synthesis callback: appends samples and phoneme events (runs on the thread inside `espeak_Synth`).
private func collect(_ wave: UnsafeMutablePointer<Int16>?, _ count: Int32, _ events: UnsafeMutablePointer<espeak_EVENT>?) -> Int32 {
    if let wave, count > 0 {
        EspeakLibrary.collectedSamples.append(contentsOf: UnsafeBufferPointer(start: wave, count: Int(count)))
    }
    var event = events
    while let current = event, current.pointee.type != espeakEVENT_LIST_TERMINATED {
        if current.pointee.type == espeakEVENT_PHONEME {
            let mnemonic = withUnsafeBytes(of: current.pointee.id.string) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            EspeakLibrary.collectedEvents.append(.init(mnemonic: mnemonic, sample: Int(current.pointee.sample)))
        }
        event = current + 1
    }
    return 0
}
#else
/// Without libespeak-ng (macOS builds): every request fails with a clear message.
enum EspeakLibrary {
    static func synthesize(_ request: SynthesisRequest) -> (SynthesisResponse, [Int16]) {
        (SynthesisResponse(ok: false, failure: "engine", message: "m2f-espeak was built without libespeak-ng (Linux: apt install libespeak-ng-dev)"), [])
    }
}
#endif
