import Foundation

/// eSpeak NG's English phoneme mnemonics → lower-case ARPAbet without stress (the M2F-D phone set).
///
/// The table covers every mnemonic libespeak-ng 1.51 emits for English over the fortune files with the
/// voices of `VoiceCatalog` (collected with a phoneme-event probe). Diphthongs with an r- or schwa
/// glide that ARPAbet spells as two phones (`A@` = aa r, `@L` = ax l) map to two phones; the span is split
/// between them (`EspeakPhonemeMap.split`). Pauses (`_`, `_:`, `_!`, `_|`) become `pau`.
public enum EspeakPhonemeMap {
    /// Mnemonic → one or two ARPAbet phones.
    public static let table: [String: [String]] = [
        // Consonants.
        "p": ["p"], "b": ["b"], "t": ["t"], "d": ["d"], "k": ["k"], "g": ["g"],
        "f": ["f"], "v": ["v"], "T": ["th"], "D": ["dh"], "s": ["s"], "z": ["z"],
        "S": ["sh"], "Z": ["zh"], "tS": ["ch"], "dZ": ["jh"], "h": ["hh"],
        "m": ["m"], "n": ["n"], "N": ["ng"], "l": ["l"], "r": ["r"], "r-": ["r"],
        "w": ["w"], "w#": ["w"], "j": ["y"], "x": ["hh"],
        "n-": ["n"], "m-": ["m"], "l-": ["l"], "l/": ["l"], "l/2": ["l"],
        // Flaps, unreleased and dental t, glottal stop: ARPAbet (CMUdict) spells them t.
        "t#": ["t"], "t2": ["t"], "t[": ["t"], "d#": ["d"], "?": ["t"],
        // Monophthongs.
        "a": ["ae"], "aa": ["ae"], "a#": ["ah"], "A:": ["aa"], "0": ["aa"],
        "E": ["eh"], "e": ["eh"], "I": ["ih"], "I2": ["ih"], "I#": ["ih"], "i": ["iy"], "i:": ["iy"],
        "V": ["ah"], "U": ["uh"], "u:": ["uw"], "O:": ["ao"], "O": ["ao"], "O2": ["ao"],
        "@": ["ax"], "@2": ["ax"], "@5": ["ax"], "@-": ["ax"], "3": ["er"], "3:": ["er"],
        // Diphthongs.
        "eI": ["ey"], "aI": ["ay"], "aI2": ["ay"], "aU": ["aw"], "oU": ["ow"], "o": ["ow"], "OI": ["oy"],
        // r-coloured and schwa-glide vowels.
        "A@": ["aa", "r"], "O@": ["ao", "r"], "o@": ["ao", "r"], "e@": ["eh", "r"], "i@": ["ih", "r"],
        "i@3": ["ih", "r"], "IR": ["ih", "r"], "U@": ["uh", "r"], "VR": ["ah", "r"],
        "aI@": ["ay", "er"], "aI3": ["ay", "er"], "aU@": ["aw", "er"], "@L": ["ax", "l"],
    ]

    /// The ARPAbet phones for one eSpeak mnemonic: `["pau"]` for pauses, `[]` for modifiers that carry no
    /// segment of their own (`;`, stress and length marks) or a mnemonic this table does not know.
    public static func phones(for mnemonic: String) -> [String] {
        if mnemonic.hasPrefix("_") { return ["pau"] }
        if let phones = table[mnemonic] { return phones }
        // Variant marks eSpeak appends (`#`, `2`, `-`, `[`, `/`): try the bare phoneme.
        var stem = mnemonic
        while let last = stem.last, "#2345-[/;".contains(last) {
            stem.removeLast()
            if let phones = table[stem] { return phones }
        }
        return []
    }

    /// Mnemonics that carry no segment of their own (palatal and length modifiers).
    public static let modifiers: Set<String> = [";", ":", "'", ","]

    /// Mnemonics met that neither the table nor `modifiers` knows (a mapping gap if not empty).
    public static var unknownMnemonics: Set<String> { unknownLock.withLock { unknownSeen } }

    static func noteUnknown(_ mnemonic: String) {
        if modifiers.contains(mnemonic) { return }
        unknownLock.withLock { _ = unknownSeen.insert(mnemonic) }
    }

    private static let unknownLock = NSLock()
    nonisolated(unsafe) private static var unknownSeen = Set<String>()

    /// Splits `start…end` among `count` phones: a vowel + glide pair gives the first 60 %.
    public static func split(start: Double, end: Double, count: Int) -> [(Double, Double)] {
        if count <= 1 { return [(start, end)] }
        let firstShare = count == 2 ? 0.6 : 1 / Double(count)
        var spans: [(Double, Double)] = [(start, start + (end - start) * firstShare)]
        let rest = (end - spans[0].1) / Double(count - 1)
        for index in 1..<count {
            let from = spans[0].1 + rest * Double(index - 1)
            spans.append((from, index == count - 1 ? end : from + rest))
        }
        return spans
    }
}
