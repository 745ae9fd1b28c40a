import Foundation
import M2FAudio
import M2FDataset
import M2FFace

/// Recorded (human) speech for a check the synthetic test split cannot make: a folder of `<name>.wav`
/// clips, each with an optional PocketSphinx phone alignment `<name>.phone.json`
/// (`scripts/fetch_human_speech.sh` fetches five LibriVox clips with theirs). There is no reference
/// animation, so only what the audio and phone timings define is measured (`RecordedSpeechScores`).
package struct RecordedSpeechClip: Sendable {
    package var id: String
    /// 16 kHz mono.
    package var samples: [Float]
    /// Phones (lower-case ARPAbet without stress digits, "sil" for pauses), nil without an alignment file.
    package var phones: [TimedPhone]?

    package init(id: String, samples: [Float], phones: [TimedPhone]?) {
        self.id = id
        self.samples = samples
        self.phones = phones
    }

    /// Every `*.wav` in `directory`, sorted by name, with its alignment when present.
    /// - Throws: `RecordedSpeechError` naming the folder or file (none there, unreadable audio, bad alignment).
    package static func load(directory: URL, loader: AudioLoader = AudioLoader()) throws -> [RecordedSpeechClip] {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isFolder), isFolder.boolValue else {
            throw RecordedSpeechError.noFolder(directory.path)
        }
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.lowercased().hasSuffix(".wav") }.sorted()
        } catch {
            throw RecordedSpeechError.unreadableFolder(directory.path, reason: error.localizedDescription)
        }
        guard !names.isEmpty else { throw RecordedSpeechError.noClips(directory.path) }
        return try names.map { name in
            let audio = directory.appendingPathComponent(name)
            let clip: AudioClip
            do { clip = try loader.load(path: audio.path) } catch { throw RecordedSpeechError.unreadableAudio(audio.path, reason: error.localizedDescription) }
            let alignment = directory.appendingPathComponent(String(name.dropLast(4)) + ".phone.json")
            let phones = FileManager.default.fileExists(atPath: alignment.path) ? try PocketSphinxAlignment.phones(file: alignment) : nil
            return RecordedSpeechClip(id: String(name.dropLast(4)), samples: clip.samples, phones: phones)
        }
    }
}

/// What went wrong reading a recorded-speech folder.
package enum RecordedSpeechError: Error, CustomStringConvertible, Equatable {
    case noFolder(String)
    case unreadableFolder(String, reason: String)
    case noClips(String)
    case unreadableAudio(String, reason: String)
    case badAlignment(String, reason: String)

    package var description: String {
        switch self {
        case .noFolder(let path): "\(path): no such folder (scripts/fetch_human_speech.sh, or make human-speech, fetches five LibriVox clips into data/human-speech)"
        case .unreadableFolder(let path, let reason): "\(path): cannot list the folder (\(reason))"
        case .noClips(let path): "\(path): no .wav clips (scripts/fetch_human_speech.sh fetches five LibriVox clips there)"
        case .unreadableAudio(let path, let reason): "\(path): cannot read the audio (\(reason))"
        case .badAlignment(let path, let reason): "\(path): not a PocketSphinx phone alignment (\(reason))"
        }
    }
}

/// PocketSphinx's JSON alignment (`pocketsphinx align --phone`): the utterance's `w` lists words, each
/// with `b` (begin, s), `d` (duration, s), `t` (text; "<sil>" for a pause) and its own `w` of phones.
package enum PocketSphinxAlignment {
    struct Segment: Decodable {
        var b: Double
        var d: Double
        var t: String
        var w: [Segment]?
    }

    /// The phones in time order: lower-case, stress digits dropped, pauses ("SIL", noise) as "sil".
    package static func phones(file: URL) throws -> [TimedPhone] {
        let data: Data
        do { data = try Data(contentsOf: file) } catch { throw RecordedSpeechError.badAlignment(file.path, reason: error.localizedDescription) }
        return try phones(json: data, source: file.path)
    }

    /// `phones(file:)` on the file's bytes; `source` names it in errors.
    package static func phones(json data: Data, source: String) throws -> [TimedPhone] {
        let utterance: Segment
        do { utterance = try JSONDecoder().decode(Segment.self, from: data) } catch {
            throw RecordedSpeechError.badAlignment(source, reason: "\(error)")
        }
        guard let words = utterance.w else { throw RecordedSpeechError.badAlignment(source, reason: "no words (\"w\")") }
        var phones: [TimedPhone] = []
        for word in words {
            try check(word, "word", source)
            // Fillers (<sil>, <s>, [NOISE]) may come without phones; a real word without them means the
            // file was aligned without --phone, and scoring it as silence would be wrong.
            let isFiller = word.t.hasPrefix("<") || word.t.hasPrefix("[") || word.t.hasPrefix("+")
            guard let segments = word.w ?? (isFiller ? [Segment(b: word.b, d: word.d, t: "SIL", w: nil)] : nil) else {
                throw RecordedSpeechError.badAlignment(source, reason: "word \"\(word.t)\" has no phones (align with --phone)")
            }
            for phone in segments {
                try check(phone, "phone", source)
                let label = phone.t.lowercased().filter { !$0.isNumber }
                let isPause = isFiller || label == "sil" || label.hasPrefix("+")
                phones.append(TimedPhone(phone: isPause ? "sil" : label, start: phone.b, end: phone.b + phone.d))
            }
        }
        return phones.sorted { $0.start < $1.start }
    }

    static func check(_ segment: Segment, _ kind: String, _ source: String) throws {
        guard segment.b.isFinite, segment.d.isFinite, segment.b >= 0, segment.d >= 0 else {
            throw RecordedSpeechError.badAlignment(source, reason: "\(kind) \"\(segment.t)\" has begin \(segment.b), duration \(segment.d)")
        }
    }
}

