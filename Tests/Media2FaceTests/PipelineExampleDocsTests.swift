import Foundation
import Testing

/// docs/USAGE.md shows the example package's code as it is (make test builds and runs the example, so
/// the documented code compiles against the public API).
struct PipelineExampleDocsTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test func usageShowsTheExampleVerbatim() throws {
        let example = try String(contentsOf: Self.root.appendingPathComponent("Examples/AnimateHello/Sources/AnimateHello/AnimateHello.swift"), encoding: .utf8)
        let usage = try String(contentsOf: Self.root.appendingPathComponent("docs/USAGE.md"), encoding: .utf8)
        // The example without its header comment, as the guide prints it.
        let body = example.replacingOccurrences(of: #"(?m)^///.*\n"#, with: "", options: .regularExpression)
        #expect(usage.contains("```swift\n" + body + "```"), "docs/USAGE.md's Swift API section differs from Examples/AnimateHello")
    }
}
