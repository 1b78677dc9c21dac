import PostureCore

/// `[policy]` decodes straight into PostureCore's `PolicyConfiguration`, using its `CodingKeys`
/// as the key names so that the engine, the file and this reader share one vocabulary.
///
/// The ranges here are the config file's: narrower than what the engine merely tolerates, so
/// a typo (a threshold of 100°, a hold of a day) is caught at start-up rather than silently
/// making the device useless.
extension PolicyConfiguration {
    typealias Key = PolicyConfiguration.CodingKeys

    static let configRanges: [Key: ClosedRange<Double>] = [
        .slouchPelvicTiltThreshold: 1...45,
        .slouchLumbarFlexionThreshold: 1...60,
        .slouchHold: 0...600,
        .slouchRepeatInterval: 10...7200,
        .slouchRecoveryFraction: 0...0.95,
        .slouchRecoveryGrace: 0...60,
        .sittingBreakMinimum: 1...1800,
        .sittingTooLongAfter: 60...14_400,
        .sittingTooLongRepeatInterval: 60...14_400,
        .defaultSnoozeDuration: 60...86_400,
        // Fading feedback (issue 14). Under 5 s a cue and its escalation are one buzz; over
        // 5 min the full pattern no longer belongs to the cue.
        .escalationDelay: 5...300,
        // Under 5 s the 5 s recovery grace alone can miss it; over 5 min it is not a response.
        .fadingCorrectionWindow: 5...300,
        // Stepping up on fewer than half the nudges corrected would fade feedback from a
        // wearer who mostly ignores it.
        .fadingStepUpRate: 0.5...1,
        .fadingStepDownRate: 0...0.9,
    ]
    /// Days of history for the correction rate: two weeks is plenty to smooth a bad day.
    static let fadingHistoryDaysRange = 1...14
    /// Levels above 0: 1.5⁵ ≈ 7.6 times the hold is already past any useful posture cue.
    static let fadingMaxLevelRange = 1...5
    static let dailyNudgeCapRange = 1...1000
    static let noCap = "none"

