import Foundation
import M2FEngine

/// A golden fixture written by `scripts/fixtures/make_engine_fixtures.py` (see RECIPE.md beside the
/// files): inputs, parameters, outputs and gradients from PyTorch, plus a JSON config.
public struct Fixture {
    public let name: String
    public let file: SafeTensorsFile
    public let config: [String: Any]

    /// Loads `Tests/Fixtures/<group>/<name>.safetensors`.
    public init(_ name: String, group: String = "engine") throws {
        self.name = name
        let path = Fixture.directory.appendingPathComponent(group).appendingPathComponent("\(name).safetensors").path
        file = try SafeTensorsFile(path: path)
        let json = file.metadata["config"].flatMap { $0.data(using: .utf8) } ?? Data("{}".utf8)
        config = (try JSONSerialization.jsonObject(with: json)) as? [String: Any] ?? [:]
    }

    /// The `Tests/Fixtures` folder of this checkout.
    public static var directory: URL {
        URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures")
    }

    public func tensor(_ key: String) throws -> Tensor { try file.tensor(named: key) }
    public func input(_ name: String) throws -> Tensor { try tensor("in.\(name)") }
    public func gradInput(_ name: String) throws -> Tensor { try tensor("grad.in.\(name)") }
    public var output: Tensor { get throws { try tensor("out") } }
    public var gradOutput: Tensor { get throws { try tensor("grad_out") } }

    /// `param.*` tensors with the prefix removed (a PyTorch state_dict).
    public func parameters() throws -> [String: Tensor] {
        var result: [String: Tensor] = [:]
        for name in file.names where name.hasPrefix("param.") {
            result[String(name.dropFirst("param.".count))] = try tensor(name)
        }
        return result
    }

    /// Integer indices stored as float32.
    public func indices(_ name: String) throws -> [Int] { try input(name).toArray().map { Int($0) } }

    public func int(_ key: String) -> Int { config[key] as? Int ?? 0 }
}
