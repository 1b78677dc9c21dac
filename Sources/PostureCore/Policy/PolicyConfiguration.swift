/// Every tunable of the nudge policy. The defaults are the architecture note's default policy.
///
/// Times are seconds (of the engine's monotonic clock), angles degrees. Decoding fills a missing
/// key with its default and rejects values that make no sense (a negative hold, a recovery
/// fraction outside `0..<1`, …), so a config file can name only what it changes.
public struct PolicyConfiguration: Sendable, Equatable, Codable {
    // MARK: Slouch

    /// A slouch candidate starts when `pelvic_tilt` is more than this many degrees
    /// **posterior** of the upright-sitting reference. Anterior tilt (leaning forward to the
    /// desk from the hips) never counts. Default 10°.
    public var slouchPelvicTiltThreshold: Double
    /// … or when `lumbar_flexion` is more than this many degrees above the upright-sitting
    /// reference. Ignored without sensor 1. Default 15°.
    public var slouchLumbarFlexionThreshold: Double
    /// A slouch must last this long before it is confirmed and nudged, so that fidgeting
    /// (reaching, picking something up) never nudges. Default 30 s.
    public var slouchHold: Double
    /// While a confirmed slouch lasts, the `slouch` nudge repeats this often. Default 300 s.
    public var slouchRepeatInterval: Double
    /// Hysteresis: the posture counts as recovered only when both angles are back within this
    /// fraction of their thresholds (0.6 → within 6° of the pelvic and 9° of the lumbar
    /// reference). Between recovery and threshold the slouch neither starts nor ends. Default 0.6.
    public var slouchRecoveryFraction: Double
    /// A return to recovered posture shorter than this neither resets the hold of a slouch
    /// candidate nor ends a confirmed slouch: sitting up for two seconds and slumping again is
    /// one slouch, not two. Default 5 s.
    public var slouchRecoveryGrace: Double

    // MARK: Sitting bout

    /// Only this much **continuous** not-sitting (standing, walking, lying) ends a sitting bout;
    /// shorter interruptions neither end nor pause it. Default 60 s.
    public var sittingBreakMinimum: Double
    /// `sitting_too_long` is nudged at this much bout time. Default 1800 s (30 min).
    public var sittingTooLongAfter: Double
    /// … and repeated this often while the bout lasts. Default 900 s (15 min).
    public var sittingTooLongRepeatInterval: Double

    // MARK: Suppression (applies to every nudge)

    /// The snooze length when the wearer or `posturectl` does not name one. Default 1800 s.
    public var defaultSnoozeDuration: Double
    /// Local time-of-day ranges in which nudges are suppressed; may wrap midnight. Only applied
    /// while the wall clock is trusted. Default none.
    public var quietHours: [TimeOfDayRange]
    /// At most this many nudges are delivered per day (see `NudgePolicy.startNewDay()`); later
    /// ones are suppressed. `nil` = no cap. Default 24.
    public var dailyNudgeCap: Int?

    // MARK: Feedback (issue 14)

    /// Constant (every nudge full, the default) or fading feedback, and fading's tunables.
    public var feedback: FeedbackSettings

    /// The architecture note's default policy.
    public static let standard = PolicyConfiguration()

    public init(
        slouchPelvicTiltThreshold: Double = 10,
        slouchLumbarFlexionThreshold: Double = 15,
        slouchHold: Double = 30,
        slouchRepeatInterval: Double = 300,
        slouchRecoveryFraction: Double = 0.6,
        slouchRecoveryGrace: Double = 5,
        sittingBreakMinimum: Double = 60,
        sittingTooLongAfter: Double = 1800,
        sittingTooLongRepeatInterval: Double = 900,
        defaultSnoozeDuration: Double = 1800,
        quietHours: [TimeOfDayRange] = [],
        dailyNudgeCap: Int? = 24,
        feedback: FeedbackSettings = .standard
    ) {
        self.slouchPelvicTiltThreshold = slouchPelvicTiltThreshold
        self.slouchLumbarFlexionThreshold = slouchLumbarFlexionThreshold
        self.slouchHold = slouchHold
        self.slouchRepeatInterval = slouchRepeatInterval
        self.slouchRecoveryFraction = slouchRecoveryFraction
        self.slouchRecoveryGrace = slouchRecoveryGrace
        self.sittingBreakMinimum = sittingBreakMinimum
        self.sittingTooLongAfter = sittingTooLongAfter
        self.sittingTooLongRepeatInterval = sittingTooLongRepeatInterval
        self.defaultSnoozeDuration = defaultSnoozeDuration
        self.quietHours = quietHours
        self.dailyNudgeCap = dailyNudgeCap
        self.feedback = feedback
    }

