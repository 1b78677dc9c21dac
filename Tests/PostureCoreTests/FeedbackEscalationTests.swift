import PostureCore
import XCTest

/// Fading feedback in the policy (issue 14): the gentle cue first, the full pattern only if the
/// slouch or the sitting is still there `escalation_s` later; longer holds and gentle cues only
/// at higher levels; `sitting_too_long` never fades.
final class FeedbackEscalationTests: XCTestCase {
    private let tick = PolicyTestDriver.tick
    private let slouched = 15.0  // degrees posterior: past the 10° threshold

    private static let fading = PolicyConfiguration(feedback: FeedbackSettings(mode: .fading))

    private func driver(level: Int = 0) -> PolicyTestDriver {
        var driver = PolicyTestDriver(Self.fading)
        driver.policy.setFeedbackLevel(FeedbackLevel(level))
        return driver
    }

    private func assertNudges(
        _ driver: PolicyTestDriver, _ expected: [(Double, NudgeReason, NudgeIntensity)],
        file: StaticString = #filePath, line: UInt = #line
    ) {
        let actual = zip(driver.nudges, driver.intensities).map { "\($0.reason.rawValue)/\($1.rawValue)@\($0.t)" }
        XCTAssertEqual(driver.nudges.count, expected.count, "nudges \(actual)", file: file, line: line)
        for ((nudge, intensity), (t, reason, expectedIntensity)) in zip(zip(driver.nudges, driver.intensities), expected) {
            XCTAssertEqual(nudge.t, t, accuracy: tick + 1e-9, "nudges \(actual)", file: file, line: line)
            XCTAssertEqual(nudge.reason, reason, "nudges \(actual)", file: file, line: line)
            XCTAssertEqual(intensity, expectedIntensity, "nudges \(actual)", file: file, line: line)
        }
    }

    // MARK: Level 0: escalation

    func testGentleCueFirstThenFullIfStillSlouched() {
        var driver = driver()
        driver.run(10)
        driver.run(120, posterior: slouched)
        assertNudges(driver, [(40, .slouch, .gentle), (60, .slouch, .full)])
    }

    func testNothingMoreWhenCorrectedAfterTheGentleCue() {
        var driver = driver()
        driver.run(10)
        driver.run(35, posterior: slouched)  // cue at 40, sits tall at 45
        driver.run(10 * 60)
        assertNudges(driver, [(40, .slouch, .gentle)])
        XCTAssertFalse(driver.policy.isSlouching)
    }

    /// Sitting tall 4 s before the full pattern was due: the slouch still counts during the
    /// recovery grace (5 s), but the full pattern is not given to a wearer already sitting up.
    func testNoFullPatternWhileTheWearerIsAlreadySittingUp() {
        var driver = driver()
        driver.run(10)
        driver.run(46, posterior: slouched)  // cue at 40, sits tall at 56, full was due at 60
        driver.run(10 * 60)
        assertNudges(driver, [(40, .slouch, .gentle)])
    }

    /// A slump again within the grace is the same slouch: the full pattern comes then.
    func testTheFullPatternWaitsOutABriefSitUpAndComesIfTheSlumpReturns() {
        var driver = driver()
        driver.run(10)
        driver.run(48, posterior: slouched)  // cue at 40
        driver.run(3)  // 58–61: sitting up, within the 5 s grace
        driver.run(30, posterior: slouched)
        assertNudges(driver, [(40, .slouch, .gentle), (61, .slouch, .full)])
    }

    /// A snoozed gentle cue was never felt: no full pattern follows it when the snooze ends;
    /// the next repeat starts gently again.
    func testASuppressedCueIsNotEscalated() {
        var driver = driver()
        driver.policy.snooze(until: 45)
        driver.run(10)
        driver.run(7 * 60, posterior: slouched)  // cue due at 40, snoozed
        XCTAssertEqual(driver.suppressed.map(\.t), [40])
        assertNudges(driver, [(340, .slouch, .gentle), (360, .slouch, .full)])
    }

