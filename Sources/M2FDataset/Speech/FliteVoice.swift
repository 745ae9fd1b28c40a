import Foundation
import M2FAudio

/// One CMU Flite voice (kal, kal16, awb, rms, slt) run as the `flite` program, with phone end times
/// from `-psdur`.
///
/// `flite -voice V -psdur [--setf …] -t TEXT -o FILE.wav` writes the audio and prints `phone:end_s`
/// pairs on stdout; each phone starts where the previous one ended. Output: 16 kHz mono (kal's 8 kHz
/// resampled), phones already lower-case ARPAbet (flite's CMU phone set, `pau` for silence).
/// Prosody: `rate` → `duration_stretch = 1/rate`; `pitch` → `int_f0_target_mean = baseF0·pitch` where the
/// voice honours it, otherwise (rms) a pitch shift of the output (`SpeechAugmentation.pitchShift`);
/// `volume` is a gain.
public struct FliteVoice: SpeechSynthesizing, Codable, Hashable {
    public var voiceID: String
    /// flite's voice name (`flite -lv`).
    public var name: String
    /// Median F0 of the voice at its defaults (Hz, measured by autocorrelation); nil when flite ignores
    /// `int_f0_target_mean` for this voice and pitch is shifted after synthesis instead.
    public var baseF0: Double?

    public init(voiceID: String, name: String, baseF0: Double?) {
        self.voiceID = voiceID
        self.name = name
        self.baseF0 = baseF0
    }

    /// The five voices Debian's flite ships.
    public static let kal = FliteVoice(voiceID: "flite-kal", name: "kal", baseF0: 92)
    public static let kal16 = FliteVoice(voiceID: "flite-kal16", name: "kal16", baseF0: 93)
    public static let awb = FliteVoice(voiceID: "flite-awb", name: "awb", baseF0: 130)
    public static let rms = FliteVoice(voiceID: "flite-rms", name: "rms", baseF0: nil)
    public static let slt = FliteVoice(voiceID: "flite-slt", name: "slt", baseF0: 174)
    public static let all = [kal, kal16, awb, rms, slt]

    /// The `flite` program, or `toolMissing`.
    public static func executable() throws(SpeechError) -> String {
        guard let path = SpeechScratch.which("flite") else { throw .toolMissing(tool: "flite", aptPackage: "flite") }
        return path
    }

    /// The voices `flite -lv` lists (read once per process); nil when flite is not installed.
    public static let installedVoices: [String]? = {
        guard let program = SpeechScratch.which("flite"),
              let listing = try? SpeechScratch.run(program, ["-lv"], tool: "flite") else { return nil }
        // "Voices available: kal awb_time kal16 awb rms slt"
        return listing.split(separator: ":").last.map { $0.split(whereSeparator: \.isWhitespace).map(String.init) } ?? []
    }()

    /// flite's arguments for `text` with `prosody`, writing to `output`.
    func arguments(_ text: String, prosody: Prosody, output: String) -> [String] {
        var arguments = ["-voice", name, "-psdur"]
        if abs(prosody.rate - 1) > 1e-6 {
            arguments += ["--setf", String(format: "duration_stretch=%.4f", 1 / max(prosody.rate, 0.1))]
        }
        if let baseF0, abs(prosody.pitch - 1) > 1e-6 {
            arguments += ["--setf", String(format: "int_f0_target_mean=%.2f", baseF0 * prosody.pitch)]
        }
        return arguments + ["-t", text, "-o", output]
    }

    public func synthesize(_ text: String, prosody: Prosody) throws -> SpokenUtterance {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard trimmed.contains(where: \.isLetter) else { throw SpeechError.emptyText(voice: voiceID) }
        let program = try Self.executable()
        // flite falls back to its default voice for an unknown name; refuse instead.
        guard Self.installedVoices?.contains(name) ?? true else {
            throw SpeechError.voiceMissing(engine: "flite", voice: name, aptPackage: "flite")
        }
        let file = SpeechScratch.uniqueFile(suffix: ".wav")
        defer { try? FileManager.default.removeItem(at: file) }
        let stdout = try SpeechScratch.run(program, arguments(trimmed, prosody: prosody, output: file.path), tool: "flite")
        let clip: AudioClip
        do {
            clip = try WAVReader.read(path: file.path)
        } catch {
            throw SpeechError.badOutput(engine: "flite", voice: voiceID, problem: error.localizedDescription)
        }
        let raw = try Self.parsePhoneDurations(stdout, voice: voiceID)
        var samples = SpeechFinishing.resampleToDatasetRate(clip.samples, from: clip.sampleRate)
        if baseF0 == nil, abs(prosody.pitch - 1) > 1e-6 {
            samples = SpeechAugmentation.pitchShift(samples, sampleRate: SpeechFinishing.sampleRate, factor: prosody.pitch)
        }
        SpeechFinishing.applyGain(&samples, prosody.volume)
        let duration = Double(samples.count) / Double(SpeechFinishing.sampleRate)
        let phones = try SpeechFinishing.tidy(raw, duration: duration, engine: "flite", voice: voiceID)
        return SpokenUtterance(samples: samples, sampleRate: SpeechFinishing.sampleRate, phones: phones,
                               transcript: trimmed, voiceID: voiceID)
    }

    /// Parses `-psdur` output (`pau:0.164 hh:0.255 …`, whitespace-separated `phone:end` pairs) into
    /// phones that start where the previous one ended.
    public static func parsePhoneDurations(_ text: String, voice: String) throws(SpeechError) -> [TimedPhone] {
        var phones: [TimedPhone] = []
        var start = 0.0
        for token in text.split(whereSeparator: \.isWhitespace) {
            let parts = token.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[0].isEmpty, let end = Double(parts[1]), end.isFinite else {
                throw .badOutput(engine: "flite", voice: voice, problem: "cannot read `\(token)` as phone:end_time")
            }
            let phone = parts[0].lowercased().filter(\.isLetter)
            phones.append(TimedPhone(phone: phone, start: start, end: end))
            start = end
        }
        return phones
    }
}
