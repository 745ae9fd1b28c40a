import Foundation

/// Token ids of one text: `[CLS] pieces… [SEP]`, at most `maxLength` long.
public struct TokenizedText: Sendable, Equatable {
    public var ids: [Int]
    /// The pieces as text (`[CLS]`, `happy`, `##ness`, …), for debugging and tests.
    public var tokens: [String]
}

/// A padded batch: ids and mask laid out [B, T] row-major, T the longest sequence.
public struct TokenBatch: Sendable, Equatable {
    public var ids: [Int]
    /// 1 for real tokens, 0 for padding, [B, T].
    public var mask: [Float]
    /// Real length of each sequence.
    public var lengths: [Int]
    /// B and T.
    public var batchSize: Int { lengths.count }
    public var sequenceLength: Int { lengths.isEmpty ? 0 : ids.count / lengths.count }
}

/// BERT's uncased WordPiece tokenizer, read from a HuggingFace `tokenizer.json`, matching the `tokenizers`
/// library: special tokens matched verbatim first; then BERT normalisation (drop control characters,
/// whitespace to spaces, spaces around CJK ideographs, NFD accent stripping, lower-casing); split on
/// whitespace and around punctuation; greedy longest-match-first pieces with `##` continuations, a word
/// that cannot be covered (or longer than 100 scalars) becoming `[UNK]`.
public struct WordPieceTokenizer: Sendable {
    /// Normalisation switches (the `normalizer` object of tokenizer.json).
    public struct Normalization: Sendable, Equatable {
        public var cleanText = true
        public var handleChineseChars = true
        public var stripAccents = true
        public var lowercase = true

        public init(cleanText: Bool = true, handleChineseChars: Bool = true, stripAccents: Bool = true, lowercase: Bool = true) {
            self.cleanText = cleanText
            self.handleChineseChars = handleChineseChars
            self.stripAccents = stripAccents
            self.lowercase = lowercase
        }
    }

    /// Vocabulary keyed by Unicode scalars: Swift `String` equality is canonical equivalence, which would
    /// match a decomposed Hangul word to a precomposed vocabulary entry that `tokenizers` never matches.
    struct Piece: Hashable, Sendable { var scalars: [UInt32] }

    let wordStarts: [Piece: Int]
    let continuations: [Piece: Int]
    let specialTokens: [(text: String, id: Int)]
    let idToToken: [Int: String]
    public let normalization: Normalization
    public let unknownID: Int
    public let classifierID: Int
    public let separatorID: Int
    public let paddingID: Int
    /// Longest word (in scalars) that is split into pieces; longer words become `[UNK]`. Default 100.
    public let maxInputCharsPerWord: Int
    /// Sequence length limit including `[CLS]` and `[SEP]`. Default 256 (sentence-transformers' `max_seq_length`).
    public var maxLength: Int

