import Foundation
import Testing

/// `m2f animate` with an input that is not there: the error names it before any model loads, and when
/// the name is the demo clip's (the README's command run from another folder) it says where the clip is.
@Suite struct AnimateInputTests {
    @Test func aMissingDemoClipIsNamedWithItsRealPlaceBeforeModelsLoad() throws {
        guard M2F.binary != nil else { Issue.record("\(M2F.missing)"); return }
        let scratch = Scratch("animate-missing")
        defer { scratch.remove() }
        let missing = scratch.file("elsewhere/hello.wav")
        let result = try M2F.run(["animate", missing, "-o", scratch.file("x")])
        #expect(result.status != 0)
        #expect(result.errors.contains("\(missing): cannot read the file"), "\(result.errors)")
        #expect(result.errors.contains("the demo clip hello.wav is at "), "\(result.errors)")
        #expect(result.errors.contains("Examples/hello.wav"), "\(result.errors)")
        #expect(!result.errors.contains("loading models"), "models loaded for a missing input: \(result.errors)")
        #expect(scratch.names.isEmpty, "wrote \(scratch.names)")
    }

    @Test func anyOtherMissingFileIsNamedWithoutAHint() throws {
        guard M2F.binary != nil else { Issue.record("\(M2F.missing)"); return }
        let scratch = Scratch("animate-missing-other")
        defer { scratch.remove() }
        let result = try M2F.run(["animate", scratch.file("take-042.wav"), "-o", scratch.file("x")])
        #expect(result.status != 0)
        #expect(result.errors.contains("take-042.wav: cannot read the file (no such file or no permission to read it)"), "\(result.errors)")
        #expect(!result.errors.contains("demo clip"))
    }
}
