public import PostureConfig
public import PostureCore
import Logging
import PostureHardware

/// The nudge indicators of the configuration: each a GPIO line driven by its own pattern
/// player thread, so a nudge never waits on the sampling loop or the supervisor.
public final class Indicators: Sendable {
    struct Entry: Sendable {
        var configuration: IndicatorConfiguration
        var player: PatternPlayer
        var name: String
        /// The line's request, given back by `stop()` (nil for test lines).
        var line: ReopeningOutputLine?
    }

    private let entries: [Entry]

    /// Human names of the indicators, for `test-nudge` results and status.
    public var names: [String] { entries.map(\.name) }

    private init(entries: [Entry]) { self.entries = entries }

    /// Opens every configured indicator's line (released on `stop()`, on deinit, and by the
    /// kernel if the daemon dies). A line that cannot be opened fails the whole start-up:
    /// the daemon never starts half-configured. A line that fails later (a USB bridge
    /// unplugged) is asked for again at the next nudge (`ReopeningOutputLine`).
    public static func open(
        _ configurations: [IndicatorConfiguration], onError: @escaping @Sendable (String, any Error) -> Void,
        onReopened: @escaping @Sendable (String) -> Void = { _ in }
    ) throws -> Indicators {
        var entries: [Entry] = []
        for configuration in configurations {
            let kind = IndicatorKind(rawValue: configuration.kind.rawValue) ?? .buzzer
            let name = "\(configuration.kind.rawValue) on \(configuration.gpio)"
            let line = ReopeningOutputLine(
                try openLine(configuration, kind: kind), reopen: { try openLine(configuration, kind: kind) },
                onReopened: { onReopened(name) })
            let player = try PatternPlayer(line: line, onError: { error in onError(name, error) })
            entries.append(Entry(configuration: configuration, player: player, name: name, line: line))
        }
        return Indicators(entries: entries)
    }

    /// `open` with the run-time faults and recoveries told in the journal.
    static func open(_ configurations: [IndicatorConfiguration], logger: Logger) throws -> Indicators {
        try open(
            configurations,
            onError: { name, error in
                logger.error("indicator failed; its line is asked for again at the next nudge", metadata: [
                    "indicator": "\(name)", "error": "\(error)",
                ])
            },
            onReopened: { name in logger.notice("indicator works again", metadata: ["indicator": "\(name)"]) })
    }

    /// Indicators on lines already open (tests: recording fakes), each with its own player.
    static func playing(on lines: [(IndicatorConfiguration, any OutputLine)]) throws -> Indicators {
        try Indicators(entries: lines.map { configuration, line in
            Entry(configuration: configuration, player: try PatternPlayer(line: line), name: "\(configuration.kind.rawValue) on \(configuration.gpio)")
        })
    }

    /// No indicators (none configured, or the demo shows nudges in the terminal instead).
    public static let none = Indicators(entries: [])

    private static func openLine(_ configuration: IndicatorConfiguration, kind: IndicatorKind) throws -> Indicator {
        try Indicator.open(
            kind: kind, chip: configuration.gpio.chip, line: configuration.gpio.line.description, activeLow: configuration.activeLow)
    }

    /// Plays `reason`'s pattern (or the gentle cue) on every indicator that signals it; returns
    /// their names.
    @discardableResult
    public func nudge(_ reason: NudgeReason, intensity: NudgeIntensity = .full) -> [String] {
        var played: [String] = []
        for entry in entries where entry.configuration.reasons.contains(reason) {
            guard let pattern = entry.configuration.pattern(for: reason, intensity: intensity).flatMap(Self.pattern) else { continue }
            if entry.player.play(pattern) { played.append(entry.name) }
        }
        return played
    }

    /// Plays a cue of the button (an answer or a calibration prompt) on every indicator: the
    /// wearer who pressed wants an answer from whichever device they feel or see. Returns
    /// their names.
    @discardableResult
    public func cue(_ cue: IndicatorCue) -> [String] {
        var played: [String] = []
        for entry in entries {
            guard let pattern = entry.configuration.cuePatterns[cue].flatMap(Self.pattern) else { continue }
            if entry.player.play(pattern) { played.append(entry.name) }
        }
        return played
    }

    /// Switches every line off and releases it, at once: a reload opens the new indicators
    /// while this object is still referenced, often on the same lines.
    public func stop() {
        for entry in entries {
            entry.player.stop()
            entry.line?.release()
        }
    }

    static func pattern(_ configured: IndicatorPattern) -> NudgePattern? {
        try? NudgePattern(steps: configured.steps.map { NudgePattern.Step(on: $0.isOn, milliseconds: $0.milliseconds) })
    }

    /// A pattern drawn for the terminal (the demo has no GPIO): "▮▮▮ ▮▮▮" for 300 ms on twice.
    public static func drawing(_ configured: IndicatorPattern?) -> String {
        guard let configured else { return "" }
        return configured.steps.map { step in
            String(repeating: step.isOn ? "▮" : " ", count: max(1, step.milliseconds / 100))
        }.joined()
    }
}
