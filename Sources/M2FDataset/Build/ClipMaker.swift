import Foundation
import M2FAudio
import M2FFace

/// What a synthetic build draws on: the voices (with their profiles, same order), the sentence corpus
/// and the teacher animator.
public struct SyntheticSources: Sendable {
    public var voices: [any SpeechSynthesizing]
    public var profiles: [VoiceProfile]
    public var sentences: [String]
    /// The corpus's split of each sentence; nil lets the planner hold out 5 % + 5 %.
    public var sentenceSplits: [DatasetSplit]?
    /// Names the exact corpus (stored in `dataset.json`; a resumed build must use the same).
    public var corpusFingerprint: String
    public var teacher: any TeacherAnimating
    /// The teacher's configuration version, stored in `dataset.json`.
    public var teacherVersion: String

    public init(voices: [any SpeechSynthesizing], profiles: [VoiceProfile], sentences: [String], sentenceSplits: [DatasetSplit]? = nil,
                corpusFingerprint: String = "", teacher: any TeacherAnimating, teacherVersion: String) {
        precondition(voices.count == profiles.count, "one profile per voice")
        precondition(sentenceSplits == nil || sentenceSplits!.count == sentences.count, "one split per sentence")
        self.voices = voices
        self.profiles = profiles
        self.sentences = sentences
        self.sentenceSplits = sentenceSplits
        self.corpusFingerprint = corpusFingerprint
        self.teacher = teacher
        self.teacherVersion = teacherVersion
    }
}

/// Makes one synthetic clip from its spec: speech → checks → augmentation → teacher → checks.
public struct ClipMaker: Sendable {
    public let sources: SyntheticSources
    public let sampleRate: Int
    public let fps: Double

    public init(sources: SyntheticSources, sampleRate: Int = 16_000, fps: Double = 30) {
        self.sources = sources
        self.sampleRate = sampleRate
        self.fps = fps
    }

    /// The clip's record (shard not yet set) and arrays.
    /// - Throws: `DatasetError.clipFailed` naming the problem: a synthesis error, non-finite samples,
    ///   phones that do not fit the audio (mismatched durations), or a non-finite animation.
    public func make(_ spec: ClipSpec) throws(DatasetError) -> (ClipRecord, ClipArrays) {
        func fail(_ problem: String) -> DatasetError { .clipFailed(clip: spec.id, problem: problem) }
        let voice = sources.voices[spec.voiceIndex]
        let profile = sources.profiles[spec.voiceIndex]
        var samples = silence(spec.leadingSilence)
        var phones = [TimedPhone(phone: "pau", start: 0, end: spec.leadingSilence)]
        var transcript: [String] = []
        for (n, sentenceIndex) in spec.sentenceIndices.enumerated() {
            let text = sources.sentences[sentenceIndex]
            let utterance: SpokenUtterance
            do { utterance = try voice.synthesize(text, prosody: spec.prosody) } catch {
                throw fail("voice \(voice.voiceID) failed on sentence \(sentenceIndex): \(error.localizedDescription)")
            }
            let checked = try check(utterance, sentence: sentenceIndex, clip: spec.id)
            if n > 0 { append(silence: spec.gapSilence, to: &samples, phones: &phones) }
            let offset = Double(samples.count) / Double(sampleRate)
            samples += checked.samples
            for phone in checked.phones {
                appendPhone(TimedPhone(phone: phone.phone, start: phone.start + offset, end: phone.end + offset), to: &phones)
            }
            transcript.append(utterance.transcript.isEmpty ? text : utterance.transcript)
        }
        append(silence: spec.trailingSilence, to: &samples, phones: &phones)
        let augmented = AudioAugmenter.apply(spec.augmentation, samples: samples, phones: phones, sampleRate: sampleRate, seed: spec.seed)
        samples = augmented.samples
        phones = augmented.phones
        let duration = Double(samples.count) / Double(sampleRate)
        guard samples.allSatisfy(\.isFinite) else { throw fail("augmented audio holds NaN or infinite samples") }

        let performance = TeacherPerformance(emotion: spec.emotion, intensity: spec.intensity, seed: spec.seed)
        let raw = sources.teacher.animate(phones: phones, samples: samples, sampleRate: sampleRate, duration: duration, fps: fps,
                                          performance: performance)
        let expectedFrames = Int((duration * fps).rounded())
        guard abs(raw.frameCount - expectedFrames) <= 1 else {
            throw fail("teacher made \(raw.frameCount) frames for \(String(format: "%.3f", duration)) s at \(fps) fps (expected \(expectedFrames)): mismatched durations")
        }
        let animation: FaceAnimation
        do { animation = try raw.validated().0 } catch { throw fail("teacher animation: \(error.localizedDescription)") }

        let prosodyLabel = spec.prosody
        let record = ClipRecord(
            id: spec.id, source: .synthetic, voice: voice.voiceID, language: profile.language, duration: duration, fps: fps,
            frameCount: animation.frameCount, sampleCount: samples.count, emotion: spec.emotion, intensity: spec.intensity,
            styleTags: StyleDescription.tags(prosody: prosodyLabel, listening: spec.listening) + spec.augmentation.tags,
            description: StyleDescription.describe(emotion: spec.emotion, intensity: spec.intensity, gender: profile.gender,
                                                   prosody: prosodyLabel, listening: spec.listening),
            transcript: transcript.joined(separator: " "),
            phonemes: phones.map { TimedPhone(phone: $0.phone, start: Self.round6($0.start), end: Self.round6($0.end)) },
            split: spec.split, shard: "", seed: spec.seed)
        return (record, ClipArrays(samples: samples, animation: animation))
    }

