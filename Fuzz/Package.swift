// swift-tools-version:6.0
import PackageDescription

// libFuzzer targets for postured's parsers, kept out of the main package so that its
// builds never see the sanitizer flags. Build and run with `scripts/fuzz` (see its header),
// which builds with
//
//   swift build -c release --package-path Fuzz -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library
//
// (`-c debug` works too, at a third to a twentieth of the runs a second). Each target is one
// file defining `LLVMFuzzerTestOneInput` and no top-level code; libFuzzer's driver runs it
// (FuzzEntry says why SwiftPM needs an entry point named after each target). Seed corpora are
// in Fuzz/Corpus/<target>/, crashing inputs in Fuzz/Crashes/<target>/.
let package = Package(
    name: "postured-fuzz",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(name: "postured", path: "..")
    ],
    targets: [
        // `<Module>_main` for each target below, handing over to libFuzzer (see entry.c).
        .target(name: "FuzzEntry"),
        // IMU CSV v1 (PostureReplay.IMUCSVReader).
        .executableTarget(
            name: "FuzzIMUCSV",
            dependencies: [
                "FuzzEntry",
                .product(name: "PostureReplay", package: "postured"),
                .product(name: "PostureCore", package: "postured"),
            ]),
        // The TOML reader and the whole configuration decode (PostureConfig).
        .executableTarget(
            name: "FuzzTOML",
            dependencies: ["FuzzEntry", .product(name: "PostureConfig", package: "postured")]),
        // One control-protocol request line (PostureControl.ControlRequestDecoder), and the line framer.
        .executableTarget(
            name: "FuzzControlRequest",
            dependencies: ["FuzzEntry", .product(name: "PostureControl", package: "postured")]),
    ],
    swiftLanguageModes: [.v6]
)
