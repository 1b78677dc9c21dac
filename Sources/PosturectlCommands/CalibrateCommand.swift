import PostureCommandLine
import PostureControl

struct CalibrateCommand: Command {
    static let declaration = CommandDeclaration(
        "calibrate",
        abstract: "Guided calibration: stand tall and still, then sit upright, while the daemon captures each pose.",
        discussion: """
            Each pose is captured for 6 s, of which at least 3 s must be still: the pose comes from the \
            stillest stretch, and each is confirmed as it is taken (how still, for how long). If the \
            standing pose fails, calibration stops there. It is also refused when the two poses are \
            less than 3° apart (sit back into your usual upright posture) or, judged by the configured \
            mount, sitting leaned forward of standing. The new calibration is applied only if both \
            poses succeed; otherwise the old one stays.
            """,
        arguments: ConnectionOptions.arguments)

    let connection: ConnectionOptions

    init(_ arguments: ParsedArguments) throws(UsageError) { connection = try ConnectionOptions(arguments) }

    func run() throws {
        catchInterrupt()
        let client = try connection.connect()
        var prompter = CalibrationPrompter(live: standardOutputIsTerminal)
        guard let reply = try client.call(.calibrate, json: connection.json, onEvent: { message in
            guard !connection.json, message.event == .progress else { return }
            prompter.show(try message.payload(CalibrationProgress.self))
        }) else {
            throw CommandFailure("interrupted; the daemon keeps its previous calibration")
        }
        guard !connection.json else { return }
        prompter.finishLine()
        let report = try reply.payload(CalibrationReport.self)
        print("Calibrated. Sitting-upright reference: \(ControlFormat.angles(report.sitting))")
        for sensor in report.sensors {
            print("  sensor \(sensor.index): stand-to-sit \(ControlFormat.number(sensor.standToSitDegrees, decimals: 1))°, "
                + "lateral axis \(sensor.lateralAxis.rawValue), mounting corrected by \(ControlFormat.number(sensor.correctionFromPriorDegrees, decimals: 1))°")
        }
        for warning in report.warnings ?? [] { print("  warning: \(warning)") }
        if let saved = report.savedTo { print("  saved to \(saved)") }
    }
}

/// Turns progress events into spoken-style prompts: the instruction, "3, 2, 1", then a bar
/// filling while the pose is captured (redrawn in place on a terminal).
struct CalibrationPrompter {
    let live: Bool
    private var lastPrompt = ""
    private var lastCount: Int?
    private var lastPercent = -1
    private var lineOpen = false

    init(live: Bool) { self.live = live }

    mutating func show(_ p: CalibrationProgress) {
        switch p.state {
        case .prompt:
            if p.message != lastPrompt {
                finishLine()
                print(p.message.hasSuffix("…") ? p.message : p.message + "…")
                lastPrompt = p.message
                lastCount = nil
                lastPercent = -1
            }
        case .countdown:
            let count = Int(p.remainingSeconds.rounded(.up))
            guard count != lastCount, count > 0 else { return }
            write((lastCount == nil ? "  " : ", ") + "\(count)")
            lastCount = count
        case .capturing:
            let percent = Int((p.progress * 100).rounded(.down))
            guard percent != lastPercent else { return }
            if !live && percent / 25 == lastPercent / 25 && lastPercent >= 0 { return }  // piped: a few lines, not a hundred
            lastPercent = percent
            if lastCount != nil { finishLine(); lastCount = nil }
            let text = "  capturing \(Self.bar(p.progress)) \(percent)%"
            if live {
                write("\r" + text + "\u{1B}[K")
            } else {
                print(text)
            }
        case .done:
            finishLine()
            // Daemons that report stillness put the confirmation in the message.
            print(p.stillness == nil ? "  ✓ \(p.phase.rawValue) pose captured" : "  ✓ \(p.message)")
        case .failed:
            finishLine()
            print("  ✗ \(p.message)")
        }
    }

    mutating func finishLine() {
        if lineOpen { print("") }
        lineOpen = false
    }

    private mutating func write(_ text: String) {
        print(text, terminator: "")
        flushStandardOutput()
        lineOpen = true
    }

    static func bar(_ fraction: Double, width: Int = 30) -> String {
        let filled = Int((min(max(fraction, 0), 1) * Double(width)).rounded())
        return "[" + String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled) + "]"
    }
}