    init(reading reader: inout SectionReader) {
        let defaults = PolicyConfiguration.standard
        func number(_ key: Key, _ fallback: Double) -> Double {
            reader.read(key.rawValue, .number(in: Self.configRanges[key] ?? 0...Double.greatestFiniteMagnitude), default: fallback)
        }
        self.init(
            slouchPelvicTiltThreshold: number(.slouchPelvicTiltThreshold, defaults.slouchPelvicTiltThreshold),
            slouchLumbarFlexionThreshold: number(.slouchLumbarFlexionThreshold, defaults.slouchLumbarFlexionThreshold),
            slouchHold: number(.slouchHold, defaults.slouchHold),
            slouchRepeatInterval: number(.slouchRepeatInterval, defaults.slouchRepeatInterval),
            slouchRecoveryFraction: number(.slouchRecoveryFraction, defaults.slouchRecoveryFraction),
            slouchRecoveryGrace: number(.slouchRecoveryGrace, defaults.slouchRecoveryGrace),
            sittingBreakMinimum: number(.sittingBreakMinimum, defaults.sittingBreakMinimum),
            sittingTooLongAfter: number(.sittingTooLongAfter, defaults.sittingTooLongAfter),
            sittingTooLongRepeatInterval: number(.sittingTooLongRepeatInterval, defaults.sittingTooLongRepeatInterval),
            defaultSnoozeDuration: number(.defaultSnoozeDuration, defaults.defaultSnoozeDuration),
            quietHours: reader.read(Key.quietHours.rawValue, ValueRule.timeOfDayRange.array(), default: defaults.quietHours),
            dailyNudgeCap: reader.read(Key.dailyNudgeCap.rawValue, .dailyNudgeCap, default: defaults.dailyNudgeCap),
            feedback: FeedbackSettings(
                mode: reader.read(Key.feedbackMode.rawValue, .choice, default: defaults.feedback.mode),
                escalationDelay: number(.escalationDelay, defaults.feedback.escalationDelay),
                correctionWindow: number(.fadingCorrectionWindow, defaults.feedback.correctionWindow),
                stepUpRate: number(.fadingStepUpRate, defaults.feedback.stepUpRate),
                stepDownRate: number(.fadingStepDownRate, defaults.feedback.stepDownRate),
                historyDays: reader.read(
                    Key.fadingHistoryDays.rawValue, .integer(in: Self.fadingHistoryDaysRange),
                    default: defaults.feedback.historyDays),
                maxLevel: reader.read(
                    Key.fadingMaxLevel.rawValue, .integer(in: Self.fadingMaxLevelRange), default: defaults.feedback.maxLevel)))
        // The two rates are each in range but must leave a hysteresis band between them:
        // reported at the step-down rate (or the step-up rate, if only that one is set).
        var reportedRates = false
        if feedback.stepDownRate >= feedback.stepUpRate {
            let key = reader.table[Key.fadingStepDownRate.rawValue] != nil ? Key.fadingStepDownRate : Key.fadingStepUpRate
            reader.report(
                key: key.rawValue, line: reader.table[key.rawValue]?.line ?? reader.table.line,
                "\(Key.fadingStepDownRate.rawValue) (\(feedback.stepDownRate)) must be below "
                    + "\(Key.fadingStepUpRate.rawValue) (\(feedback.stepUpRate)), leaving a band where the level holds")
            reportedRates = true
        }
        // In fading mode a gentle cue's full pattern comes escalation_s later; a repeat due
        // before then would start a new cue and push the full pattern out for ever, so
        // sitting_too_long (which never fades) would never be felt in full.
        if feedback.mode == .fading {
            for (repeatKey, interval) in [(Key.slouchRepeatInterval, slouchRepeatInterval), (.sittingTooLongRepeatInterval, sittingTooLongRepeatInterval)]
            where feedback.escalationDelay >= interval {
                let key = reader.table[Key.escalationDelay.rawValue] != nil ? Key.escalationDelay : repeatKey
                reader.report(
                    key: key.rawValue, line: reader.table[key.rawValue]?.line ?? reader.table.line,
                    "\(Key.escalationDelay.rawValue) (\(feedback.escalationDelay) s) must be shorter than "
                        + "\(repeatKey.rawValue) (\(interval) s): with feedback = \"fading\" the full pattern follows a cue "
                        + "escalation_s later, and a repeat due before it would put it off for ever")
            }
        }
        // The engine's own check, as a safety net should its rules ever become stricter than ours.
        for problem in problems where !(reportedRates && problem.hasPrefix(Key.fadingStepDownRate.rawValue)) {
            reader.report(key: nil, line: reader.table.line, "\(problem)")
        }
    }
}

extension ValueRule where Output == TimeOfDayRange {
    /// `"22:00-07:00"`: 24-hour local times, may wrap midnight, start ≠ end.
    static var timeOfDayRange: ValueRule<TimeOfDayRange> {
        let expected = "\"HH:MM-HH:MM\" time ranges (24-hour local time, may wrap midnight, e.g. \"22:00-07:00\")"
        return ValueRule(expected: expected) { value in
            guard case .string(let text) = value.content else { return .failure(.wrongType(value, expected: expected)) }
            guard let range = TimeOfDayRange(parsing: text) else {
                return .failure(ValueFailure("\(value.rendered) is not a time range, expected \(expected)"))
            }
            guard range.start != range.end else {
                return .failure(ValueFailure("\(value.rendered) starts and ends at the same time and would never apply, expected \(expected)"))
            }
            return .success(range)
        }
    }
}

extension ValueRule where Output == Int? {
    /// A cap from 1 to 1000, or `"none"`. TOML has no null, and 0 would silently mean "never nudge".
    static var dailyNudgeCap: ValueRule<Int?> {
        let range = PolicyConfiguration.dailyNudgeCapRange
        let expected = "an integer from \(range.lowerBound) to \(range.upperBound), or \"\(PolicyConfiguration.noCap)\" for no cap"
        return ValueRule(expected: expected) { value in
            switch value.content {
            case .string(PolicyConfiguration.noCap): return .success(nil)
            case .integer(let cap) where (Int64(range.lowerBound)...Int64(range.upperBound)).contains(cap): return .success(Int(cap))
            case .integer: return .failure(.outOfRange(value, expected: expected))
            case .string: return .failure(ValueFailure("\(value.rendered) is not allowed, expected \(expected)"))
            default: return .failure(.wrongType(value, expected: expected))
            }
        }
    }
}