    /// What is wrong with this configuration, one line per problem; empty when usable.
    /// `NudgePolicy` never traps on a bad configuration, but it may then never nudge.
    public var problems: [String] {
        var problems: [String] = []
        func requirePositive(_ value: Double, _ key: CodingKeys) {
            if !(value.isFinite && value > 0) { problems.append("\(key.stringValue) must be > 0, got \(value)") }
        }
        func requireNonNegative(_ value: Double, _ key: CodingKeys) {
            if !(value.isFinite && value >= 0) { problems.append("\(key.stringValue) must be ≥ 0, got \(value)") }
        }
        requirePositive(slouchPelvicTiltThreshold, .slouchPelvicTiltThreshold)
        requirePositive(slouchLumbarFlexionThreshold, .slouchLumbarFlexionThreshold)
        requireNonNegative(slouchHold, .slouchHold)
        requirePositive(slouchRepeatInterval, .slouchRepeatInterval)
        if !(slouchRecoveryFraction >= 0 && slouchRecoveryFraction < 1) {
            problems.append(
                "\(CodingKeys.slouchRecoveryFraction.stringValue) must be in 0..<1, got \(slouchRecoveryFraction)")
        }
        requireNonNegative(slouchRecoveryGrace, .slouchRecoveryGrace)
        requirePositive(sittingBreakMinimum, .sittingBreakMinimum)
        requireNonNegative(sittingTooLongAfter, .sittingTooLongAfter)
        requirePositive(sittingTooLongRepeatInterval, .sittingTooLongRepeatInterval)
        requirePositive(defaultSnoozeDuration, .defaultSnoozeDuration)
        if let cap = dailyNudgeCap, cap < 0 {
            problems.append("\(CodingKeys.dailyNudgeCap.stringValue) must be ≥ 0, got \(cap)")
        }
        problems += feedback.problems
        return problems
    }

