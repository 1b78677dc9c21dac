import PostureCore
import XCTest

/// `FeedbackSchedule`: today's level from the past days' corrected-slouch-nudge figures.
final class FeedbackScheduleTests: XCTestCase {
    private let settings = FeedbackSettings(mode: .fading)

    private func day(_ day: Int, _ nudges: Int, _ corrected: Int) -> FeedbackDayFigures {
        FeedbackDayFigures(day: day, slouchNudges: nudges, corrected: corrected)
    }

    /// Runs the schedule day after day as the daemon does at each midnight, each day's figures
    /// given by `figures(day, level)`; returns the level of each day.
    private func run(days: Int, figures: (Int, FeedbackLevel) -> FeedbackDayFigures) -> [Int] {
        var history: [FeedbackDayFigures] = []
        var previous: (level: FeedbackLevel, day: Int)?
        var levels: [Int] = []
        for today in 0..<days {
            let plan = FeedbackSchedule.plan(today: today, previous: previous, history: history, settings: settings)
            levels.append(plan.level.value)
            previous = (plan.level, today)
            history.append(figures(today, plan.level))
        }
        return levels
    }

    func testImprovingWearerStepsUpOneLevelADayToTheCap() {
        XCTAssertEqual(run(days: 7) { day, _ in self.day(day, 10, 9) }, [0, 1, 2, 3, 3, 3, 3])
    }

    func testWearerWhoDoesNotImproveStaysAtFullFeedback() {
        XCTAssertEqual(run(days: 7) { day, _ in self.day(day, 10, 2) }, [0, 0, 0, 0, 0, 0, 0])
    }

    func testFallingRateBringsFeedbackBackOneLevelADay() {
        // Good for three days, then the wearer stops correcting.
        let levels = run(days: 9) { day, _ in self.day(day, 10, day < 3 ? 10 : 1) }
        // Day 4 still pools two good days (21 of 30, in the band); then 12/30, 3/30, …
        XCTAssertEqual(levels, [0, 1, 2, 3, 3, 2, 1, 0, 0])
    }

    func testRateInTheHysteresisBandHoldsTheLevel() {
        for rate in [5, 6, 7] {  // 0.5 ≤ rate < 0.8
            let plan = FeedbackSchedule.plan(
                today: 10, previous: (FeedbackLevel(2), 9), history: [day(9, 10, rate)], settings: settings)
            XCTAssertEqual(plan.level, FeedbackLevel(2), "rate \(rate)/10")
            XCTAssertEqual(plan.basis, .held)
        }
        let down = FeedbackSchedule.plan(today: 10, previous: (FeedbackLevel(2), 9), history: [day(9, 10, 4)], settings: settings)
        XCTAssertEqual(down.level, FeedbackLevel(1))
        XCTAssertEqual(down.basis, .steppedDown)
        let up = FeedbackSchedule.plan(today: 10, previous: (FeedbackLevel(2), 9), history: [day(9, 10, 8)], settings: settings)
        XCTAssertEqual(up.level, FeedbackLevel(3))
        XCTAssertEqual(up.basis, .steppedUp)
    }

    func testRateIsPooledOverTheLastDaysWithNudges() {
        // Days 1 and 2 have no nudges and are skipped; day 0 drops out of a 3-day window.
        let history = [day(0, 10, 0), day(3, 10, 10), day(4, 2, 2), day(5, 8, 6)]
        let plan = FeedbackSchedule.plan(today: 6, previous: (.full, 5), history: history, settings: settings)
        XCTAssertEqual(plan.rate ?? -1, 18.0 / 20.0, accuracy: 1e-12)
        XCTAssertEqual(plan.days, 3)
        XCTAssertEqual(plan.nudges, 20)
        XCTAssertEqual(plan.level, FeedbackLevel(1))
    }

    func testNoNewEvidenceHoldsTheLevel() {
        // Away for a week: the last days with nudges were counted when the level was set.
        let history = [day(1, 10, 10), day(2, 10, 10)]
        let plan = FeedbackSchedule.plan(today: 10, previous: (FeedbackLevel(2), 3), history: history, settings: settings)
        XCTAssertEqual(plan.level, FeedbackLevel(2))
        XCTAssertEqual(plan.basis, .noNewEvidence)
    }

    func testTooFewNudgesHoldTheLevel() {
        let plan = FeedbackSchedule.plan(today: 2, previous: (.full, 1), history: [day(1, 4, 4)], settings: settings)
        XCTAssertEqual(plan.level, .full)
        XCTAssertEqual(plan.basis, .tooFewNudges)
    }

    func testFirstDayAndConstantMode() {
        let first = FeedbackSchedule.plan(today: 0, previous: nil, history: [], settings: settings)
        XCTAssertEqual(first.level, .full)
        XCTAssertEqual(first.basis, .noHistory)
        let constant = FeedbackSchedule.plan(
            today: 5, previous: (FeedbackLevel(3), 4), history: [day(4, 10, 10)], settings: .standard)
        XCTAssertEqual(constant.level, .full)
        XCTAssertEqual(constant.basis, .constant)
    }

    func testTodayAndLaterDaysAreIgnoredSoARestartGivesTheSameLevel() {
        let before = [day(3, 10, 9)]
        let plan = FeedbackSchedule.plan(today: 4, previous: (FeedbackLevel(1), 3), history: before, settings: settings)
        let restarted = FeedbackSchedule.plan(
            today: 4, previous: (FeedbackLevel(1), 3), history: before + [day(4, 10, 0)], settings: settings)
        XCTAssertEqual(plan, restarted)
        XCTAssertEqual(plan.level, FeedbackLevel(2))
    }

    func testDescriptionSaysWhy() {
        let plan = FeedbackSchedule.plan(today: 4, previous: (FeedbackLevel(1), 3), history: [day(3, 10, 9)], settings: settings)
        XCTAssertEqual(plan.description, "level 2: 90% of 10 slouch nudges corrected in time over 1 day: less feedback")
    }
}
