import Foundation
import M2FAudio

/// Sung audio with its score, for `m2f eval singing`: a folder of `<name>.wav` clips, each with a
/// `<name>.notes.json` (scripts/singing/make_singing.sh makes five melodies, each sung with and without
/// vibrato, from the LibriVox clips of data/human-speech). Times are seconds of the clip.
package struct SungClip: Sendable {
    package var id: String
    /// 16 kHz mono.
    package var samples: [Float]
    package var score: SungScore

    package init(id: String, samples: [Float], score: SungScore) {
        self.id = id
        self.samples = samples
        self.score = score
    }

    /// Every `*.wav` in `directory` that has a `.notes.json`, sorted by name.
    /// - Throws: `SungClipError` naming the folder or file (none there, unreadable audio, bad score).
    package static func load(directory: URL, loader: AudioLoader = AudioLoader()) throws -> [SungClip] {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isFolder), isFolder.boolValue else {
            throw SungClipError.noFolder(directory.path)
        }
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.lowercased().hasSuffix(".wav") }.sorted()
        } catch {
            throw SungClipError.unreadableFolder(directory.path, reason: error.localizedDescription)
        }
        let scored = names.filter { FileManager.default.fileExists(atPath: directory.appendingPathComponent(String($0.dropLast(4)) + ".notes.json").path) }
        guard !scored.isEmpty else { throw SungClipError.noClips(directory.path) }
        return try scored.map { name in
            let audio = directory.appendingPathComponent(name)
            let clip: AudioClip
            do { clip = try loader.load(path: audio.path) } catch { throw SungClipError.unreadableAudio(audio.path, reason: error.localizedDescription) }
            let scoreFile = directory.appendingPathComponent(String(name.dropLast(4)) + ".notes.json")
            let data: Data
            do { data = try Data(contentsOf: scoreFile) } catch { throw SungClipError.badScore(scoreFile.path, reason: error.localizedDescription) }
            let score = try SungScore.decode(data, source: scoreFile.path, seconds: Double(clip.samples.count) / 16_000)
            return SungClip(id: String(name.dropLast(4)), samples: clip.samples, score: score)
        }
    }
}

/// The ground truth of a sung clip (`<name>.notes.json`, written by make_singing.py).
package struct SungScore: Codable, Sendable, Equatable {
    /// The id the renderings of one melody share (with and without vibrato).
    package var melody: String
    package var notes: [SungNote]
    package var breaths: [SungBreath]

    package init(melody: String, notes: [SungNote], breaths: [SungBreath]) {
        self.melody = melody
        self.notes = notes
        self.breaths = breaths
    }

    /// Decodes and checks a score: times finite, start < end, inside the clip (`seconds` long, with 0.1 s slack).
    package static func decode(_ data: Data, source: String, seconds: Double) throws -> SungScore {
        let score: SungScore
        do { score = try JSONDecoder().decode(SungScore.self, from: data) } catch {
            throw SungClipError.badScore(source, reason: "\(error)")
        }
        guard !score.notes.isEmpty else { throw SungClipError.badScore(source, reason: "no notes") }
        let spans = score.notes.map { ("note", $0.start, $0.end) } + score.breaths.map { ("breath", $0.start, $0.end) }
        for (kind, start, end) in spans where !(start.isFinite && end.isFinite && start >= 0 && start < end && end <= seconds + 0.1) {
            throw SungClipError.badScore(source, reason: "\(kind) from \(start) to \(end) s is not inside the \(String(format: "%.2f", seconds)) s clip")
        }
        for note in score.notes where !(note.midi.isFinite && note.loudnessDB.isFinite) {
            throw SungClipError.badScore(source, reason: "note at \(note.start) s has midi \(note.midi), loudness \(note.loudnessDB) dB")
        }
        return score
    }
}

/// One sung note: the vowel's span, its pitch and level, and its vibrato if any.
package struct SungNote: Codable, Sendable, Equatable {
    package var start: Double
    package var end: Double
    package var vowel: String
    /// Pitch as a MIDI note number (69 = A4, 440 Hz).
    package var midi: Double
    /// RMS level of the sung vowel, dB re full scale.
    package var loudnessDB: Double
    /// Long enough (≥ 0.6 s) to count as a held vowel.
    package var held: Bool
    package var vibrato: SungVibrato?

    package init(start: Double, end: Double, vowel: String = "aa", midi: Double, loudnessDB: Double, held: Bool, vibrato: SungVibrato? = nil) {
        (self.start, self.end, self.vowel, self.midi, self.loudnessDB, self.held, self.vibrato) = (start, end, vowel, midi, loudnessDB, held, vibrato)
    }

    enum CodingKeys: String, CodingKey { case start, end, vowel, midi, loudnessDB = "loudness_db", held, vibrato }
}

package struct SungVibrato: Codable, Sendable, Equatable {
    package var rateHz: Double
    package var depthSemitones: Double

    package init(rateHz: Double, depthSemitones: Double) { (self.rateHz, self.depthSemitones) = (rateHz, depthSemitones) }

    enum CodingKeys: String, CodingKey { case rateHz = "rate_hz", depthSemitones = "depth_semitones" }
}

/// A breath pause between phrases.
package struct SungBreath: Codable, Sendable, Equatable {
    package var start: Double
    package var end: Double

    package init(start: Double, end: Double) { (self.start, self.end) = (start, end) }
}

/// What went wrong reading a folder of sung clips.
package enum SungClipError: Error, CustomStringConvertible, Equatable {
    case noFolder(String)
    case unreadableFolder(String, reason: String)
    case noClips(String)
    case unreadableAudio(String, reason: String)
    case badScore(String, reason: String)

    package var description: String {
        switch self {
        case .noFolder(let path): "\(path): no such folder (make singing-data makes the sung clips in data/singing)"
        case .unreadableFolder(let path, let reason): "\(path): cannot list the folder (\(reason))"
        case .noClips(let path): "\(path): no .wav clip with a .notes.json score (make singing-data makes them)"
        case .unreadableAudio(let path, let reason): "\(path): cannot read the audio (\(reason))"
        case .badScore(let path, let reason): "\(path): not a sung-clip score (\(reason))"
        }
    }
}