/// Scores of the model on recorded speech.
package struct RecordedSpeechScores: Codable, Sendable, Equatable {
    package var clips: Int
    package var audio_seconds: Double
    /// Bilabial (p, b, m) segments with lips judged closed below 1.5 mm, and their share.
    package var bilabial_segments: Int
    package var lip_closure_rate: Double?
    /// Mean over clips of the loudness ↔ lip-opening correlation.
    package var slcc: Double?
    /// Mean lip gap (mm) over the frames whose time f / fps falls in a word's phone, and in a pause
    /// (silence before, between and after words): a mouth that moves with speech opens in words and rests
    /// in pauses. Each frame counts once, for the phone it lies in.
    package var mean_lip_gap_speech_mm: Double?
    package var mean_lip_gap_pause_mm: Double?
    /// Wall time of the animation and audio seconds per wall second.
    package var animate_seconds: Double
    package var real_time_factor: Double
}

/// Adds up `RecordedSpeechScores` clip by clip.
package struct RecordedSpeechAccumulator: Sendable {
    let signals: FaceSignals
    let closureThreshold: Float
    var closure = LipSyncMetrics.ClosureCount()
    var slcc = Mean()
    var speechGap = Mean(), pauseGap = Mean()
    var clips = 0, audioSeconds = 0.0, animateSeconds = 0.0

    package init(rig: FaceRig = DefaultHead.shared, closureThreshold: Float = LipGeometry.closedThresholdMillimetres / 1000) {
        self.closureThreshold = closureThreshold
        signals = FaceSignals(rig: rig)
    }

    /// Adds one clip's animation (made in `seconds` of wall time), at the animation's own frame rate.
    package mutating func add(_ clip: RecordedSpeechClip, animation: FaceAnimation, seconds: Double) {
        clips += 1
        audioSeconds += Double(clip.samples.count) / 16_000
        animateSeconds += seconds
        let fps = animation.fps
        let gaps = signals.lipGap(animation)
        guard !gaps.isEmpty else { return }
        let loudness = LipSyncMetrics.loudness(samples: clip.samples, sampleRate: 16_000, fps: fps, frameCount: gaps.count)
        slcc.add(LipSyncMetrics.slcc(loudness: loudness, opening: gaps))
        guard let phones = clip.phones else { return }
        // Closure takes the smallest gap over every frame a bilabial touches (LipSyncMetrics.frames);
        // the means give each frame to the one phone its time lies in, so boundaries count once.
        closure = closure + LipSyncMetrics.closure(gaps: gaps, phones: phones, fps: fps, threshold: closureThreshold)
        var next = 0
        for frame in gaps.indices {
            let time = Double(frame) / fps
            while next < phones.count, phones[next].end <= time { next += 1 }
            guard next < phones.count, phones[next].start <= time else { continue }
            let millimetres = Double(gaps[frame]) * 1000
            if phones[next].phone == "sil" { pauseGap.add(millimetres) } else { speechGap.add(millimetres) }
        }
    }

    package var scores: RecordedSpeechScores {
        RecordedSpeechScores(clips: clips, audio_seconds: audioSeconds, bilabial_segments: closure.total,
                             lip_closure_rate: closure.rate, slcc: slcc.value,
                             mean_lip_gap_speech_mm: speechGap.value, mean_lip_gap_pause_mm: pauseGap.value,
                             animate_seconds: animateSeconds,
                             real_time_factor: animateSeconds > 0 ? audioSeconds / animateSeconds : 0)
    }
}