    /// Reads `tokenizer.json`.
    /// - Throws: `EncoderError.unreadable` or `.malformedTokenizer` naming the file.
    public init(contentsOf path: String, maxLength: Int = 256) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw EncoderError.unreadable(path: path, reason: "cannot read the tokenizer")
        }
        guard let json = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw EncoderError.malformedTokenizer(path: path, problem: "not a JSON object")
        }
        guard let model = json["model"] as? [String: Any], model["type"] as? String == "WordPiece",
              let vocabulary = model["vocab"] as? [String: Int] else {
            throw EncoderError.malformedTokenizer(path: path, problem: "model.type is not WordPiece with a vocab")
        }
        let normalizer = json["normalizer"] as? [String: Any] ?? [:]
        var normalization = Normalization()
        normalization.cleanText = normalizer["clean_text"] as? Bool ?? true
        normalization.handleChineseChars = normalizer["handle_chinese_chars"] as? Bool ?? true
        normalization.lowercase = normalizer["lowercase"] as? Bool ?? true
        // tokenizers: `strip_accents: null` follows `lowercase`.
        normalization.stripAccents = normalizer["strip_accents"] as? Bool ?? normalization.lowercase
        let added = (json["added_tokens"] as? [[String: Any]] ?? []).compactMap { token -> (String, Int)? in
            guard let content = token["content"] as? String, let id = token["id"] as? Int else { return nil }
            return (content, id)
        }
        try self.init(vocabulary: vocabulary, specialTokens: added, normalization: normalization,
                      continuingPrefix: model["continuing_subword_prefix"] as? String ?? "##",
                      unknownToken: model["unk_token"] as? String ?? "[UNK]",
                      maxInputCharsPerWord: model["max_input_chars_per_word"] as? Int ?? 100,
                      maxLength: maxLength, source: path)
    }

    /// A tokenizer from a vocabulary (token → id); `[CLS]`, `[SEP]`, `[PAD]` and the unknown token must be in it.
    public init(vocabulary: [String: Int], specialTokens: [(String, Int)] = [], normalization: Normalization = Normalization(),
                continuingPrefix: String = "##", unknownToken: String = "[UNK]", maxInputCharsPerWord: Int = 100,
                maxLength: Int = 256, source: String = "vocabulary") throws {
        precondition(maxLength >= 2, "maxLength must leave room for [CLS] and [SEP]")
        func required(_ token: String) throws -> Int {
            guard let id = vocabulary[token] else { throw EncoderError.malformedTokenizer(path: source, problem: "vocabulary lacks \(token)") }
            return id
        }
        unknownID = try required(unknownToken)
        classifierID = try required("[CLS]")
        separatorID = try required("[SEP]")
        paddingID = try required("[PAD]")
        var starts: [Piece: Int] = [:], continuations: [Piece: Int] = [:], names: [Int: String] = [:]
        // Compared by scalars: `hasPrefix` on `String` works on grapheme clusters, and `##ि` (a spacing
        // mark after `#`) does not start with the cluster `##`.
        let prefix = Array(continuingPrefix.unicodeScalars.map(\.value))
        for (token, id) in vocabulary {
            names[id] = token
            let scalars = token.unicodeScalars.map(\.value)
            if scalars.count > prefix.count && scalars.starts(with: prefix) {
                continuations[Piece(scalars: Array(scalars.dropFirst(prefix.count)))] = id
            }
            starts[Piece(scalars: scalars)] = id
        }
        wordStarts = starts
        self.continuations = continuations
        idToToken = names
        // Longest first, so `[MASK]x` never matches a shorter special token that is its prefix.
        self.specialTokens = specialTokens.filter { !$0.0.isEmpty }.sorted { $0.0.unicodeScalars.count > $1.0.unicodeScalars.count }
        self.normalization = normalization
        self.maxInputCharsPerWord = maxInputCharsPerWord
        self.maxLength = maxLength
    }

    /// The token for `id` (`[UNK]`-style names included), or nil for an id outside the vocabulary.
    public func token(for id: Int) -> String? { idToToken[id] }

    /// `[CLS] pieces… [SEP]`, truncated to `maxLength` (the pieces are cut, the markers kept).
    public func encode(_ text: String) -> TokenizedText {
        let budget = maxLength - 2
        var ids = [classifierID]
        ids.reserveCapacity(Swift.min(budget, 64) + 2)
        for segment in splitOnSpecialTokens(text) {
            if ids.count - 1 >= budget { break }
            switch segment {
            case let .special(id): ids.append(id)
            case let .text(chunk): appendPieces(of: chunk, to: &ids, limit: budget + 1)
            }
        }
        if ids.count > budget + 1 { ids.removeLast(ids.count - budget - 1) }
        ids.append(separatorID)
        return TokenizedText(ids: ids, tokens: ids.map { idToToken[$0] ?? "?" })
    }

    /// Encodes each text and pads to the longest with `[PAD]` (mask 0).
    public func encodeBatch(_ texts: [String]) -> TokenBatch {
        let encoded = texts.map { encode($0).ids }
        let length = encoded.map(\.count).max() ?? 0
        var ids: [Int] = [], mask: [Float] = []
        ids.reserveCapacity(texts.count * length)
        mask.reserveCapacity(texts.count * length)
        for sequence in encoded {
            ids += sequence + Array(repeating: paddingID, count: length - sequence.count)
            mask += Array(repeating: 1, count: sequence.count) + Array(repeating: 0, count: length - sequence.count)
        }
        return TokenBatch(ids: ids, mask: mask, lengths: encoded.map(\.count))
    }

    // MARK: Stages

    enum Segment: Equatable {
        case text(Substring)
        case special(Int)
    }

    /// Special tokens (`[CLS]`, `[MASK]`, …) are matched verbatim in the raw text, before normalisation.
    func splitOnSpecialTokens(_ text: String) -> [Segment] {
        guard !specialTokens.isEmpty, text.contains("[") else { return [.text(Substring(text))] }
        var segments: [Segment] = []
        let scalars = text.unicodeScalars
        var segmentStart = scalars.startIndex, index = scalars.startIndex
        outer: while index < scalars.endIndex {
            if scalars[index] == "[" {
                let rest = scalars[index...]
                for (token, id) in specialTokens where rest.starts(with: token.unicodeScalars) {
                    if segmentStart < index { segments.append(.text(Substring(scalars[segmentStart..<index]))) }
                    segments.append(.special(id))
                    index = scalars.index(index, offsetBy: token.unicodeScalars.count)
                    segmentStart = index
                    continue outer
                }
            }
            index = scalars.index(after: index)
        }
        if segmentStart < scalars.endIndex { segments.append(.text(Substring(scalars[segmentStart...]))) }
        return segments
    }

    /// BERT normalisation of `text`, as Unicode scalars.
    func normalize(_ text: Substring) -> [Unicode.Scalar] {
        var scalars: [Unicode.Scalar] = []
        scalars.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars {
            if normalization.cleanText {
                if scalar.value == 0 || scalar.value == 0xFFFD || Self.isControl(scalar) { continue }
                if Self.isWhitespace(scalar) { scalars.append(" "); continue }
            }
            if normalization.handleChineseChars && Self.isChineseCharacter(scalar) {
                scalars.append(" "); scalars.append(scalar); scalars.append(" ")
            } else {
                scalars.append(scalar)
            }
        }
        if normalization.stripAccents && scalars.contains(where: { $0.value >= 0x80 }) {
            var view = String.UnicodeScalarView()
            view.append(contentsOf: scalars)
            scalars = String(view).decomposedStringWithCanonicalMapping.unicodeScalars
                .filter { $0.properties.generalCategory != .nonspacingMark }
        }
        if normalization.lowercase {
            var lowered: [Unicode.Scalar] = []
            lowered.reserveCapacity(scalars.count)
            for scalar in scalars {
                if scalar.isASCII {
                    lowered.append(scalar.value >= 65 && scalar.value <= 90 ? Unicode.Scalar(scalar.value + 32)! : scalar)
                } else {
                    lowered.append(contentsOf: scalar.properties.lowercaseMapping.unicodeScalars)
                }
            }
            scalars = lowered
        }
        return scalars
    }

    /// Normalises, splits into words and appends each word's piece ids, stopping once `ids` holds `limit`.
    func appendPieces(of text: Substring, to ids: inout [Int], limit: Int) {
        let scalars = normalize(text)
        var wordStart = 0
        func flush(_ end: Int) {
            if end > wordStart { appendWord(scalars[wordStart..<end], to: &ids) }
        }
        for (i, scalar) in scalars.enumerated() {
            if ids.count >= limit { return }
            if Self.isWhitespace(scalar) {
                flush(i)
                wordStart = i + 1
            } else if Self.isPunctuation(scalar) {
                flush(i)
                appendWord(scalars[i..<(i + 1)], to: &ids)
                wordStart = i + 1
            }
        }
        flush(scalars.count)
    }

    /// Greedy longest-match-first WordPiece of one word.
    func appendWord(_ word: ArraySlice<Unicode.Scalar>, to ids: inout [Int]) {
        if word.count > maxInputCharsPerWord { ids.append(unknownID); return }
        let values = word.map(\.value)
        var pieces: [Int] = []
        var start = 0
        while start < values.count {
            var end = values.count
            var found: Int?
            let table = start == 0 ? wordStarts : continuations
            while end > start {
                if let id = table[Piece(scalars: Array(values[start..<end]))] { found = id; break }
                end -= 1
            }
            guard let id = found else { ids.append(unknownID); return }
            pieces.append(id)
            start = end
        }
        ids.append(contentsOf: pieces)
    }

    // MARK: Character classes (as in the `tokenizers` BERT normaliser and pre-tokeniser)

    static func isWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        scalar == "\t" || scalar == "\n" || scalar == "\r" || scalar.properties.isWhitespace
    }

    /// Every "Other" category (Cc, Cf, Cn, Co, Cs) except tab, newline and carriage return.
    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        if scalar == "\t" || scalar == "\n" || scalar == "\r" { return false }
        switch scalar.properties.generalCategory {
        case .control, .format, .unassigned, .privateUse, .surrogate: return true
        default: return false
        }
    }

    /// ASCII punctuation (which includes `$+<=>^`|~`) or any Unicode punctuation category.
    static func isPunctuation(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        if (33...47).contains(v) || (58...64).contains(v) || (91...96).contains(v) || (123...126).contains(v) { return true }
        switch scalar.properties.generalCategory {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
             .initialPunctuation, .finalPunctuation, .otherPunctuation:
            return true
        default:
            return false
        }
    }

    /// The CJK Unified Ideograph blocks BERT puts spaces around.
    static func isChineseCharacter(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x4E00...0x9FFF, 0x3400...0x4DBF, 0x20000...0x2A6DF, 0x2A700...0x2B73F,
             0x2B740...0x2B81F, 0x2B920...0x2CEAF, 0xF900...0xFAFF, 0x2F800...0x2FA1F:
            return true
        default:
            return false
        }
    }
}
