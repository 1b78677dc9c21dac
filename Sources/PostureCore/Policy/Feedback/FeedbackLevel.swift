/// How much feedback a day gets in `fading` mode: 0 is the most, `FeedbackSettings.maxLevel`
/// the least. Chosen once a day by `FeedbackSchedule` (from the day log) and sent to the policy.
///
/// - Level 0: the slouch nudge comes at the slouch hold, as a gentle cue; the full pattern
///   follows `escalationDelay` later if the slouch is still there, and repeats are full.
/// - Level n ≥ 1: the slouch nudge waits for `hold × 1.5ⁿ` (capped at `maximumSlouchNudgeDelay`)
///   and is gentle only, repeats too: the wearer who corrects on their own is left to do so.
///
/// `sitting_too_long` never fades: at every level it is a gentle cue, then the full pattern
/// after `escalationDelay` if the wearer still sits. Getting up is about the hip flexors and
/// circulation, not a skill that feedback teaches; a wearer who sits tall still needs to stand.
public struct FeedbackLevel: Sendable, Equatable, Codable, Comparable {
    public var value: Int

    /// Each level lengthens the slouch hold before a nudge by this factor: a geometric step is
    /// felt the same at every level (30 s → 45 → 68 → 101 s with the defaults).
    public static let slouchHoldGrowth = 1.5
    /// … but never beyond this, seconds: the upper end of `slouch_hold_s`, past which a
    /// "posture" nudge is really a reminder of something that happened minutes ago.
    public static let maximumSlouchNudgeDelay = 600.0

    /// Full feedback, the level of a first day and the fallback when the schedule cannot be
    /// computed.
    public static let full = FeedbackLevel(0)

    public init(_ value: Int) { self.value = Swift.max(0, value) }

    /// Seconds from a slouch's onset to its first nudge at this level, for a configured hold.
    /// Level 0 keeps the configured hold exactly (no power computed), so the default constant
    /// behaviour cannot drift by a rounding.
    public func slouchNudgeDelay(hold: Double) -> Double {
        guard value > 0 else { return hold }
        var delay = hold
        for _ in 0..<value { delay *= Self.slouchHoldGrowth }
        return Swift.min(Swift.max(hold, Self.maximumSlouchNudgeDelay), delay)
    }

    /// Whether slouch nudges escalate to the full pattern at this level.
    public var slouchEscalates: Bool { value == 0 }

    public static func < (lhs: FeedbackLevel, rhs: FeedbackLevel) -> Bool { lhs.value < rhs.value }
}
