import Foundation
import M2FSystem

/// eSpeak NG synthesis through the `m2f-espeak` helper program: samples at 22 050 Hz and phoneme events.
///
/// libespeak-ng is GPL-3, so it is not linked into this library (nor into `m2f`): the helper links it
/// and is spoken to over pipes, one request line at a time (protocol: Sources/m2f-espeak/EspeakProtocol.swift).
/// One helper process serves the whole process, started on first use and restarted if it dies; the
/// library's globals make synthesis one call at a time anyway, which `lock` enforces.
final class EspeakEngine: @unchecked Sendable {
    /// One phoneme event: the eSpeak mnemonic and the sample (at `sampleRate`) where it starts.
    struct PhonemeEvent: Equatable, Codable {
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

    private struct Request: Codable {
        var text: String
        var voice: String
        var wordsPerMinute: Int
        var pitch: Int
        var pitchRange: Int
    }

    private struct Response: Codable {
        var ok: Bool
        var failure: String?
        var message: String?
        var sampleRate: Int
        var sampleCount: Int
        var events: [PhonemeEvent]
    }

    static let shared = EspeakEngine()
    static let helperName = "m2f-espeak"

    private let lock = NSLock()
    private var helper: Subprocess?
    private var input: FileHandle?
    private var output: FileHandle?

    private init() {}

    /// Where the helper is: `M2F_ESPEAK`, else next to this executable, else on PATH.
    static func helperPath() -> String? {
        Executable.find(helperName, override: "M2F_ESPEAK", alsoIn: [Executable.ownFolder])
    }

    /// Synthesises `text` with `settings`; throws when the helper, the library or the voice is missing.
    func synthesize(_ text: String, settings: Settings) throws(SpeechError) -> Output {
        lock.lock()
        defer { lock.unlock() }
        let request = Request(text: text, voice: settings.voiceName, wordsPerMinute: settings.wordsPerMinute,
                              pitch: settings.pitch, pitchRange: settings.pitchRange)
        let (response, samples): (Response, [Int16])
        do {
            (response, samples) = try exchange(request)
        } catch let error as SpeechError {
            throw error
        } catch {
            stopHelper()
            throw .badOutput(engine: "espeak-ng", voice: settings.voiceName, problem: "the \(Self.helperName) helper failed: \(error)")
        }
        guard response.ok else {
            let message = response.message ?? "unknown failure"
            switch response.failure {
            case "voice": throw .voiceMissing(engine: "espeak-ng", voice: settings.voiceName, aptPackage: "espeak-ng-data")
            case "engine": throw .engineUnavailable(engine: "libespeak-ng", problem: message, aptPackage: "espeak-ng-data")
            default: throw .badOutput(engine: "espeak-ng", voice: settings.voiceName, problem: message)
            }
        }
        return Output(samples: samples.map { Float($0) / 32_768 }, sampleRate: response.sampleRate, events: response.events)
    }

    private func exchange(_ request: Request) throws -> (Response, [Int16]) {
        let (input, output) = try runningHelper()
        var line = try JSONEncoder().encode(request)
        line.append(0x0A)
        try input.write(contentsOf: line)
        var header = Data()
        while true {
            guard let byte = try output.read(upToCount: 1), let first = byte.first else {
                throw SpeechError.engineUnavailable(engine: "libespeak-ng", problem: "the \(Self.helperName) helper exited", aptPackage: "libespeak-ng1")
            }
            if first == 0x0A { break }
            header.append(first)
        }
        let response = try JSONDecoder().decode(Response.self, from: header)
        var bytes = Data()
        let wanted = response.sampleCount * 2
        while bytes.count < wanted {
            guard let chunk = try output.read(upToCount: wanted - bytes.count), !chunk.isEmpty else {
                throw SpeechError.badOutput(engine: "espeak-ng", voice: request.voice, problem: "the helper sent \(bytes.count) of \(wanted) sample bytes")
            }
            bytes.append(chunk)
        }
        let samples = bytes.withUnsafeBytes { raw in (0..<response.sampleCount).map { Int16(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 2, as: Int16.self)) } }
        return (response, samples)
    }

    /// The helper's pipes, starting it when it is not running.
    private func runningHelper() throws -> (FileHandle, FileHandle) {
        if let helper, helper.isRunning, let input, let output { return (input, output) }
        stopHelper()
        guard let path = Self.helperPath() else {
            throw SpeechError.engineUnavailable(
                engine: "espeak-ng", problem: "the \(Self.helperName) helper was not found next to \(CommandLine.arguments.first ?? "m2f") nor on PATH "
                    + "(build it with `swift build -c release --product \(Self.helperName)`, or set M2F_ESPEAK to its path)",
                aptPackage: "libespeak-ng-dev")
        }
        let process = try Subprocess(path, [], input: .pipe, output: .pipe, errors: .inherit)
        helper = process
        input = process.input
        output = process.output
        return (input!, output!)
    }

    private func stopHelper() {
        if let helper { helper.terminate() }
        helper = nil
        input = nil
        output = nil
    }
}
