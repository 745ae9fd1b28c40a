import ArgumentParser
import Foundation
import M2FEncoders

/// `m2f embed-text "…"`: the 384-d MiniLM sentence vector of a style prompt, as a JSON array.
struct EmbedTextCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "embed-text",
        abstract: "Print a style prompt's 384-d sentence vector (all-MiniLM-L6-v2) as a JSON array; --compare adds a cosine line.",
        discussion: """
            Empty or whitespace-only text is valid (it encodes as [CLS] [SEP]); text past 254 WordPiece tokens is \
            truncated. Needs `m2f models fetch` first.
            """)

    @Argument(help: "The prompt (omit with --file).")
    var text: String?

    @Option(help: "Read the prompt from this UTF-8 file instead.")
    var file: String?

    @Option(help: "A second prompt: prints {\"cosine\": …} on a second line.")
    var compare: String?

    func validate() throws {
        if (text == nil) == (file == nil) { throw ValidationError("give the prompt either as an argument or with --file PATH") }
    }

    func run() throws {
        let prompt = try file.map { try TextInput.read(path: $0) } ?? text!
        let encoder = try SentenceEncoder()
        let vector = encoder.embed(prompt)
        print("[" + vector.map { "\($0)" }.joined(separator: ",") + "]")
        if let compare {
            let cosine = SentenceEncoder.cosine(vector, encoder.embed(compare))
            print("{\"cosine\": \(cosine)}")
        }
    }
}
