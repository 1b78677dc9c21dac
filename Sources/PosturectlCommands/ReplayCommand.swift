import ArgumentParser
import PostureConfig
import PostureCore
import PostureReplay

struct ReplayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Run the daemon's engine over a recording as fast as it can.",
        discussion: """
            The calibration poses come from two still windows of the recording, in seconds: \
            standing tall (--stand A:B) and sitting upright (--sit C:D). With --json, prints one \
            JSON object per line: activity changes, nudges, and last the day summary.
            """)

    @Argument(help: "An IMU CSV v1 recording ('-' for standard input is not supported: calibration reads it twice).")
    var file: String

    @Option(help: "A postured.toml whose policy and sensor mountings to use (default: built-in defaults).")
    var config: String?

    // `.unconditional`: a value that starts with '-' (`--stand -5:0`) is the window, and is
    // refused by what it says, not reported as a missing value.
    @Option(parsing: .unconditional, help: "Standing-tall window A:B, seconds from the first sample.")
    var stand: String

    @Option(parsing: .unconditional, help: "Sitting-upright window C:D, seconds from the first sample.")
    var sit: String

    @Flag(help: "Print JSON lines (the CLI contract) instead of a readable log.")
    var json = false

    @Option(help: "Also write t,pelvic_tilt,pelvic_obliquity,lumbar_flexion,activity at every pelvis sample.")
    var angles: String?

    func run() throws {
        let standWindow = try Self.window(stand, flag: "--stand", bounds: ("A", "B"))
        let sitWindow = try Self.window(sit, flag: "--sit", bounds: ("C", "D"))
        if standWindow.overlaps(sitWindow) {
            throw ValidationError(
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
            throw ValidationError("\(flag) '\(text)': expected \(a):\(b), two numbers of seconds with \(a) < \(b)")
        }
        guard window.start >= 0 else {
            throw ValidationError("\(flag) '\(text)': a window starts at 0 s or later (times are seconds from the recording's first sample)")
        }
        return window
    }
}
