/// One past day's slouch nudges, as the day log recorded them (`PostureStore` computes them
/// with the one definition of "corrected after a nudge" that the day's page uses too).
public struct FeedbackDayFigures: Sendable, Equatable {
    /// Local day number (days since 1970-01-01 in local time); only its order matters here.
    public var day: Int
    /// Delivered slouch nudges, gentle and full.
    public var slouchNudges: Int
    /// Of those, the ones whose slouch ended within `FeedbackSettings.correctionWindow`.
    public var corrected: Int

    public init(day: Int, slouchNudges: Int, corrected: Int) {
        self.day = day
        self.slouchNudges = slouchNudges
        self.corrected = corrected
    }
}

/// A day's feedback level with what it came from, for the day log and `status`: the wearer
/// can see why a nudge did or did not come.
public struct FeedbackPlan: Sendable, Equatable {
    /// Why the level is what it is.
    public enum Basis: String, Sendable, Codable, CaseIterable {
        /// `feedback = "constant"`: every nudge is full.
        case constant
        /// No slouch nudges in the log yet: full feedback, the starting point.
        case noHistory = "no_history"
        /// No day with slouch nudges since the level was last set: keep it (a week away from
        /// the device is no evidence either way).
        case noNewEvidence = "no_new_evidence"
        /// Too few slouch nudges in the window for a rate worth acting on: keep the level.
        case tooFewNudges = "too_few_nudges"
        case steppedUp = "stepped_up"
        case steppedDown = "stepped_down"
        /// The rate is in the hysteresis band, or already at the top or bottom level.
        case held
        /// The day log could not be read: the last known level (or full feedback) stays.
        case fallback
        /// The wall clock is not trusted yet, so which day it is is unknown: the level last
        /// recorded holds until it is.
        case lastKnown = "last_known"
    }

    public var level: FeedbackLevel
    /// The level the schedule started from (the last one recorded before today).
    public var previousLevel: FeedbackLevel
    public var basis: Basis
    /// Corrected over slouch nudges in the window; `nil` when there were none.
    public var rate: Double?
    /// Slouch nudges and days with slouch nudges that the rate is over.
    public var nudges: Int
    public var days: Int

    public init(
        level: FeedbackLevel, previousLevel: FeedbackLevel, basis: Basis, rate: Double? = nil, nudges: Int = 0, days: Int = 0
    ) {
        self.level = level
        self.previousLevel = previousLevel
        self.basis = basis
        self.rate = rate
        self.nudges = nudges
        self.days = days
    }
}

/// Today's feedback level from the past days' figures: a pure function, so the same day log
/// always gives the same level (the daemon computes it at start-up and at local midnight).
///
/// Rules, with `FeedbackSettings`' defaults:
/// - the rate is pooled (corrected ÷ nudges) over the last `historyDays` (3) days before today
///   that had slouch nudges, so a day of one nudge weighs as little as it should;
/// - rate ≥ `stepUpRate` (0.8): one level up (less feedback), up to `maxLevel`;
///   rate < `stepDownRate` (0.5): one level down (more feedback), down to 0; in between: hold.
///   The gap between the two thresholds is the hysteresis that keeps it from oscillating;
/// - at most one step a day, and only on new evidence: a step needs a day with slouch nudges
///   on or after the day the previous level was set (the days before were already counted);
/// - fewer than `minimumNudgesForRate` nudges in the window: hold.
public enum FeedbackSchedule {
    /// Below this many slouch nudges in the window, one nudge moves the rate by 20 % or more:
    /// too little to change how a wearer is treated.
    public static let minimumNudgesForRate = 5

    /// - Parameters:
    ///   - today: today's local day number.
    ///   - previous: the last level recorded before today and the day it was set; `nil` on the first day.
    ///   - history: figures of past days, any order; days on or after `today` are ignored.
    public static func plan(
        today: Int, previous: (level: FeedbackLevel, day: Int)?, history: [FeedbackDayFigures],
        settings: FeedbackSettings
    ) -> FeedbackPlan {
        let start = FeedbackLevel(Swift.min(previous?.level.value ?? 0, settings.maxLevel))
        guard settings.mode == .fading else { return FeedbackPlan(level: .full, previousLevel: .full, basis: .constant) }
        let window = history.filter { $0.day < today && $0.slouchNudges > 0 }.sorted { $0.day < $1.day }
            .suffix(Swift.max(1, settings.historyDays))
        guard let newest = window.last else { return FeedbackPlan(level: start, previousLevel: start, basis: .noHistory) }
        let nudges = window.reduce(0) { $0 + $1.slouchNudges }
        let corrected = window.reduce(0) { $0 + Swift.min($1.corrected, $1.slouchNudges) }
        let rate = Double(corrected) / Double(nudges)
        var plan = FeedbackPlan(
            level: start, previousLevel: start, basis: .held, rate: rate, nudges: nudges, days: window.count)
        if let previous, newest.day < previous.day {
            plan.basis = .noNewEvidence
        } else if nudges < minimumNudgesForRate {
            plan.basis = .tooFewNudges
        } else if rate >= settings.stepUpRate, start.value < settings.maxLevel {
            plan.level = FeedbackLevel(start.value + 1)
            plan.basis = .steppedUp
        } else if rate < settings.stepDownRate, start.value > 0 {
            plan.level = FeedbackLevel(start.value - 1)
            plan.basis = .steppedDown
        }
        return plan
    }
}

extension FeedbackPlan: CustomStringConvertible {
    /// One line for the log and `status`: the level and why.
    public var description: String {
        let figures = rate.map { rate in
            "\(Int(exactly: (rate * 100).rounded()).map(String.init) ?? "?")% of \(nudges) slouch nudge\(nudges == 1 ? "" : "s") corrected in time over \(days) day\(days == 1 ? "" : "s")"
        }
        let why: String = switch basis {
        case .constant: "constant feedback"
        case .noHistory: "no slouch nudges logged yet"
        case .noNewEvidence: "no new day with slouch nudges since the level was set"
        case .tooFewNudges: "too few slouch nudges to judge (\(figures ?? "none"))"
        case .steppedUp: "\(figures ?? ""): less feedback"
        case .steppedDown: "\(figures ?? ""): more feedback"
        case .held: figures.map { "\($0): level kept" } ?? "level kept"
        case .fallback: "the day log could not be read: last known level kept"
        case .lastKnown: "the clock is not synchronised yet: last recorded level kept"
        }
        return "level \(level.value): \(why)"
    }
}
