import PostureCommandLine
import PostureControl
import PostureCore

struct StatusCommand: Command {
    static let declaration = CommandDeclaration(
        "status", abstract: "Show the daemon's sensors, sampling, posture, nudges and store.",
        arguments: ConnectionOptions.arguments)

    let connection: ConnectionOptions

    init(_ arguments: ParsedArguments) throws(UsageError) { connection = try ConnectionOptions(arguments) }

    func run() throws {
        let client = try connection.connect()
        guard let reply = try client.call(.status, json: connection.json), !connection.json else { return }
        print(StatusText.render(try reply.payload(StatusReport.self), socket: client.path))
    }
}

/// Human text for `status`.
enum StatusText {
    static func render(_ s: StatusReport, socket: String) -> String {
        var lines: [String] = []
        lines.append("postured \(s.daemonVersion), up \(DurationText.describe(s.uptimeSeconds))  (\(socket))")
        for sensor in s.sensors {
            let address = sensor.address.map { "0x" + String($0, radix: 16) } ?? "?"
            var health = sensor.health.state.rawValue
            if let code = sensor.health.code { health += " (\(code))" }
            if let message = sensor.health.message { health += ": \(message)" }
            if sensor.health.faults > 0 { health += ", \(sensor.health.faults) faults" }
            lines.append("sensor \(sensor.index)     \(sensor.roleName): \(sensor.chip ?? "unknown chip") on \(sensor.bus ?? "?") at \(address), \(health)")
        }
        if s.sensors.isEmpty { lines.append("sensors      none detected") }
        var sampling = "\(ControlFormat.number(s.sampling.rateHz, decimals: 0)) Hz, \(s.sampling.overruns) overruns, \(s.sampling.droppedReports) dropped reports"
        if let lost = s.sampling.droppedEvents, lost > 0 { sampling += ", \(lost) dropped events" }
        if let stall = s.sampling.longestSupervisorStallSeconds {
            sampling += ", longest supervisor stall \(ControlFormat.number(stall * 1000, decimals: 0)) ms"
        }
        lines.append("sampling     \(sampling)")
        if let late = s.sampling.latenessLastMinute {
            lines.append("loop wakes   late by p50 \(ControlFormat.number(late.p50Microseconds, decimals: 0)) µs, p99 \(ControlFormat.number(late.p99Microseconds, decimals: 0)) µs, max \(ControlFormat.number(late.maxMicroseconds, decimals: 0)) µs over the last minute (\(late.wakes) wakes)")
        }
        lines.append("calibrated   \(s.calibrated ? "yes" : "no (run 'posturectl calibrate')")")
        var posture = s.activity?.rawValue ?? "unknown"
        if s.slouching { posture += ", slouching" }
        if let bout = s.boutSeconds { posture += ", sitting bout \(DurationText.describe(bout))" }
        lines.append("posture      \(posture)")
        if let angles = s.angles { lines.append("angles       \(ControlFormat.angles(angles))") }
        lines.append("snooze       \(s.snoozeRemainingSeconds.map { "\(DurationText.describe($0)) left" } ?? "off")")
        let counts = NudgeReason.allCases.map { "\($0.rawValue) \(s.nudgesToday[$0])" }.joined(separator: ", ")
        var nudges = "nudges today \(counts)"
        if let last = s.lastNudge {
            let gentle = last.intensity == .gentle ? " (gentle)" : ""
            nudges += "; last \(last.reason.rawValue)\(gentle) \(DurationText.describe(last.agoSeconds)) ago"
        }
        lines.append(nudges)
        if let feedback = s.feedback {
            lines.append("feedback     \(feedback.mode.rawValue)" + (feedback.mode == .fading ? ", \(feedback.explanation)" : ""))
        }
        lines.append("store        " + written(s.store))
        if let metrics = s.metrics { lines.append("metrics      " + written(metrics)) }
        lines.append("clock        \(s.clockTrusted ? "synchronised" : "not synchronised yet (minutes held until it is)")")
        return lines.joined(separator: "\n")
    }

    /// `PATH, last write 31 s ago[, ERROR: …]`: the day log, the metrics file.
    private static func written(_ file: WrittenFileStatus) -> String {
        var text = file.path
        if let ago = file.lastWriteAgoSeconds { text += ", last write \(DurationText.describe(ago)) ago" }
        if let error = file.error { text += ", ERROR: \(error)" }
        return text
    }
}

/// Number formatting for the control commands' human output.
enum ControlFormat {
    static func number(_ x: Double, decimals: Int) -> String {
        guard x.isFinite else { return "—" }
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let rounded = (abs(x) * scale).rounded()
        let whole = Int(rounded / scale)
        var text = (x < 0 && rounded != 0 ? "-" : "") + String(whole)
        if decimals > 0 {
            let fraction = String(Int(rounded) % Int(scale))
            text += "." + String(repeating: "0", count: decimals - fraction.count) + fraction
        }
        return text
    }

    static func signedDegrees(_ x: Double?) -> String {
        guard let x else { return "—" }
        return (x >= 0 ? "+" : "") + number(x, decimals: 1) + "°"
    }

    static func angles(_ a: AngleReading) -> String {
        "pelvic tilt \(signedDegrees(a.pelvicTilt)), obliquity \(signedDegrees(a.pelvicObliquity)), lumbar flexion \(a.lumbarFlexion == nil ? "— (one sensor)" : signedDegrees(a.lumbarFlexion))"
    }

    /// "45s", "12:34", "1:02:03".
}
