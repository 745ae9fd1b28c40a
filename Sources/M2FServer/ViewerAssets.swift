import Foundation
import HTTPTypes
import Hummingbird
import M2FFace
import NIOCore

/// The web viewer's files: our page and script (this target's resources) at / and /viewer.js, and the
/// two three.js modules it imports, read from Debian's libjs-three (never committed here).
///
/// Debian 12 ships three.js r111 with GLTFLoader under examples/jsm, which imports
/// "../../../build/three.module.js"; serving both under /three/ at their Debian paths keeps that
/// relative import working. Only these files are served: no directory walking.
struct ViewerAssets: Sendable {
    let threeDirectory: String
    let demoAudio: String?

    static let pages: [(route: String, file: String, type: String)] = [
        ("/", "index.html", "text/html; charset=utf-8"),
        ("/viewer.js", "viewer.js", "text/javascript; charset=utf-8"),
    ]
    static let threeFiles = ["build/three.module.js", "examples/jsm/loaders/GLTFLoader.js"]

    func addRoutes(to router: Router<some RequestContext>) {
        for page in Self.pages {
            router.get(RouterPath(page.route)) { _, _ in
                guard let url = Bundle.module.url(forResource: page.file, withExtension: nil, subdirectory: "Viewer"),
                      let data = try? Data(contentsOf: url) else {
                    throw ServerError.internalFailure("the viewer's \(page.file) is missing from the m2f installation (M2FServer resources).")
                }
                return Self.file(data, type: page.type)
            }
        }
        router.get("/demo.wav") { _, _ in
            guard let demoAudio, let data = FileManager.default.contents(atPath: demoAudio) else {
                throw ServerError.notFound(path: "/demo.wav (no demo clip: m2f serve --demo-audio FILE.wav)")
            }
            return Self.file(data, type: "audio/wav")
        }
        for file in Self.threeFiles {
            router.get(RouterPath("/three/" + file)) { _, _ in
                let path = (threeDirectory as NSString).appendingPathComponent(file)
                guard let data = FileManager.default.contents(atPath: path) else {
                    throw ServerError.internalFailure("\(path) is missing: the viewer needs three.js from Debian's libjs-three "
                                                      + "(scripts/bootstrap.sh installs it; or pass --three-dir).")
                }
                return Self.file(data, type: "text/javascript; charset=utf-8")
            }
        }
    }

    static func file(_ data: Data, type: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = type
        headers[.cacheControl] = "no-cache"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

/// The default head as GLB with its 52 morph targets and no animation, built once (about 2 s) on first use.
actor HeadAsset {
    private var cached: Data?

    func data() -> Data {
        if let cached { return cached }
        let data = GLTFWriter.data(nil, rig: DefaultHead.shared, audio: nil, binary: true)
        cached = data
        return data
    }
}
