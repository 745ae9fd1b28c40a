import Foundation

/// The line protocol between `m2f dataset build` (M2FDataset's `EspeakEngine`) and this helper.
///
/// Request, one JSON line on stdin: `{"text": …, "voice": "en-us+f3", "wordsPerMinute": 175, "pitch": 50,
/// "pitchRange": 50}`. Response on stdout: one JSON header line, then (when `ok`) `sampleCount`
/// little-endian Int16 samples at `sampleRate`. M2FDataset holds its own copy of these two types; the
/// field names are the contract.
struct SynthesisRequest: Codable {
    var text: String
    var voice: String
    var wordsPerMinute: Int
    var pitch: Int
    var pitchRange: Int
}

struct SynthesisResponse: Codable {
    struct Event: Codable {
        /// eSpeak's phoneme mnemonic.
        var mnemonic: String
        /// The sample (at `sampleRate`) where the phoneme starts.
        var sample: Int
    }

    var ok: Bool
    /// On failure: "engine" (libespeak-ng cannot start), "voice" (voice not installed), "synthesis"
    /// or "request" (a line this helper could not read).
    var failure: String?
    var message: String?
    var sampleRate: Int = 0
    var sampleCount: Int = 0
    var events: [Event] = []
}
