/// Delivered nudges per reason. Every reason is always present (0 when none), so the summary
/// JSON names them all; adding a reason to `NudgeReason` fails to compile here until counted.
public struct NudgeCounts: Sendable, Equatable, Codable {
    public var slouch = 0
    public var sittingTooLong = 0

    public init() {}

    public subscript(reason: NudgeReason) -> Int {
        get {
            switch reason {
            case .slouch: slouch
            case .sittingTooLong: sittingTooLong
            }
        }
        set {
            switch reason {
            case .slouch: slouch = newValue
            case .sittingTooLong: sittingTooLong = newValue
            }
        }
    }

    /// All reasons together.
    public var total: Int { NudgeReason.allCases.reduce(0) { $0 + self[$1] } }

    /// Keys are `NudgeReason` raw values, the CLI contract's strings.
    public enum CodingKeys: String, CodingKey {
        case slouch = "slouch"
        case sittingTooLong = "sitting_too_long"
    }
}

/// Suppressed nudges per cause, for the day log.
public struct SuppressionCounts: Sendable, Equatable, Codable {
    public var snoozed = 0
    public var quietHours = 0
    public var dailyCap = 0

    public init() {}

    public subscript(cause: SuppressionCause) -> Int {
        get {
            switch cause {
            case .snoozed: snoozed
            case .quietHours: quietHours
            case .dailyCap: dailyCap
            }
        }
        set {
            switch cause {
            case .snoozed: snoozed = newValue
            case .quietHours: quietHours = newValue
            case .dailyCap: dailyCap = newValue
            }
        }
    }

    /// All causes together.
    public var total: Int { SuppressionCause.allCases.reduce(0) { $0 + self[$1] } }

    /// Keys are `SuppressionCause` raw values.
    public enum CodingKeys: String, CodingKey {
        case snoozed = "snoozed"
        case quietHours = "quiet_hours"
        case dailyCap = "daily_cap"
    }
}