    /// A reload back to constant mode leaves no gentle cue behind: timers keep their due times
    /// (the reload rule), and what comes then is full, as constant mode gives every nudge.
    func testAReloadToConstantModeLeavesNoGentleCue() {
        var driver = driver(level: 2)
        driver.run(10)
        driver.run(60, posterior: slouched)  // gentle cue due at 77.5 s at level 2
        driver.policy.reconfigure(.standard)
        driver.run(6 * 60, posterior: slouched)
        assertNudges(driver, [(77.5, .slouch, .full), (377.5, .slouch, .full)])
    }

    /// The same for sitting_too_long: the full pattern pending after its cue is dropped, the
    /// bout's own repeat timer goes on.
    func testAReloadToConstantModeDropsThePendingBoutEscalation() {
        var driver = driver()
        driver.run(1805)  // cue at 1800 s, full due at 1820 s
        driver.policy.reconfigure(.standard)
        driver.run(900)
        assertNudges(driver, [(1800, .sittingTooLong, .gentle), (2700, .sittingTooLong, .full)])
    }

    func testRepeatsAfterEscalationAreFull() {
        var driver = driver()
        driver.run(10)
        driver.run(6 * 60, posterior: slouched)
        assertNudges(driver, [(40, .slouch, .gentle), (60, .slouch, .full), (360, .slouch, .full)])
    }

    func testConstantModeGivesEveryNudgeFull() {
        var driver = PolicyTestDriver()
        driver.policy.setFeedbackLevel(FeedbackLevel(3))  // ignored in constant mode
        driver.run(10)
        driver.run(6 * 60, posterior: slouched)
        assertNudges(driver, [(40, .slouch, .full), (340, .slouch, .full)])
    }

    // MARK: Higher levels: longer hold, gentle only

    func testLevelTwoWaitsLongerAndStaysGentle() {
        var driver = driver(level: 2)
        driver.run(10)
        driver.run(7 * 60, posterior: slouched)
        // 30 s × 1.5² = 67.5 s after the onset at 10 s; repeats every 300 s, gentle.
        assertNudges(driver, [(77.5, .slouch, .gentle), (377.5, .slouch, .gentle)])
    }

    func testSlouchShorterThanTheFadedHoldIsLoggedButNotNudged() {
        var driver = driver(level: 2)
        driver.run(10)
        driver.run(60, posterior: slouched)  // confirmed at 40 s, corrected before 77.5 s
        driver.run(120)
        XCTAssertTrue(driver.nudges.isEmpty)
        XCTAssertEqual(driver.slouchChanges.first?.change, .started(onset: 10), "slouch time is the same at every level")
    }

    func testFadedHoldIsCapped() {
        XCTAssertEqual(FeedbackLevel(0).slouchNudgeDelay(hold: 30), 30)
        XCTAssertEqual(FeedbackLevel(1).slouchNudgeDelay(hold: 30), 45, accuracy: 1e-9)
        XCTAssertEqual(FeedbackLevel(3).slouchNudgeDelay(hold: 30), 101.25, accuracy: 1e-9)
        XCTAssertEqual(FeedbackLevel(5).slouchNudgeDelay(hold: 300), FeedbackLevel.maximumSlouchNudgeDelay)
    }

    func testLevelIsClampedToTheMaximum() {
        var policy = NudgePolicy(configuration: Self.fading)
        policy.setFeedbackLevel(FeedbackLevel(9))
        XCTAssertEqual(policy.feedbackLevel, FeedbackLevel(3))
        var lower = Self.fading
        lower.feedback.maxLevel = 1
        policy.reconfigure(lower)
        XCTAssertEqual(policy.feedbackLevel, FeedbackLevel(1))
    }

    // MARK: Sitting too long escalates and never fades

    func testSittingTooLongEscalatesAtEveryLevel() {
        for level in [0, 3] {
            var driver = driver(level: level)
            driver.run(1900)
            assertNudges(driver, [(1800, .sittingTooLong, .gentle), (1820, .sittingTooLong, .full)])
        }
    }

    func testGettingUpAfterTheCueCancelsTheFullNudge() {
        var driver = driver()
        driver.run(1810)
        driver.run(120, .standing)
        driver.run(60)
        assertNudges(driver, [(1800, .sittingTooLong, .gentle)])
    }
}
