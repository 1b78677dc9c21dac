public import PostureCore

/// The reply to `snooze`.
public struct SnoozeResult: Sendable, Equatable, Codable {
    /// Seconds until nudges resume.
    public var remainingSeconds: Double

    public init(remainingSeconds: Double) { self.remainingSeconds = remainingSeconds.isFinite ? remainingSeconds : 0 }

    enum CodingKeys: String, CodingKey { case remainingSeconds = "remaining_s" }
}

/// The reply to `resume`.
public struct ResumeResult: Sendable, Equatable, Codable {
    /// Whether a snooze was in force (resume is idempotent).
    public var wasSnoozed: Bool

    public init(wasSnoozed: Bool) { self.wasSnoozed = wasSnoozed }

    enum CodingKeys: String, CodingKey { case wasSnoozed = "was_snoozed" }
}

/// The reply to `test-nudge`.
public struct TestNudgeResult: Sendable, Equatable, Codable {
    /// The reason whose pattern was played.
    public var reason: NudgeReason
    /// The indicators it was played on ("gpiochip0:17 buzzer"); empty with no indicator configured.
    public var indicators: [String]

    public init(reason: NudgeReason, indicators: [String]) {
        self.reason = reason
        self.indicators = indicators
    }
}

/// The reply to `reload`.
public struct ReloadResult: Sendable, Equatable, Codable {
    /// The configuration file read.
    public var path: String
    /// Sections or options whose values changed and were applied.
    public var changed: [String]
    /// Options that need a restart to take effect, or other remarks.
    public var warnings: [String]

    public init(path: String, changed: [String], warnings: [String]) {
        self.path = path
        self.changed = changed
        self.warnings = warnings
    }
}

/// The final reply of a `watch` with a `count`.
public struct WatchSummary: Sendable, Equatable, Codable {
    public var frames: Int
    /// The rate actually used, Hz (after clamping to 1…50).
    public var rateHz: Double

    public init(frames: Int, rateHz: Double) {
        self.frames = frames
        self.rateHz = rateHz
    }

    enum CodingKeys: String, CodingKey {
        case frames
        case rateHz = "rate_hz"
    }
}
