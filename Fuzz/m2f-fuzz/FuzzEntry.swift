// libFuzzer's entry points for `m2f-fuzz` (built only by scripts/fuzz.sh, with -sanitize=fuzzer,address:
// libFuzzer supplies `main`). M2F_FUZZ_TARGET names the parser, e.g. `M2F_FUZZ_TARGET=wav m2f-fuzz corpus/`.
import Foundation
import M2FFuzzTargets

nonisolated(unsafe) var selectedTarget = FuzzTarget.wav

@_cdecl("LLVMFuzzerInitialize")
public func fuzzerInitialize(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>) -> CInt {
    let name = ProcessInfo.processInfo.environment["M2F_FUZZ_TARGET"] ?? ""
    guard let target = FuzzTarget(rawValue: name) else {
        let names = FuzzTarget.allCases.map(\.rawValue).joined(separator: ", ")
        FileHandle.standardError.write(Data("m2f-fuzz: set M2F_FUZZ_TARGET to one of \(names) (got '\(name)')\n".utf8))
        exit(2)
    }
    selectedTarget = target
    return 0
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzerTestOneInput(_ bytes: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    selectedTarget.run(bytes.map { Data(bytes: $0, count: size) } ?? Data())
    return 0
}
