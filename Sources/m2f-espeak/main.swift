import Foundation

// m2f-espeak: eSpeak NG synthesis for `m2f dataset build`, as a separate program.
//
// Why a separate program: libespeak-ng is GPL-3. Linking it into `m2f` would put the animation binary
// that users ship inside their games and apps under the GPL; as a helper spoken to over pipes, only
// this program is. `m2f` finds it next to itself (or through M2F_ESPEAK) and needs it only to build
// datasets with eSpeak voices. Protocol: EspeakProtocol.swift.

let decoder = JSONDecoder()
let encoder = JSONEncoder()

func send(_ response: SynthesisResponse, _ samples: [Int16]) {
    var header = (try? encoder.encode(response)) ?? Data(#"{"ok":false,"failure":"request","message":"encoding"}"#.utf8)
    header.append(0x0A)
    samples.map(\.littleEndian).withUnsafeBytes { header.append(contentsOf: $0) }
    FileHandle.standardOutput.write(header)
}

if CommandLine.arguments.count > 1 {
    FileHandle.standardError.write(Data("""
        usage: m2f-espeak   (reads one JSON request per line on stdin; see EspeakProtocol.swift)
        The eSpeak NG helper of `m2f dataset build`; GPL-3 because it links libespeak-ng.

        """.utf8))
    exit(CommandLine.arguments[1] == "--help" ? 0 : 2)
}

while let line = readLine(strippingNewline: true) {
    guard let request = try? decoder.decode(SynthesisRequest.self, from: Data(line.utf8)) else {
        send(SynthesisResponse(ok: false, failure: "request", message: "not a synthesis request: \(line.prefix(80))"), [])
        continue
    }
    let (response, samples) = EspeakLibrary.synthesize(request)
    send(response, samples)
}
