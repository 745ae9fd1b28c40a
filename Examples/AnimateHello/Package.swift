// swift-tools-version:6.0
// A package of its own that uses Media2Face as any app would: by path here, by URL in yours.
import PackageDescription

let package = Package(
    name: "AnimateHello",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "Media2Face", path: "../.."),
    ],
    targets: [
        .executableTarget(name: "AnimateHello", dependencies: [.product(name: "Media2Face", package: "Media2Face")]),
    ]
)