    /// Resamples to 16 kHz and checks samples and phones.
    func check(_ utterance: SpokenUtterance, sentence: Int, clip: String) throws(DatasetError) -> SpokenUtterance {
        func fail(_ problem: String) -> DatasetError { .clipFailed(clip: clip, problem: "sentence \(sentence), voice \(utterance.voiceID): \(problem)") }
        var out = utterance
        guard utterance.sampleRate > 0 else { throw fail("sample rate \(utterance.sampleRate)") }
        if utterance.sampleRate != sampleRate {
            out.samples = Resampler(from: utterance.sampleRate, to: sampleRate)(utterance.samples)
            out.sampleRate = sampleRate
        }
        guard !out.samples.isEmpty else { throw fail("no audio") }
        guard out.samples.allSatisfy(\.isFinite) else { throw fail("audio holds NaN or infinite samples") }
        guard !out.phones.isEmpty else { throw fail("no phone timings") }
        let duration = out.duration
        var previousEnd = 0.0
        for (i, phone) in out.phones.enumerated() {
            guard phone.start.isFinite, phone.end.isFinite, phone.end >= phone.start, phone.start >= previousEnd - 0.011 else {
                throw fail("phone \(i) '\(phone.phone)' has times \(phone.start)…\(phone.end) out of order")
            }
            previousEnd = phone.end
        }
        // Phones must cover the audio: a gap of more than 0.25 s either way means the timings and the
        // samples do not belong together.
        guard abs(previousEnd - duration) <= 0.25 else {
            throw fail(String(format: "mismatched durations: phones end at %.3f s, audio lasts %.3f s", previousEnd, duration))
        }
        // Make the last phone end exactly with the audio.
        out.phones[out.phones.count - 1].end = max(out.phones[out.phones.count - 1].start, duration)
        return out
    }

    /// Times in the manifest to the microsecond (shorter lines; far below a frame).
    static func round6(_ value: Double) -> Double { (value * 1_000_000).rounded() / 1_000_000 }

    func silence(_ seconds: Double) -> [Float] { [Float](repeating: 0, count: Int((seconds * Double(sampleRate)).rounded())) }

    func append(silence seconds: Double, to samples: inout [Float], phones: inout [TimedPhone]) {
        let start = Double(samples.count) / Double(sampleRate)
        samples += silence(seconds)
        appendPhone(TimedPhone(phone: "pau", start: start, end: Double(samples.count) / Double(sampleRate)), to: &phones)
    }

    /// Appends, merging consecutive pauses and closing small gaps.
    func appendPhone(_ phone: TimedPhone, to phones: inout [TimedPhone]) {
        guard phone.end > phone.start || phones.isEmpty else { return }
        if var last = phones.last {
            if last.phone == "pau" && phone.phone == "pau" {
                last.end = max(last.end, phone.end)
                phones[phones.count - 1] = last
                return
            }
            var phone = phone
            if phone.start > last.end { phones[phones.count - 1].end = phone.start } else { phone.start = last.end }
            phone.end = max(phone.end, phone.start)
            phones.append(phone)
        } else {
            phones.append(phone)
        }
    }
}
