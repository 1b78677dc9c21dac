// swift-tools-version:6.0
import PackageDescription

// postured: a posture monitor daemon for Raspberry Pi-class Linux boards.
// The folder layout is the architecture: see README.md, "Where things are".
let strictSwift: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "postured",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "posturectl", targets: ["posturectl"]),
        .library(name: "PostureCore", targets: ["PostureCore"]),
        // For the fuzz targets in Fuzz/ (a separate package that depends on this one).
        .library(name: "PostureConfig", targets: ["PostureConfig"]),
        .library(name: "PostureControl", targets: ["PostureControl"]),
        .library(name: "PostureReplay", targets: ["PostureReplay"]),
    ],
    dependencies: [
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.6.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
    ],
    targets: [
        // Pure Swift, no I/O: orientation, calibration, angles, activity, policy, summary.
        .target(name: "PostureCore", swiftSettings: strictSwift),
        // C libraries of the design card, and a thin prefixed C shim over their differences.
        .systemLibrary(name: "CI2C", path: "Sources/CI2C"),
        .systemLibrary(name: "CGPIOD", path: "Sources/CGPIOD", pkgConfig: "libgpiod"),
        .target(name: "CPostureShim", dependencies: ["CGPIOD"]),
        // The I2C bus, IMU drivers (one file per chip family), GPIO indicators.
        .target(
            name: "PostureHardware", dependencies: ["PostureCore", "CI2C", "CGPIOD", "CPostureShim"],
            swiftSettings: strictSwift),
        // A wearer's physical model and register-level simulated IMU chips.
        .target(name: "PostureSim", dependencies: ["PostureCore", "PostureHardware"], swiftSettings: strictSwift),
        // The configuration file: a small TOML reader with line-precise diagnostics, typed options.
        .target(name: "PostureConfig", dependencies: ["PostureCore"], swiftSettings: strictSwift),
        // IMU CSV v1 reading and writing, the replay runner and its JSON lines.
        .target(name: "PostureReplay", dependencies: ["PostureCore", "PostureSim"], swiftSettings: strictSwift),
        // JSON over the standard library's Codable, for the control protocol and the day log: no
        // Foundation in the binary (issue 12: it was most of the package's installed size).
        .target(name: "PostureJSON", swiftSettings: strictSwift),
        // posturectl's command line: options declared once, read by the parser, --help, the
        // manual page and the shell completions (no Foundation, no regex: issue 12).
        .target(name: "PostureCommandLine", dependencies: ["PostureCore"], swiftSettings: strictSwift),
        // The day log: SQLite (the system library), WAL, one transaction a minute.
        .systemLibrary(name: "CSQLite", path: "Sources/CSQLite"),
        .target(name: "PostureStore", dependencies: ["PostureCore", "PostureJSON", "CSQLite"], swiftSettings: strictSwift),
        // The control protocol shared by the daemon and posturectl: versioned JSON lines.
        .target(name: "PostureControl", dependencies: ["PostureCore", "PostureJSON"], swiftSettings: strictSwift),
        // The picture of a day and a week (posturectl report --html, --svg, --week), from the day log.
        .target(name: "PosturePicture", dependencies: ["PostureCore", "PostureStore", "PostureConfig"], swiftSettings: strictSwift),
        // The daemon: fixed-rate sampling loop, sources, store writer, control server, sd_notify.
        .target(
            name: "PostureDaemon",
            dependencies: [
                "PostureCore", "PostureHardware", "PostureSim", "PostureConfig", "PostureStore", "PostureControl",
                "CPostureShim",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSwift),
        .executableTarget(name: "postured", dependencies: ["PostureDaemon", "PosturectlCommands"], swiftSettings: strictSwift),
        // A CP2112 USB-to-I2C/GPIO bridge over /dev/uhid answered by the simulated chips (docs/virtual-board.md).
        .executableTarget(name: "virtual-board", dependencies: ["PostureSim", "PostureHardware", "PostureCore"], swiftSettings: strictSwift),
        // posturectl's commands, a library so that one installed binary can be both programs:
        // the package's /usr/bin/posturectl is a link to postured (one Swift runtime on the card).
        .target(
            name: "PosturectlCommands",
            dependencies: [
                "PostureCore", "PostureSim", "PostureReplay", "PostureHardware", "PostureConfig",
                "PostureStore", "PostureControl", "PosturePicture", "PostureCommandLine",
            ],
            swiftSettings: strictSwift),
        .executableTarget(name: "posturectl", dependencies: ["PosturectlCommands"], swiftSettings: strictSwift),
        .target(name: "CAllocationCounter", path: "Benchmarks/CAllocationCounter"),
        .executableTarget(
            name: "PostureBench",
            dependencies: [
                "PostureCore", "PostureSim", "PostureReplay", "PostureHardware", "PostureDaemon", "PostureStore", "PosturePicture",
                "CAllocationCounter",
            ],
            path: "Benchmarks/PostureBench", swiftSettings: strictSwift),
        .testTarget(name: "PostureCoreTests", dependencies: ["PostureCore", "PostureSim"], swiftSettings: strictSwift),
        .testTarget(name: "PostureSimTests", dependencies: ["PostureCore", "PostureSim"], swiftSettings: strictSwift),
        .testTarget(
            name: "PostureHardwareTests", dependencies: ["PostureCore", "PostureSim", "PostureHardware", "CPostureShim"],
            swiftSettings: strictSwift),
        .testTarget(name: "PostureStoreTests", dependencies: ["PostureStore", "PostureCore"], swiftSettings: strictSwift),
        .testTarget(
            name: "PosturePictureTests", dependencies: ["PosturePicture", "PostureStore", "PostureCore"], swiftSettings: strictSwift),
        .testTarget(name: "PostureControlTests", dependencies: ["PostureControl", "PostureCore"], swiftSettings: strictSwift),
        .testTarget(name: "PostureJSONTests", dependencies: ["PostureJSON"], swiftSettings: strictSwift),
        .testTarget(name: "PostureCommandLineTests", dependencies: ["PostureCommandLine"], swiftSettings: strictSwift),
        .testTarget(
            name: "PostureDaemonTests",
            dependencies: ["PostureDaemon", "PostureCore", "PostureSim", "PostureHardware", "PostureStore", "PostureControl", "PostureConfig"],
            exclude: ["BadConfigs"],  // the malformed-configuration corpus, read by BadConfigCorpusTests
            swiftSettings: strictSwift),
        .testTarget(name: "PostureConfigTests", dependencies: ["PostureConfig"], swiftSettings: strictSwift),
        .testTarget(
            name: "VirtualBoardTests", dependencies: ["virtual-board", "PostureSim", "PostureCore"], swiftSettings: strictSwift),
        .testTarget(
            name: "PostureReplayTests", dependencies: ["PostureCore", "PostureSim", "PostureReplay"],
            exclude: ["Goldens"],
            swiftSettings: strictSwift),
    ],
    swiftLanguageModes: [.v6]
)
