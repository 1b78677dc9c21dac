/// How nudges are given: always the full pattern (`constant`, the default and the behaviour
/// before issue 14), or a gentle cue first that fades as the wearer learns (`fading`).
public enum FeedbackMode: String, Sendable, Codable, CaseIterable {
    case constant
    case fading
}

/// How strongly a nudge is given. The indicators play the reason's own pattern for `full` and
/// the one short gentle pattern for `gentle`.
public enum NudgeIntensity: String, Sendable, Codable, CaseIterable {
    /// One short pulse (or the LED): a reminder the wearer may heed before the full pattern.
    case gentle
    /// The reason's full pattern, as in constant feedback.
    case full
}

/// The tunables of fading feedback (`[policy] feedback = "fading"`). Ignored in `constant` mode.
///
/// Motor-learning research favours feedback that fades as performance improves ("guidance
/// hypothesis"): constant feedback makes the learner depend on it. So the schedule
/// (`FeedbackSchedule`) watches how often a slouch nudge is followed by sitting tall within
/// `correctionWindow`, and moves the day's `FeedbackLevel` up (less feedback) or down (more).
public struct FeedbackSettings: Sendable, Equatable {
    public var mode: FeedbackMode
    /// At level 0 (and for `sitting_too_long` at every level) the gentle cue comes first; the
    /// full pattern follows this long after it if the slouch or the sitting is still there.
    /// Default 20 s: long enough to sit up after a cue, short enough to still belong to it.
    public var escalationDelay: Double
    /// A slouch nudge counts as corrected when its slouch ends within this long of it.
    /// Default 15 s: the slouch's end is when recovery began (the 5 s grace is not counted).
    public var correctionWindow: Double
    /// The rate of corrected slouch nudges at or above which the level steps up. Default 0.8.
    public var stepUpRate: Double
    /// The rate below which the level steps down (more feedback again). Default 0.5. Between
    /// the two the level holds: the band is the hysteresis that keeps it from oscillating.
    public var stepDownRate: Double
    /// The rate is taken over this many most recent days with slouch nudges. Default 3.
    public var historyDays: Int
    /// The highest level (the least feedback). Default 3: the hold grows to 1.5³ ≈ 3.4 times.
    public var maxLevel: Int

    public static let standard = FeedbackSettings()

    public init(
        mode: FeedbackMode = .constant, escalationDelay: Double = 20, correctionWindow: Double = 15,
        stepUpRate: Double = 0.8, stepDownRate: Double = 0.5, historyDays: Int = 3, maxLevel: Int = 3
    ) {
        self.mode = mode
        self.escalationDelay = escalationDelay
        self.correctionWindow = correctionWindow
        self.stepUpRate = stepUpRate
        self.stepDownRate = stepDownRate
        self.historyDays = historyDays
        self.maxLevel = maxLevel
    }

    /// What is wrong, one line per problem naming the config key; empty when usable.
    var problems: [String] {
        typealias Key = PolicyConfiguration.CodingKeys
        var problems: [String] = []
        if !(escalationDelay.isFinite && escalationDelay > 0) {
            problems.append("\(Key.escalationDelay.stringValue) must be > 0, got \(escalationDelay)")
        }
        if !(correctionWindow.isFinite && correctionWindow > 0) {
            problems.append("\(Key.fadingCorrectionWindow.stringValue) must be > 0, got \(correctionWindow)")
        }
        if !(stepUpRate > 0 && stepUpRate <= 1) {
            problems.append("\(Key.fadingStepUpRate.stringValue) must be > 0 and ≤ 1, got \(stepUpRate)")
        }
        if !(stepDownRate >= 0 && stepDownRate < stepUpRate) {
            problems.append(
                "\(Key.fadingStepDownRate.stringValue) must be ≥ 0 and below \(Key.fadingStepUpRate.stringValue) "
                    + "(\(stepUpRate)), got \(stepDownRate)")
        }
        if historyDays < 1 { problems.append("\(Key.fadingHistoryDays.stringValue) must be ≥ 1, got \(historyDays)") }
        if maxLevel < 1 { problems.append("\(Key.fadingMaxLevel.stringValue) must be ≥ 1, got \(maxLevel)") }
        return problems
    }
}
