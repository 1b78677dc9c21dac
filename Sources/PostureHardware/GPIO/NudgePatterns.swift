extension NudgePattern {
    // The built-in pattern per nudge reason. Each is distinct by feel alone (no need to look):
    // short double tap for posture, long triple for "get up", a long-short-short for the test.
    // Literal strings are parsed once; they are constants checked by `NudgePatternTests`.

    /// `slouch`: two short pulses.
    public static let slouch = builtIn("2x(150on,150off)")
    /// `sitting_too_long`: three long pulses.
    public static let sittingTooLong = builtIn("3x(600on,300off)")
    /// `test` (`posturectl test-indicator`): one long, two short.
    public static let test = builtIn("800on,300off,2x(150on,150off)")

    /// The built-in pattern for a nudge reason as the policy names it ("slouch",
    /// "sitting_too_long", "test"), or nil for a reason without one.
    public static func builtIn(forReason reason: String) -> NudgePattern? {
        switch reason {
        case "slouch": slouch
        case "sitting_too_long": sittingTooLong
        case "test": test
        default: nil
        }
    }

    /// Parses a built-in literal. A literal that failed to parse is a programming error caught
    /// by the tests; it falls back to one short pulse rather than trapping in the daemon.
    private static func builtIn(_ literal: String) -> NudgePattern {
        (try? NudgePattern(parsing: literal)) ?? NudgePattern(uncheckedSteps: [Step(on: true, milliseconds: 200)])
    }

    private init(uncheckedSteps: [Step]) {
        self.steps = uncheckedSteps
    }
}
