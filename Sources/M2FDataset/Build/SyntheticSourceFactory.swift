import Foundation

/// The standard sources of `m2f dataset build --synthetic`: the voice catalog (flite and eSpeak NG,
/// with its held-out voices), the sentence corpus (fortunes + grammar, with its held-out sentences)
/// and the phonetic teacher with its standard configuration.
public enum SyntheticSourceFactory {
    /// - Throws: `SpeechError` when the fortune files are missing (install fortunes-min).
    public static func standard(catalog: VoiceCatalog = .standard) throws -> SyntheticSources {
        let corpus = try SentenceCorpus.build()
        let teacher = TeacherAnimator()
        return SyntheticSources(
            voices: catalog.entries.map(\.voice.synthesizer),
            profiles: catalog.entries.map {
                VoiceProfile(id: $0.voiceID, gender: $0.gender, language: "en", split: DatasetSplit(rawValue: $0.split.rawValue))
            },
            sentences: corpus.sentences.map(\.text),
            sentenceSplits: corpus.sentences.map { DatasetSplit(rawValue: $0.split.rawValue)! },
            corpusFingerprint: corpus.fingerprint,
            teacher: teacher, teacherVersion: "phonetic-v\(teacher.configuration.version)")
    }
}
