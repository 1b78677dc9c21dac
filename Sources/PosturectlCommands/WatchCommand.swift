import PostureCore
import PostureCommandLine
import PostureControl

struct WatchCommand: Command {
    static let declaration = CommandDeclaration(
        "watch",
        abstract: "A live view of the angles, activity, slouch state and sitting bout (Ctrl-C to quit).",
        discussion: "On a terminal the view is redrawn in place; piped, it prints one line per frame.",
        arguments: ConnectionOptions.arguments + [rateOption, countOption])
    static let rateOption = Argument.option("rate", default: 5.0, help: "Frames per second (the daemon clamps it to 1…50).")
    static let countOption = Argument<Int>.option("count", help: "Stop after this many frames.")

    let connection: ConnectionOptions
    let rate: Double
    let count: Int?

    init(_ arguments: ParsedArguments) throws(UsageError) {
        connection = try ConnectionOptions(arguments)
        rate = try arguments.value(Self.rateOption)
        count = try arguments.optionalValue(Self.countOption)
    }

    func validate() throws {
        guard rate > 0, rate.isFinite else { throw UsageError("--rate must be above 0") }
        if let count, count < 1 { throw UsageError("--count must be at least 1") }
    }

    func run() throws {
        catchInterrupt()
        let client = try connection.connect()
        let live = standardOutputIsTerminal && !connection.json
        let view = WatchView(socket: client.path, rate: min(max(rate, 1), 50))
        if live { print(WatchView.hideCursor, terminator: "") }
        defer { if live { print(WatchView.showCursor, terminator: ""); flushStandardOutput() } }
        _ = try client.call(.watch(rate: rate, count: count), json: connection.json) { message in
            guard !connection.json, message.event == .frame else { return }
            let frame = try message.payload(WatchFrame.self)
            print(live ? view.redraw(frame) : WatchView.line(frame))
            flushStandardOutput()
        }
    }
}

/// The gpsmon-like screen: a fixed block redrawn in place with ANSI cursor movement.
struct WatchView {
    static let hideCursor = "\u{1B}[?25l"
    static let showCursor = "\u{1B}[?25h"
    let socket: String
    let rate: Double

    /// Angles shown on the bars span ±45° around standing neutral.
    static let barSpan = 45.0
    static let barWidth = 31

    func redraw(_ f: WatchFrame) -> String {
        let rows = [
            "postured watch — \(socket) — \(ControlFormat.number(rate, decimals: 0)) Hz — Ctrl-C to quit",
            "",
            "activity        \(f.activity?.rawValue ?? "unknown")",
            "posture         \(f.slouching ? "SLOUCHING" : "ok")",
            "sitting bout    \(f.boutSeconds.map(DurationText.describe) ?? "—")",
            "snooze          \(f.snoozeRemainingSeconds.map { "\(DurationText.describe($0)) left" } ?? "off")",
            "",
            Self.angleRow("pelvic tilt", f.angles?.pelvicTilt),
            Self.angleRow("obliquity", f.angles?.pelvicObliquity),
            Self.angleRow("lumbar flexion", f.angles?.lumbarFlexion),
            "",
            f.calibrated ? "calibrated" : "NOT calibrated: angles are relative to the configured mounting",
        ]
        // Home, each row cleared to its end, then the rest of the screen: no flicker
        // (nothing is blanked before it is redrawn) and no scrolling.
        return "\u{1B}[H" + rows.map { $0 + "\u{1B}[K" }.joined(separator: "\n") + "\u{1B}[J"
    }

    static func angleRow(_ name: String, _ value: Double?) -> String {
        let label = name.padding(to: 16)
        guard let value else { return label + "     —" }
        return label + ControlFormat.signedDegrees(value).leftPadding(to: 8) + "  " + bar(value)
    }

    /// `[─────────┼███      ]`: the centre is 0°, the fill runs towards the value.
    static func bar(_ value: Double) -> String {
        let half = barWidth / 2
        let cells = Int((min(max(value, -barSpan), barSpan) / barSpan * Double(half)).rounded())
        var characters = Array(repeating: "·", count: barWidth)
        characters[half] = "│"
        if cells > 0 { for k in 1...cells { characters[half + k] = "█" } }
        if cells < 0 { for k in 1...(-cells) { characters[half - k] = "█" } }
        return "[" + characters.joined() + "]"
    }

    /// One plain line per frame when piped.
    static func line(_ f: WatchFrame) -> String {
        var parts = ["t=\(ControlFormat.number(f.t, decimals: 2))", f.activity?.rawValue ?? "unknown"]
        if let a = f.angles {
            parts.append("tilt=\(ControlFormat.signedDegrees(a.pelvicTilt))")
            parts.append("obliquity=\(ControlFormat.signedDegrees(a.pelvicObliquity))")
            parts.append("lumbar=\(ControlFormat.signedDegrees(a.lumbarFlexion))")
        }
        parts.append(f.slouching ? "SLOUCHING" : "ok")
        if let bout = f.boutSeconds { parts.append("bout=\(DurationText.describe(bout))") }
        if let snooze = f.snoozeRemainingSeconds { parts.append("snoozed=\(DurationText.describe(snooze))") }
        return parts.joined(separator: " ")
    }
}

extension String {
    func padding(to width: Int) -> String { count >= width ? self : self + String(repeating: " ", count: width - count) }
    func leftPadding(to width: Int) -> String { count >= width ? self : String(repeating: " ", count: width - count) + self }
}
