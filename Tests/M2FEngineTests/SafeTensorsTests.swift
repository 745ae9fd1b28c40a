import Foundation
import M2FEngine
import M2FTestSupport
import Testing

@Suite("safetensors")
struct SafeTensorsTests {
    func temporaryPath(_ name: String) -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("m2f-tests-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory.appendingPathComponent(name).path
    }

    @Test func float32RoundTripIsExact() throws {
        let path = temporaryPath("weights.safetensors")
        let a = Tensor([1, -2.5, 3e-8, 4e8, 0, -0], shape: [2, 3])
        let scalar = Tensor(scalar: 7)
        try SafeTensors.write(["layer.weight": a, "step": scalar], to: path, metadata: ["format": "pt"])
        let file = try SafeTensorsFile(path: path)
        #expect(file.names == ["layer.weight", "step"])
        #expect(file.metadata["format"] == "pt")
        #expect(try file.tensor(named: "layer.weight").toArray() == a.toArray())
        #expect(try file.tensor(named: "step").shape == [])
        #expect(try file.tensor(named: "step").item() == 7)
    }

    @Test func float16WriteAndReadRoundsToHalfPrecision() throws {
        let path = temporaryPath("half.safetensors")
        let values: [Float] = [1, 0.1, -65504, 6.1e-5, 1e-7, 70000]
        try SafeTensors.write(["x": Tensor(values, shape: [6])], to: path, dtype: .float16)
        let back = try SafeTensorsFile(path: path).tensor(named: "x").toArray()
        #expect(back[0] == 1)
        #expect(Swift.abs(back[1] - 0.1) < 1e-4)
        #expect(back[2] == -65504)
        #expect(Swift.abs(back[3] - 6.1e-5) < 1e-7)
        #expect(Swift.abs(back[4] - 1e-7) < 6e-8)  // subnormal half
        #expect(back[5] == .infinity)  // overflow saturates like PyTorch's .half()
    }

    @Test func halfConversionMatchesKnownBitPatterns() {
        // Reference bit patterns from IEEE 754 binary16 (numpy.float16(...).view(uint16)).
        let cases: [(Float, UInt16)] = [(1, 0x3C00), (-2, 0xC000), (0.5, 0x3800), (65504, 0x7BFF), (5.960464e-8, 0x0001), (0.33333334, 0x3555)]
        for (value, bits) in cases {
            #expect(HalfPrecision.half(from: value) == bits, "\(value)")
            #expect(Swift.abs(HalfPrecision.float(fromHalf: bits) - value) <= Swift.abs(value) * 1e-3)
        }
        #expect(HalfPrecision.float(fromBFloat16: 0x3F80) == 1)
        #expect(HalfPrecision.float(fromBFloat16: 0xC040) == -3)
    }

    @Test func readsBFloat16WrittenByHand() throws {
        let path = temporaryPath("bf16.safetensors")
        let header = #"{"w":{"dtype":"BF16","shape":[2],"data_offsets":[0,4]}}"#
        var data = Data()
        withUnsafeBytes(of: UInt64(header.utf8.count).littleEndian) { data.append(contentsOf: $0) }
        data.append(Data(header.utf8))
        for bits: UInt16 in [0x3F80, 0xC040] { withUnsafeBytes(of: bits.littleEndian) { data.append(contentsOf: $0) } }
        try data.write(to: URL(fileURLWithPath: path))
        #expect(try SafeTensorsFile(path: path).tensor(named: "w").toArray() == [1, -3])
    }

    @Test func malformedFilesNameTheFileAndTheProblem() throws {
        let good = temporaryPath("good.safetensors")
        try SafeTensors.write(["w": Tensor.ones([4, 4])], to: good)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: good))

        let cases: [(String, Data, String)] = [
            ("empty.safetensors", Data(), "too short"),
            ("truncated.safetensors", bytes.prefix(bytes.count - 10), "outside"),
            ("header-cut.safetensors", bytes.prefix(20), "does not fit"),
            ("not-json.safetensors", { var d = Data(); withUnsafeBytes(of: UInt64(4).littleEndian) { d.append(contentsOf: $0) }; d.append(Data("nope".utf8)); return d }(), "not a JSON object"),
        ]
        for (name, content, problem) in cases {
            let path = temporaryPath(name)
            try content.write(to: URL(fileURLWithPath: path))
            do {
                _ = try SafeTensorsFile(path: path)
                Issue.record("\(name) was accepted")
            } catch {
                let message = error.localizedDescription
                #expect(message.contains(name) && message.contains(problem), "\(message)")
            }
        }
        #expect(throws: EngineError.self) { try SafeTensorsFile(path: temporaryPath("missing.safetensors")) }
        #expect(throws: EngineError.tensorNotFound(path: good, name: "bias")) { try SafeTensorsFile(path: good).tensor(named: "bias") }
    }

    @Test func atomicWriteLeavesNoTemporaryFilesAndReplacesOldContent() throws {
        let path = temporaryPath("checkpoint.safetensors")
        try SafeTensors.write(["w": Tensor.ones([2])], to: path)
        try SafeTensors.write(["w": Tensor.zeros([3])], to: path)
        #expect(try SafeTensorsFile(path: path).tensor(named: "w").toArray() == [0, 0, 0])
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["checkpoint.safetensors"])
        #expect(throws: EngineError.self) { try SafeTensors.write(["w": Tensor.ones([1])], to: "/nonexistent-dir/x.safetensors") }
    }

    @Test func pyTorchWrittenFixtureLoads() throws {
        let fixture = try Fixture("linear")
        let weight = try fixture.parameters()["weight"]
        #expect(weight?.rank == 2)
    }
}