    /// Config-file keys: snake case, with the unit when there is one.
    public enum CodingKeys: String, CodingKey {
        case slouchPelvicTiltThreshold = "slouch_pelvic_tilt_threshold_deg"
        case slouchLumbarFlexionThreshold = "slouch_lumbar_flexion_threshold_deg"
        case slouchHold = "slouch_hold_s"
        case slouchRepeatInterval = "slouch_repeat_s"
        case slouchRecoveryFraction = "slouch_recovery_fraction"
        case slouchRecoveryGrace = "slouch_recovery_grace_s"
        case sittingBreakMinimum = "sitting_break_min_s"
        case sittingTooLongAfter = "sitting_too_long_after_s"
        case sittingTooLongRepeatInterval = "sitting_too_long_repeat_s"
        case defaultSnoozeDuration = "snooze_default_s"
        case quietHours = "quiet_hours"
        case dailyNudgeCap = "daily_nudge_cap"
        case feedbackMode = "feedback"
        case escalationDelay = "escalation_s"
        case fadingCorrectionWindow = "fading_correction_window_s"
        case fadingStepUpRate = "fading_step_up_rate"
        case fadingStepDownRate = "fading_step_down_rate"
        case fadingHistoryDays = "fading_history_days"
        case fadingMaxLevel = "fading_max_level"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let standard = PolicyConfiguration()
        func value<T: Decodable>(_ key: CodingKeys, _ fallback: T) throws -> T {
            try container.decodeIfPresent(T.self, forKey: key) ?? fallback
        }
        self.init(
            slouchPelvicTiltThreshold: try value(.slouchPelvicTiltThreshold, standard.slouchPelvicTiltThreshold),
            slouchLumbarFlexionThreshold: try value(
                .slouchLumbarFlexionThreshold, standard.slouchLumbarFlexionThreshold),
            slouchHold: try value(.slouchHold, standard.slouchHold),
            slouchRepeatInterval: try value(.slouchRepeatInterval, standard.slouchRepeatInterval),
            slouchRecoveryFraction: try value(.slouchRecoveryFraction, standard.slouchRecoveryFraction),
            slouchRecoveryGrace: try value(.slouchRecoveryGrace, standard.slouchRecoveryGrace),
            sittingBreakMinimum: try value(.sittingBreakMinimum, standard.sittingBreakMinimum),
            sittingTooLongAfter: try value(.sittingTooLongAfter, standard.sittingTooLongAfter),
            sittingTooLongRepeatInterval: try value(
                .sittingTooLongRepeatInterval, standard.sittingTooLongRepeatInterval),
            defaultSnoozeDuration: try value(.defaultSnoozeDuration, standard.defaultSnoozeDuration),
            quietHours: try value(.quietHours, standard.quietHours),
            // An explicit null in the file means "no cap"; a missing key means the default.
            dailyNudgeCap: container.contains(.dailyNudgeCap)
                ? try container.decodeIfPresent(Int.self, forKey: .dailyNudgeCap) : standard.dailyNudgeCap,
            feedback: FeedbackSettings(
                mode: try value(.feedbackMode, standard.feedback.mode),
                escalationDelay: try value(.escalationDelay, standard.feedback.escalationDelay),
                correctionWindow: try value(.fadingCorrectionWindow, standard.feedback.correctionWindow),
                stepUpRate: try value(.fadingStepUpRate, standard.feedback.stepUpRate),
                stepDownRate: try value(.fadingStepDownRate, standard.feedback.stepDownRate),
                historyDays: try value(.fadingHistoryDays, standard.feedback.historyDays),
                maxLevel: try value(.fadingMaxLevel, standard.feedback.maxLevel)))
        if let problem = problems.first {
            throw DecodingError.dataCorrupted(
                DecodingError.Context(codingPath: decoder.codingPath, debugDescription: problem))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(slouchPelvicTiltThreshold, forKey: .slouchPelvicTiltThreshold)
        try container.encode(slouchLumbarFlexionThreshold, forKey: .slouchLumbarFlexionThreshold)
        try container.encode(slouchHold, forKey: .slouchHold)
        try container.encode(slouchRepeatInterval, forKey: .slouchRepeatInterval)
        try container.encode(slouchRecoveryFraction, forKey: .slouchRecoveryFraction)
        try container.encode(slouchRecoveryGrace, forKey: .slouchRecoveryGrace)
        try container.encode(sittingBreakMinimum, forKey: .sittingBreakMinimum)
        try container.encode(sittingTooLongAfter, forKey: .sittingTooLongAfter)
        try container.encode(sittingTooLongRepeatInterval, forKey: .sittingTooLongRepeatInterval)
        try container.encode(defaultSnoozeDuration, forKey: .defaultSnoozeDuration)
        try container.encode(quietHours, forKey: .quietHours)
        // Encoded as null when there is no cap, so decoding round-trips.
        try container.encode(dailyNudgeCap, forKey: .dailyNudgeCap)
        try container.encode(feedback.mode, forKey: .feedbackMode)
        try container.encode(feedback.escalationDelay, forKey: .escalationDelay)
        try container.encode(feedback.correctionWindow, forKey: .fadingCorrectionWindow)
        try container.encode(feedback.stepUpRate, forKey: .fadingStepUpRate)
        try container.encode(feedback.stepDownRate, forKey: .fadingStepDownRate)
        try container.encode(feedback.historyDays, forKey: .fadingHistoryDays)
        try container.encode(feedback.maxLevel, forKey: .fadingMaxLevel)
    }
}
