import PostureCore
import PostureStore

/// Fading feedback (issue 14): the day's level, computed from the day log off the sampling
/// thread and sent to the loop at start-up, when the clock becomes trusted, at local midnight
/// and on a reload that changes the feedback keys. A side feature: when it fails, nudging goes
/// on at the last known level (full feedback if none), reported once (`FeedbackPlanner`).
extension Supervisor {
    var feedbackPlan: FeedbackPlan? { feedback.plan }

    /// Computes today's plan unless it is already in force for today.
    func planFeedbackIfDue() {
        let settings = configuration.policy.feedback
        guard settings.mode == .fading else {
            if let plan = feedback.planConstant() { send(plan, settings: settings) }
            return
        }
        guard let mapping = buffer.mapping else {
            // Which day it is is unknown until the clock is trusted: keep the level last recorded.
            let plan = feedback.planWithoutDate {
                (try? dayLog.lastFeedbackRecord(before: .greatestFiniteMagnitude))?.plan.level
            }
            if let plan { send(plan, settings: settings) }
            return
        }
        let today = LocalTimeZone.system.components(mapping.wallTime(monotonic: monotonicNow())).date
        guard today != feedback.date else { return }
        flush()  // yesterday's last events belong in the figures
        let todayStart = LocalTimeZone.system.startOfDay(today)
        guard let outcome = feedback.planDay(
            today, read: { try dayLog.feedbackPlan(for: today, settings: settings) },
            lastRecorded: { (try? dayLog.lastFeedbackRecord(before: todayStart))?.plan.level })
        else { return }
        if let warning = outcome.warning { logger.warning("\(warning)") }
        // Recorded once it is in force, and never a fallback: tomorrow's schedule starts from
        // the last recorded level, which a failed read must not replace with its stand-in.
        guard send(outcome.plan, settings: settings), outcome.plan.basis != .fallback else { return }
        buffer.add(FeedbackRecord(date: today, plan: outcome.plan, settings: settings).event(at: monotonicNow()))
    }

    /// A reload changed the feedback keys: the schedule is worked out again with them.
    func replanFeedback() {
        feedback.forget()
        planFeedbackIfDue()
    }

    /// Sends `plan`'s level to the loop; false when the command ring is full (then planned again).
    @discardableResult
    private func send(_ plan: FeedbackPlan, settings: FeedbackSettings) -> Bool {
        guard loop.send(.setFeedbackLevel(plan.level)) else {
            // The command ring is full (rare): plan again at the next clock check.
            feedback.forget()
            logger.warning("the sampling loop's command queue is full; the feedback level goes with the next check")
            return false
        }
        logger.info("feedback", metadata: ["mode": "\(settings.mode.rawValue)", "plan": "\(plan)"])
        return true
    }
}
