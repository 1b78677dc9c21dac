import PostureCommandLine
import PostureConfig
import PostureCore
import PostureReplay

struct ReplayCommand: Command {
    static let declaration = CommandDeclaration(
        "replay",
        abstract: "Run the daemon's engine over a recording as fast as it can.",
        discussion: """
            The calibration poses come from two still windows of the recording, in seconds: \
            standing tall (--stand A:B) and sitting upright (--sit C:D). With --json, prints one \
            JSON object per line: activity changes, nudges, and last the day summary.
            """,
        arguments: [fileArgument, configOption, standOption, sitOption, jsonFlag, anglesOption])
    static let fileArgument = Argument<String>.positional(
        "file", help: "An IMU CSV v1 recording ('-' for standard input is not supported: calibration reads it twice).",
        completion: .file)
    static let configOption = Argument<String>.option(
        "config", help: "A postured.toml whose policy and sensor mountings to use (default: built-in defaults).", completion: .file)
    // A value that starts with '-' (`--stand -5:0`) is the window, and is refused by what it
    // says, not reported as a missing value.
    static let standOption = Argument<String>.required(
        "stand", help: "Standing-tall window A:B, seconds from the first sample.", takesDashedValue: true)
    static let sitOption = Argument<String>.required(
        "sit", help: "Sitting-upright window C:D, seconds from the first sample.", takesDashedValue: true)
    static let jsonFlag = Flag("json", help: "Print JSON lines (the CLI contract) instead of a readable log.")
    static let anglesOption = Argument<String>.option(
        "angles", help: "Also write t,pelvic_tilt,pelvic_obliquity,lumbar_flexion,activity at every pelvis sample.",
        completion: .file)

    let file: String
    let config: String?
    let stand: String
    let sit: String
    let json: Bool
    let angles: String?

    init(_ arguments: ParsedArguments) throws(UsageError) {
        file = try arguments.value(Self.fileArgument)
        config = try arguments.optionalValue(Self.configOption)
        stand = try arguments.value(Self.standOption)
        sit = try arguments.value(Self.sitOption)
        json = arguments.isSet(Self.jsonFlag)
        angles = try arguments.optionalValue(Self.anglesOption)
    }

    func run() throws {
        let standWindow = try Self.window(stand, flag: "--stand", bounds: ("A", "B"))
        let sitWindow = try Self.window(sit, flag: "--sit", bounds: ("C", "D"))
        if standWindow.overlaps(sitWindow) {
            throw UsageError(
                "--stand \(standWindow) and --sit \(sitWindow) overlap: the wearer cannot stand and sit at once; give two separate windows")
        }
        var replay = Replay(inputPath: file, stand: standWindow, sit: sitWindow)
        if let config {
            switch PostureConfiguration.load(path: config) {
            case .success(let loaded):
                replay.engine.policy = loaded.policy
                let knowledge: MountingKnowledge = loaded.namesSensors ? .declared : .undeclared
                replay.pelvisPrior = loaded.mountingPrior(sensor: SensorIndex.pelvis, knowledge)
                replay.upperLumbarPrior = loaded.mountingPrior(sensor: SensorIndex.upperLumbar, knowledge)
            case .failure(let problems):
                throw CommandFailure("\(problems)")
            }
        }
        let calibrated = try replay.calibrateWithPoses()
        let calibration = calibrated.calibration
        for line in ReplayOutput.calibrationLines(calibrated, replay: replay) { printError(line) }
        let out = try BufferedWriter(path: "-")
        let anglesOut = try angles.map { path throws(OutputError) in try BufferedWriter(path: path) }
        try anglesOut?.write("t,pelvic_tilt,pelvic_obliquity,lumbar_flexion,activity\n")

        let summary = try replay.run(calibration: calibration) { step in
            try ReplayOutput.eventLines(for: step, json: json) { line in
                try out.write(line)
                try out.endLine()
            }
            if let anglesOut { try ReplayOutput.writeAnglesRow(step, to: anglesOut) }
        }
        try out.write(json ? ReplayOutput.summaryJSON(summary) : ReplayOutput.humanSummary(summary))
        try out.endLine()
        try out.flush()
        try anglesOut?.flush()
    }

    /// `A:B` as a window of recording time: two numbers, 0 ≤ A < B.
    static func window(_ text: String, flag: String, bounds: (String, String)) throws -> TimeWindow {
        guard let window = TimeWindow(parsing: text) else {
            let (a, b) = bounds
            throw UsageError("\(flag) '\(text)': expected \(a):\(b), two numbers of seconds with \(a) < \(b)")
        }
        guard window.start >= 0 else {
            throw UsageError("\(flag) '\(text)': a window starts at 0 s or later (times are seconds from the recording's first sample)")
        }
        return window
    }
}
