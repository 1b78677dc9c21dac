import PostureCore
import PostureStore

/// The supervisor's fading-feedback bookkeeping, apart from the actor so it can be tested
/// alone: once a day it asks for the day's plan, and when that fails it keeps the last known
/// level (full feedback if none) and says so once, until a plan succeeds again.
struct FeedbackPlanner {
    /// The plan in force, and the local day it was made for (`nil` before the clock is trusted).
    private(set) var plan: FeedbackPlan?
    private(set) var date: LocalDate?
    private var faultReported = false

    /// What `planDay` decided.
    struct Outcome {
        var plan: FeedbackPlan
        /// A warning to log: set only for the first failure of a run of failures.
        var warning: String?
    }

    /// Today's plan from `read` (which reads the day log), unless `today` already has one.
    /// When `read` fails the level in force is kept (else the last one recorded, else full
    /// feedback) as a `fallback` plan that is not dated, so the next clock check tries again;
    /// a repeated failure that changes nothing returns nil (nothing to send, nothing to log).
    mutating func planDay(_ today: LocalDate, read: () throws -> FeedbackPlan, lastRecorded: () -> FeedbackLevel?) -> Outcome? {
        guard today != date else { return nil }
        do {
            let outcome = Outcome(plan: try read())
            faultReported = false
            plan = outcome.plan
            date = today
            return outcome
        } catch {
            let level = plan?.level ?? lastRecorded() ?? .full
            let fallback = FeedbackPlan(level: level, previousLevel: level, basis: .fallback)
            defer { plan = fallback }
            if faultReported && plan == fallback { return nil }
            var outcome = Outcome(plan: fallback)
            if !faultReported {
                faultReported = true
                outcome.warning = "fading feedback: the day log could not be read (\(error)); nudging goes on at "
                    + "feedback level \(level.value) until it can"
            }
            return outcome
        }
    }

    /// Before the clock is trusted: the level last recorded (`lastRecorded`), once.
    mutating func planWithoutDate(lastRecorded: () -> FeedbackLevel?) -> FeedbackPlan? {
        // Also after a reload from constant mode, whose plan says nothing of fading's level.
        guard plan == nil || plan?.basis == .constant else { return nil }
        let level = lastRecorded() ?? .full
        plan = FeedbackPlan(level: level, previousLevel: level, basis: .lastKnown)
        return plan
    }

    /// Constant mode: level 0, no day; `nil` when already so.
    mutating func planConstant() -> FeedbackPlan? {
        guard plan?.basis != .constant else { return nil }
        plan = FeedbackPlan(level: .full, previousLevel: .full, basis: .constant)
        date = nil
        return plan
    }

    /// The plan could not be sent to the loop, or the parameters changed: plan again.
    mutating func forget() {
        date = nil
        if plan?.basis == .lastKnown { plan = nil }  // so `planWithoutDate` sends it again
    }
}
