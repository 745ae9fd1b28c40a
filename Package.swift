// swift-tools-version:6.1
// Media2Face in Swift: one library target per concern, in dependency order (see docs/ARCHITECTURE.md).
import PackageDescription

#if os(Linux)
let blasDependencies: [Target.Dependency] = ["CBLAS"]
let espeakDependencies: [Target.Dependency] = ["CEspeakNG"]
#else
let blasDependencies: [Target.Dependency] = []
let espeakDependencies: [Target.Dependency] = []
#endif

let package = Package(
    name: "Media2Face",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "m2f", targets: ["m2f"]),
        // eSpeak NG voices for dataset building, GPL-3 (links libespeak-ng); `m2f` talks to it over pipes.
        .executable(name: "m2f-espeak", targets: ["m2f-espeak"]),
        .library(name: "M2FEngine", targets: ["M2FEngine"]),
        .library(name: "M2FNeural", targets: ["M2FNeural"]),
        .library(name: "M2FFace", targets: ["M2FFace"]),
        // What an app links to animate a face from speech: the pipeline façade, its options and exporters.
        .library(name: "Media2Face", targets: ["Media2Face"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        // SHA-256 of model wheels, installed files and batch inputs (both mirrored majors have the same API).
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        // `m2f serve` only (the M2FServer target): HTTP + WebSocket on SwiftNIO. The default
        // ConfigurationSupport trait is left off (we configure from the command line; it saves a package build).
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: ["FullFoundation"]),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket", from: "2.8.1"),
    ],
    targets: [
        // OpenBLAS on Linux through pkg-config; Apple platforms use Accelerate instead.
        .systemLibrary(
            name: "CBLAS",
            path: "Sources/CBLAS",
            pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev"]), .brew(["openblas"])]
        ),
        // libespeak-ng (in-process synthesis with phoneme events) on Linux through pkg-config.
        .systemLibrary(
            name: "CEspeakNG",
            path: "Sources/CEspeakNG",
            pkgConfig: "espeak-ng",
            providers: [.apt(["libespeak-ng-dev"])]
        ),
        // zlib through pkg-config: PNG's DEFLATE and CRC-32 (macOS ships it).
        .systemLibrary(
            name: "CZlib",
            path: "Sources/CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        // libmeshoptimizer (EXT/KHR_meshopt_compression in avatars); Debian ships no pkg-config file for it.
        .systemLibrary(
            name: "CMeshOptimizer",
            path: "Sources/CMeshOptimizer",
            providers: [.apt(["libmeshoptimizer-dev"]), .brew(["meshoptimizer"])]
        ),
        // Draco's mesh decoder (KHR_draco_mesh_compression in avatars) behind a small C adapter, since
        // Swift cannot call its C++ API; libdraco from the system (libdraco-dev).
        .target(
            name: "CDracoDecoder",
            path: "Sources/CDracoDecoder",
            linkerSettings: [.linkedLibrary("draco")]
        ),
        // The 16-bit-weight linear kernel (fp16 → fp32 convert and multiply; AVX2/F16C chosen at run time).
        .target(name: "CHalfMatmul", path: "Sources/CHalfMatmul"),
        // NHWC convolution kernels with fused bias/residual/PReLU for the face tracker (AVX2 + FMA chosen at run time).
        .target(name: "CImageKernels", path: "Sources/CImageKernels"),
        // The system base, Foundation only: atomic (staged) file writes, finding and running programs
        // (children die with m2f: CM2FSystem's spawner), reading inputs and JSON with line numbers.
        .target(name: "CM2FSystem", path: "Sources/CM2FSystem"),
        .target(name: "M2FSystem", dependencies: ["CM2FSystem"]),
        // Checked arithmetic and field ranges for the numbers that files supply (sizes, offsets, configs).
        .target(name: "M2FCheckedInput"),
        // Tensor engine: storage, views, ops, BLAS matmul, autograd, RNG, safetensors, threading.
        .target(
            name: "M2FEngine",
            dependencies: blasDependencies + ["CHalfMatmul", "CImageKernels", "M2FCheckedInput", "M2FSystem"]
        ),
        // Neural building blocks: Module, layers, losses, optimizers, schedules.
        .target(
            name: "M2FNeural",
            dependencies: ["M2FEngine"]
        ),
        // Audio input: WAV and ffmpeg decoding, resampling, STFT and Whisper's log-mel.
        .target(
            name: "M2FAudio",
            dependencies: ["M2FEngine", "M2FSystem"]
        ),
        // Pretrained encoders and their model store: Whisper tiny.en (speech), MiniLM-L6 + WordPiece (text).
        .target(
            name: "M2FEncoders",
            dependencies: ["M2FEngine", "M2FNeural", "M2FAudio", "M2FCheckedInput", "M2FSystem",
                           .product(name: "Crypto", package: "swift-crypto")]
        ),
        // The face tracker's networks (MediaPipe Face Landmarker: detector, 478 landmarks, blendshapes) as
        // graphs converted from TFLite at install and run on the engine's kernels; their model store entry.
        // Around them: frames through ffmpeg, detection decoding, face crops and tracking, head pose, gaze.
        .target(
            name: "M2FTracker",
            dependencies: ["M2FEngine", "M2FEncoders", "M2FFace", "M2FSystem"]
        ),
        // The face: ARKit schema, emotion labels, animation type, formats, default head, renderer.
        .target(
            name: "M2FFace",
            dependencies: ["M2FCheckedInput", "M2FSystem", "CMeshOptimizer", "CDracoDecoder", "CZlib"]
        ),
        // M2F-D: dataset format and store, speech sources, the phonetic teacher animator, importers.
        .target(
            name: "M2FDataset",
            dependencies: ["M2FEngine", "M2FAudio", "M2FFace", "M2FEncoders", "M2FCheckedInput", "M2FSystem", "M2FTracker"]
        ),
        // GNPFA, the model: the expression latent space (VAE) with encoders from ARKit weights, geometry and images.
        .target(
            name: "M2FGNPFA",
            dependencies: ["M2FEngine", "M2FNeural", "M2FFace", "M2FCheckedInput", "M2FSystem"]
        ),
        // GNPFA training and evaluation: samplers and renders of training data, the trainers, held-out reports.
        .target(
            name: "GNPFATraining",
            dependencies: ["M2FEngine", "M2FNeural", "M2FFace", "M2FGNPFA", "M2FSystem"]
        ),
        // Media2Face, inference: the diffusion generator (denoiser, schedule, sampler, guidance, editing),
        // style requests and the pipeline façade. No dataset, no training.
        .target(
            name: "Media2Face",
            dependencies: ["M2FEngine", "M2FNeural", "M2FAudio", "M2FEncoders", "M2FFace", "M2FGNPFA", "M2FCheckedInput", "M2FSystem", "M2FTracker"]
        ),
        // Training the diffusion generator on M2F-D: data loading, batches, loss, trainer, run, self-check.
        .target(
            name: "Media2FaceTraining",
            dependencies: ["M2FEngine", "M2FNeural", "M2FEncoders", "M2FFace", "M2FDataset", "M2FGNPFA", "Media2Face"]
        ),
        // Evaluation metrics (LVE, FDD, lip closure, SLCC, offset, beat alignment, diversity).
        .target(
            name: "M2FEval",
            dependencies: ["M2FEngine", "M2FFace", "M2FDataset", "M2FAudio", "M2FGNPFA", "Media2Face"]
        ),
        // Benchmarks shared by `m2f bench` (JSON lines on stdout).
        .target(
            name: "M2FBenchmarks",
            dependencies: ["M2FEngine", "M2FNeural", "M2FAudio", "M2FEncoders", "M2FFace", "M2FDataset", "Media2Face", "M2FEval", "M2FSystem", "M2FTracker"]
        ),
        // `m2f serve`: the HTTP/WebSocket server (Hummingbird) and the web viewer, built as a library so tests
        // run it on loopback. Only this target links NIO; the Media2Face library does not.
        .target(
            name: "M2FServer",
            dependencies: [
                "M2FAudio", "M2FFace", "Media2Face", "M2FSystem",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
            ],
            resources: [.copy("Viewer")]
        ),
        // The command-line tool: one file per subcommand.
        .executableTarget(
            name: "m2f",
            dependencies: [
                "M2FEngine", "M2FNeural", "M2FAudio", "M2FEncoders", "M2FFace", "M2FDataset", "M2FGNPFA", "GNPFATraining", "Media2Face", "Media2FaceTraining", "M2FEval", "M2FBenchmarks", "M2FSystem", "M2FTracker", "M2FServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // The eSpeak NG helper: the only target that links libespeak-ng (GPL-3), kept out of `m2f`.
        .executableTarget(
            name: "m2f-espeak",
            dependencies: espeakDependencies
        ),
        // The file parsers as functions of bytes, for libFuzzer (`make fuzz`) and the corpus replay in tests.
        .target(
            name: "M2FFuzzTargets",
            dependencies: ["M2FEngine", "M2FAudio", "M2FFace", "M2FGNPFA", "Media2Face"]
        ),
        // Shared test helpers: assert-close, finite-difference gradient check, fixture loading.
        .target(
            name: "M2FTestSupport",
            dependencies: ["M2FEngine"],
            path: "Tests/M2FTestSupport"
        ),
        .testTarget(name: "M2FCheckedInputTests", dependencies: ["M2FCheckedInput"]),
        .testTarget(name: "M2FSystemTests", dependencies: ["M2FSystem"]),
        // kill -9 and full-disk runs of the real m2f binary (convert, retarget, render, animate).
        .testTarget(name: "M2FCommandTests", dependencies: ["M2FSystem", "M2FFace"]),
        .testTarget(name: "M2FEngineTests", dependencies: ["M2FEngine", "M2FTestSupport"]),
        .testTarget(name: "M2FNeuralTests", dependencies: ["M2FNeural", "M2FTestSupport"]),
        .testTarget(name: "M2FAudioTests", dependencies: ["M2FAudio", "M2FTestSupport"]),
        .testTarget(name: "M2FEncodersTests", dependencies: ["M2FEncoders", "M2FTestSupport"]),
        .testTarget(name: "M2FTrackerTests", dependencies: ["M2FTracker", "M2FEngine", "M2FEncoders", "M2FFace", "M2FSystem", "M2FTestSupport", "M2FDataset"]),
        // Draco's encoder behind a C adapter: the tests compress avatars with the library's own encoder.
        .target(
            name: "CDracoEncoding",
            path: "Tests/CDracoEncoding",
            linkerSettings: [.linkedLibrary("draco")]
        ),
        .testTarget(name: "M2FFaceTests", dependencies: ["M2FFace", "M2FSystem", "CDracoEncoding", "CMeshOptimizer", "CZlib"]),
        .testTarget(name: "Media2FaceTests", dependencies: ["Media2Face", "Media2FaceTraining", "M2FDataset", "M2FTestSupport", "M2FSystem"]),
        .testTarget(name: "M2FEvalTests", dependencies: ["M2FEval", "Media2Face", "M2FTestSupport"]),
        .testTarget(name: "M2FDatasetTests", dependencies: ["M2FDataset", "M2FTestSupport"]),
        .testTarget(name: "M2FGNPFATests", dependencies: ["M2FGNPFA", "GNPFATraining", "M2FTestSupport"]),
        // `m2f serve` over loopback: uploads against the real CLI, streams, refusals, and the viewer in headless Chromium.
        .testTarget(name: "M2FServerTests", dependencies: ["M2FServer", "Media2Face", "M2FTestSupport"]),
        .testTarget(name: "M2FFuzzTargetsTests", dependencies: ["M2FFuzzTargets", "M2FEngine", "M2FFace"]),
    ],
    // Draco's headers need C++17 (the two adapters above).
    cxxLanguageStandard: .cxx17
)

// The libFuzzer executable exists only in fuzz builds (scripts/fuzz.sh sets M2F_FUZZ=1 and builds with
// --sanitize=fuzzer into .build-fuzz): its `main` comes from libFuzzer, so an ordinary build could not link it.
if Context.environment["M2F_FUZZ"] == "1" {
    package.targets.append(.executableTarget(
        name: "m2f-fuzz",
        dependencies: ["M2FFuzzTargets"],
        path: "Fuzz/m2f-fuzz",
        swiftSettings: [.unsafeFlags(["-parse-as-library"])]
    ))
    package.products.append(.executable(name: "m2f-fuzz", targets: ["m2f-fuzz"]))
}
