/// Snooze, quiet hours and the daily cap: decides whether a due nudge is delivered.
struct NudgeGate: Sendable {
    /// Engine time the snooze ends; `nil` when not snoozed.
    var snoozedUntil: Double?
    private(set) var deliveredToday = 0
    private(set) var suppressedToday = SuppressionCounts()

    /// Why a nudge due at `t` would be suppressed; `nil` to deliver it. A `localTimeOfDay` of
    /// `nil` (wall clock not trusted) or outside `0..<86400` disables quiet hours.
    func suppressionCause(
        t: Double, localTimeOfDay: Double?, configuration: PolicyConfiguration
    ) -> SuppressionCause? {
        if let until = snoozedUntil, t < until { return .snoozed }
        if let timeOfDay = localTimeOfDay, timeOfDay >= 0, timeOfDay < TimeOfDayRange.secondsPerDay,
            configuration.quietHours.contains(where: { $0.contains(timeOfDay) })
        {
            return .quietHours
        }
        if let cap = configuration.dailyNudgeCap, deliveredToday >= cap { return .dailyCap }
        return nil
    }

    /// Delivers or suppresses `reason`, counting either way, and returns the outcome.
    mutating func admit(
        _ reason: NudgeReason, t: Double, localTimeOfDay: Double?, configuration: PolicyConfiguration
    ) -> (delivered: NudgeReason?, suppressed: SuppressedNudge?) {
        if let cause = suppressionCause(t: t, localTimeOfDay: localTimeOfDay, configuration: configuration) {
            suppressedToday[cause] += 1
            return (nil, SuppressedNudge(reason: reason, cause: cause))
        }
        deliveredToday += 1
        return (reason, nil)
    }

    mutating func startNewDay() {
        deliveredToday = 0
        suppressedToday = SuppressionCounts()
    }
}
