import Foundation
import M2FEngine
import M2FNeural
import M2FTestSupport

/// Small shared helpers for the M2FNeural tests.
enum Helpers {
    /// A [shape] tensor of N(0, 1) values from `seed`.
    static func random(_ shape: [Int], seed: UInt64) -> Tensor {
        var generator = RandomGenerator(seed: seed)
        return Tensor.randomNormal(shape, generator: &generator)
    }

    /// The dotted keys of `module` with their shapes, for readable comparisons.
    static func keyShapes(_ module: any Module) -> [String: [Int]] {
        Dictionary(uniqueKeysWithValues: module.namedParameters().map { ($0.key, $0.parameter.shape) })
    }

    /// Reads `Tests/Fixtures/neural/<name>` as JSON.
    static func json(_ name: String) throws -> [String: Any] {
        let url = Fixture.directory.appendingPathComponent("neural").appendingPathComponent(name)
        return try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
    }
}

extension Dictionary where Key == String, Value == Any {
    func floats(_ key: String) -> [Float] { (self[key] as! [Double]).map { Float($0) } }
    func object(_ key: String) -> [String: Any] { self[key] as! [String: Any] }
}
