import Foundation
import PostureCore
import XCTest

final class PolicyTests: XCTestCase {
    /// One 10 Hz tick: the tolerance on when a nudge fires.
    private let tick = PolicyTestDriver.tick
    private let slouched = 15.0  // degrees posterior: past the 10° threshold

    private func assertTimes(
        _ actual: [Double], _ expected: [Double], file: StaticString = #filePath, line: UInt = #line
    ) {
        XCTAssertEqual(actual.count, expected.count, "times \(actual), expected \(expected)", file: file, line: line)
        for (a, e) in zip(actual, expected) {
            XCTAssertEqual(a, e, accuracy: tick + 1e-9, "times \(actual), expected \(expected)", file: file, line: line)
        }
    }

    // MARK: Hold

    func testSlouchHeld29SecondsDoesNotNudge() {
        var driver = PolicyTestDriver()
        driver.run(10)
        driver.run(29, posterior: slouched)
        driver.run(60)
        XCTAssertTrue(driver.nudges.isEmpty)
        XCTAssertTrue(driver.slouchChanges.isEmpty)
        XCTAssertFalse(driver.policy.isSlouching)
    }

    func testSlouchHeld31SecondsNudgesAtHoldTime() {
        var driver = PolicyTestDriver()
        driver.run(10)
        driver.run(31, posterior: slouched)
        assertTimes(driver.nudgeTimes(.slouch), [40])
        XCTAssertTrue(driver.policy.isSlouching)
        XCTAssertEqual(driver.slouchChanges.first?.change, .started(onset: 10))
    }

    func testSlouchRepeatsEveryFiveMinutesWhileItLasts() {
        var driver = PolicyTestDriver()
        driver.run(10)
        driver.run(16 * 60, posterior: slouched)
        assertTimes(driver.nudgeTimes(.slouch), [40, 340, 640, 940])
        driver.run(10 * 60)  // recovered: no more
        XCTAssertEqual(driver.nudges.count, 4)
    }

    // MARK: Hysteresis and fidgeting

    func testHysteresisKeepsSlouchAt80PercentAndEndsItAt50Percent() {
        var driver = PolicyTestDriver()
        driver.run(10)
        driver.run(31, posterior: slouched)
        driver.run(120, posterior: 8)  // 80% of the 10° threshold
        XCTAssertTrue(driver.policy.isSlouching)
        let recoveryStart = driver.t
        driver.run(4, posterior: 5)  // 50%, shorter than the 5 s grace
        XCTAssertTrue(driver.policy.isSlouching)
        driver.run(2, posterior: 5)
        XCTAssertFalse(driver.policy.isSlouching)
        guard case .ended(let onset, let end)? = driver.slouchChanges.last?.change else {
            return XCTFail("slouch did not end: \(driver.slouchChanges)")
        }
        XCTAssertEqual(onset, 10, accuracy: 1e-9)
        XCTAssertEqual(end, recoveryStart, accuracy: 1e-9)
    }

    func testHysteresisBandDoesNotStartASlouch() {
        var driver = PolicyTestDriver()
        driver.run(10)
        driver.run(10 * 60, posterior: 8, flexion: 12)  // 80% of both thresholds
        XCTAssertTrue(driver.nudges.isEmpty)
    }

    func testRepeatedTenSecondExcursionsDoNotNudge() {
        var driver = PolicyTestDriver()
        for _ in 0..<40 {
            driver.run(10, posterior: 20, flexion: 25)
            driver.run(10)
        }
        XCTAssertTrue(driver.nudges.isEmpty)
        XCTAssertTrue(driver.slouchChanges.isEmpty)
    }

    func testBriefReturnsShorterThanGraceDoNotResetTheHold() {
        var driver = PolicyTestDriver()
        driver.run(10)
        driver.run(20, posterior: slouched)
        driver.run(3)  // sits up for 3 s < 5 s grace
        driver.run(20, posterior: slouched)
        assertTimes(driver.nudgeTimes(.slouch), [40])
    }

    func testReturnLongerThanGraceResetsTheHold() {
        var driver = PolicyTestDriver()
        driver.run(10)
        driver.run(20, posterior: slouched)
        driver.run(6)
        driver.run(29, posterior: slouched)
        XCTAssertTrue(driver.nudges.isEmpty)
        driver.run(2, posterior: slouched)
        assertTimes(driver.nudgeTimes(.slouch), [36 + 30])
    }

    // MARK: Criteria

    func testLeaningForwardFromTheHipsIsNotSlouching() {
        var driver = PolicyTestDriver()
        driver.run(10)
        driver.run(10 * 60, posterior: -25, flexion: 0)  // pelvis 25° anterior, lumbar neutral
        XCTAssertTrue(driver.nudges.isEmpty)
        XCTAssertFalse(driver.policy.isSlouching)
    }

    func testLumbarFlexionAloneIsASlouch() {
        var driver = PolicyTestDriver()
        driver.run(10)
        driver.run(31, posterior: 0, flexion: 20)
        assertTimes(driver.nudgeTimes(.slouch), [40])
    }

    func testOneSensorUsesOnlyPelvicTilt() {
        var driver = PolicyTestDriver()
        driver.reference = PolicyTestDriver.oneSensorReference
        driver.run(10, flexion: nil)
        driver.run(31, posterior: slouched, flexion: nil)
        assertTimes(driver.nudgeTimes(.slouch), [40])
        driver.run(10, flexion: nil)  // recovered by pelvic tilt alone
        XCTAssertFalse(driver.policy.isSlouching)
    }

    func testLumbarAngleWithoutLumbarReferenceIsIgnored() {
        var driver = PolicyTestDriver()
        driver.reference = PolicyTestDriver.oneSensorReference
        driver.run(60, flexion: 40)
        XCTAssertTrue(driver.nudges.isEmpty)
    }

    // MARK: Activity

    func testNoPostureNudgeWhileNotSitting() {
        var driver = PolicyTestDriver()
        for activity in [Activity.standing, .walking, .lying] {
            driver.run(10 * 60, activity, posterior: 30, flexion: 30)
        }
        XCTAssertTrue(driver.nudges.isEmpty)
        XCTAssertTrue(driver.suppressed.isEmpty)
    }

    func testStandingUpAbandonsASlouchInProgress() {
        var driver = PolicyTestDriver()
        driver.run(20, posterior: slouched)
        driver.run(1, .standing, posterior: slouched)
        driver.run(20, posterior: slouched)
        XCTAssertTrue(driver.nudges.isEmpty, "the candidate restarted when the wearer sat again")

        driver.run(15, posterior: slouched)
        XCTAssertTrue(driver.policy.isSlouching)
        let standUp = driver.t
        driver.run(1, .standing, posterior: slouched)
        XCTAssertFalse(driver.policy.isSlouching)
        guard case .ended(_, let end)? = driver.slouchChanges.last?.change else {
            return XCTFail("no end: \(driver.slouchChanges)")
        }
        XCTAssertEqual(end, standUp, accuracy: 1e-9)
    }

    // MARK: Sitting bouts

    func testBreakOf59SecondsNeitherEndsNorPausesTheBout() {
        var driver = PolicyTestDriver()
        driver.run(10 * 60)
        driver.run(59, .standing)
        driver.run(10 * 60)
        XCTAssertTrue(driver.boutsEnded.isEmpty)
        XCTAssertEqual(driver.boutsStarted, [0])
        let bout = driver.policy.currentBout
        XCTAssertEqual(bout?.start, 0)
        XCTAssertEqual(bout?.duration ?? 0, 20 * 60 + 59 - tick, accuracy: 1e-6)
    }

    func testBreakOf60SecondsEndsTheBout() {
        var driver = PolicyTestDriver()
        driver.run(10 * 60)
        driver.run(60.1, .walking)
        XCTAssertEqual(driver.boutsEnded.count, 1)
        XCTAssertEqual(driver.boutsEnded.first?.bout.duration ?? 0, 600, accuracy: 1e-6)
        XCTAssertNil(driver.policy.currentBout)
        driver.run(5)
        XCTAssertEqual(driver.boutsStarted.count, 2)
        XCTAssertEqual(driver.policy.currentBout?.start ?? 0, 660.1, accuracy: 1e-6)
    }

    func testSittingTooLongAt30MinutesThenEvery15() {
        var driver = PolicyTestDriver()
        driver.run(61 * 60)
        assertTimes(driver.nudgeTimes(.sittingTooLong), [1800, 2700, 3600])
    }

    func testShortBreaksCountAsBoutTime() {
        var driver = PolicyTestDriver()
        driver.run(20 * 60)
        driver.run(50, .standing)
        driver.run(11 * 60)
        assertTimes(driver.nudgeTimes(.sittingTooLong), [1800])
    }

    func testSittingTooLongDueDuringABreakWaitsUntilSeatedAgain() {
        var driver = PolicyTestDriver()
        driver.run(29 * 60 + 30)
        driver.run(50, .standing)  // due at 30:00 while standing
        XCTAssertTrue(driver.nudges.isEmpty)
        driver.run(16 * 60)
        assertTimes(driver.nudgeTimes(.sittingTooLong), [1820, 2700])
    }

    func testNewBoutRestartsTheSittingSchedule() {
        var driver = PolicyTestDriver()
        driver.run(20 * 60)
        driver.run(2 * 60, .walking)
        driver.run(29 * 60)
        XCTAssertTrue(driver.nudges.isEmpty)
        driver.run(2 * 60)
        assertTimes(driver.nudgeTimes(.sittingTooLong), [22 * 60 + 30 * 60])
    }

    func testBothDueInOneStepDeliversSittingTooLongOnly() {
        var config = PolicyConfiguration()
        config.sittingTooLongAfter = 60
        var driver = PolicyTestDriver(config)
        driver.run(30)
        driver.run(8 * 60, posterior: slouched)  // slouch confirmed at 60 = bout time 60
        // The slouch nudge due at 60 is coalesced into sitting_too_long; its timer still advanced.
        assertTimes(driver.nudges.map(\.t), [60, 360])
        XCTAssertEqual(driver.nudges.map(\.reason), [.sittingTooLong, .slouch])
        XCTAssertTrue(driver.suppressed.isEmpty)
    }

    // MARK: Suppression

    func testSnoozeSuppressesAndAdvancesTheRepeatTimer() {
        var driver = PolicyTestDriver()
        driver.policy.snooze(until: 200)
        driver.run(10)
        driver.run(6 * 60, posterior: slouched)
        XCTAssertEqual(driver.suppressed.map(\.nudge), [SuppressedNudge(reason: .slouch, cause: .snoozed)])
        assertTimes(driver.suppressed.map(\.t), [40])
        // No burst when the snooze ends at 200: the next nudge is the repeat at 340.
        assertTimes(driver.nudgeTimes(.slouch), [340])
        XCTAssertTrue(driver.policy.isSlouching)
        XCTAssertEqual(driver.policy.suppressedToday.snoozed, 1)
        XCTAssertEqual(driver.policy.nudgesToday, 1)
    }

    func testResumeEndsASnoozeEarly() {
        var driver = PolicyTestDriver()
        driver.policy.snooze(now: 0)  // default 30 min
        XCTAssertEqual(driver.policy.snoozedUntil, 1800)
        driver.run(10)
        driver.run(60, posterior: slouched)
        XCTAssertEqual(driver.suppressed.count, 1)
        driver.policy.resume()
        XCTAssertNil(driver.policy.snoozedUntil)
        driver.run(5 * 60, posterior: slouched)
        assertTimes(driver.nudgeTimes(.slouch), [340])
    }

    func testQuietHoursWrappingMidnight() {
        var config = PolicyConfiguration()
        config.quietHours = [TimeOfDayRange(parsing: "22:00-07:00")].compactMap { $0 }
        XCTAssertEqual(config.quietHours.count, 1)
        // Starts at 23:59:00; the slouch is confirmed at 00:00:10, inside the range.
        var driver = PolicyTestDriver(config, timeOfDayAtStart: 23 * 3600 + 59 * 60)
        driver.run(40)
        driver.run(60, posterior: slouched)
        XCTAssertTrue(driver.nudges.isEmpty)
        XCTAssertEqual(driver.suppressed.map(\.nudge.cause), [.quietHours])

        // At 07:00 the same thing is delivered.
        var morning = PolicyTestDriver(config, timeOfDayAtStart: 7 * 3600)
        morning.run(10)
        morning.run(31, posterior: slouched)
        assertTimes(morning.nudgeTimes(.slouch), [40])
    }

    func testQuietHoursDoNotApplyWithoutATrustedClock() {
        var config = PolicyConfiguration()
        config.quietHours = [TimeOfDayRange(start: 0, end: 86_399)].compactMap { $0 }
        var driver = PolicyTestDriver(config, timeOfDayAtStart: nil)
        driver.run(10)
        driver.run(31, posterior: slouched)
        XCTAssertEqual(driver.nudges.count, 1)
    }

    func testTimeOfDayRanges() throws {
        let night = try XCTUnwrap(TimeOfDayRange(parsing: "22:00-07:00"))
        let lunch = try XCTUnwrap(TimeOfDayRange(fromHour: 12, minute: 0, toHour: 13, minute: 30))
        func at(_ hour: Double, _ minute: Double = 0) -> Double { hour * 3600 + minute * 60 }
        XCTAssertTrue(night.contains(at(22)))
        XCTAssertTrue(night.contains(at(23, 59)))
        XCTAssertTrue(night.contains(at(0)))
        XCTAssertTrue(night.contains(at(6, 59)))
        XCTAssertFalse(night.contains(at(7)))
        XCTAssertFalse(night.contains(at(12)))
        XCTAssertTrue(lunch.contains(at(12, 45)))
        XCTAssertFalse(lunch.contains(at(13, 30)))
        XCTAssertFalse(lunch.contains(at(11, 59)))
        XCTAssertEqual(lunch.description, "12:00-13:30")
        XCTAssertFalse(try XCTUnwrap(TimeOfDayRange(parsing: "08:00-08:00")).contains(at(8)), "empty, not all day")
        for bad in ["", "22:00", "24:00-07:00", "22:60-07:00", "22:00-07:00-08:00", "2200-0700", "+1:00-02:00"] {
            XCTAssertNil(TimeOfDayRange(parsing: bad), bad)
        }
    }

    func testDailyCapAndStartNewDay() {
        var config = PolicyConfiguration()
        config.dailyNudgeCap = 2
        var driver = PolicyTestDriver(config)
        driver.run(10)
        driver.run(16 * 60, posterior: slouched)
        assertTimes(driver.nudgeTimes(.slouch), [40, 340])
        assertTimes(driver.suppressed.map(\.t), [640, 940])
        XCTAssertEqual(driver.suppressed.map(\.nudge.cause), [.dailyCap, .dailyCap])
        XCTAssertEqual(driver.policy.nudgesToday, 2)
        XCTAssertEqual(driver.policy.suppressedToday.dailyCap, 2)

        driver.policy.startNewDay()
        XCTAssertEqual(driver.policy.nudgesToday, 0)
        XCTAssertEqual(driver.policy.suppressedToday, SuppressionCounts())
        XCTAssertTrue(driver.policy.isSlouching, "a new day keeps the slouch in progress")
        driver.run(5 * 60, posterior: slouched)
        assertTimes(driver.nudgeTimes(.slouch), [40, 340, 1240])
        XCTAssertEqual(driver.policy.nudgesToday, 1)
    }

    func testABoutStartsWhenTheWearerIsKnownToHaveSat() {
        var policy = NudgePolicy()
        let angles = SegmentAngles(pelvicTilt: -17, pelvicObliquity: 0, lumbarFlexion: nil)
        let reference = PolicyTestDriver.oneSensorReference
        let started = policy.step(
            t: 100, activity: .sitting, angles: angles, sittingReference: reference, localTimeOfDay: nil,
            sittingSince: 92)
        XCTAssertEqual(started.boutStarted, 92)
        XCTAssertEqual(policy.currentBout, SittingBout(start: 92, duration: 8))
        // A bout already running keeps its start; a "since" in the future is now.
        _ = policy.step(t: 101, activity: .sitting, angles: angles, sittingReference: reference, localTimeOfDay: nil, sittingSince: 99)
        XCTAssertEqual(policy.currentBout?.start, 92)
        var fresh = NudgePolicy()
        _ = fresh.step(t: 10, activity: .sitting, angles: angles, sittingReference: reference, localTimeOfDay: nil, sittingSince: 12)
        XCTAssertEqual(fresh.currentBout?.start, 10)
    }

    // MARK: Robustness and configuration

    func testStepBackInTimeOrNaNIsIgnored() {
        var policy = NudgePolicy()
        let angles = SegmentAngles(pelvicTilt: -40, pelvicObliquity: 0, lumbarFlexion: nil)
        let reference = PolicyTestDriver.oneSensorReference
        _ = policy.step(t: 100, activity: .sitting, angles: angles, sittingReference: reference, localTimeOfDay: nil)
        XCTAssertEqual(
            policy.step(t: 50, activity: .standing, angles: angles, sittingReference: reference, localTimeOfDay: nil),
            .empty)
        XCTAssertEqual(
            policy.step(t: .nan, activity: .standing, angles: angles, sittingReference: reference, localTimeOfDay: nil),
            .empty)
        XCTAssertEqual(policy.currentBout, SittingBout(start: 100, duration: 0))
        let nanAngles = SegmentAngles(pelvicTilt: .nan, pelvicObliquity: .nan, lumbarFlexion: .nan)
        _ = policy.step(
            t: 200, activity: .sitting, angles: nanAngles, sittingReference: reference, localTimeOfDay: .nan)
    }

    func testConfigurationDecodesPartialFilesWithDefaults() throws {
        let json = #"{"slouch_hold_s": 20, "quiet_hours": ["22:00-07:00"], "daily_nudge_cap": null}"#
        let config = try JSONDecoder().decode(PolicyConfiguration.self, from: Data(json.utf8))
        var expected = PolicyConfiguration.standard
        expected.slouchHold = 20
        expected.quietHours = [TimeOfDayRange(parsing: "22:00-07:00")].compactMap { $0 }
        expected.dailyNudgeCap = nil
        XCTAssertEqual(config, expected)

        let roundTrip = try JSONDecoder().decode(
            PolicyConfiguration.self, from: JSONEncoder().encode(expected))
        XCTAssertEqual(roundTrip, expected)
        XCTAssertEqual(PolicyConfiguration.standard.dailyNudgeCap, 24)
        XCTAssertTrue(PolicyConfiguration.standard.problems.isEmpty)
    }

    func testConfigurationRejectsNonsense() {
        for json in [
            #"{"slouch_hold_s": -1}"#, #"{"slouch_recovery_fraction": 1.5}"#, #"{"quiet_hours": ["25:00-01:00"]}"#,
        ] {
            XCTAssertThrowsError(try JSONDecoder().decode(PolicyConfiguration.self, from: Data(json.utf8)), json)
        }
    }
}
// MARK: - Test driver (shared with DaySummaryTests)

/// Drives a `NudgePolicy` (and a summary) with synthetic 10 Hz ticks, so policy tests read as
/// scripts ("sit upright 10 s, slouch 31 s") and run fast.
struct PolicyTestDriver {
    static let rate = 10.0
    static let tick = 1 / rate
    /// Upright-sitting reference of the synthetic wearer.
    static let reference = SittingReference(pelvicTilt: -17, lumbarFlexion: 8)
    static let oneSensorReference = SittingReference(pelvicTilt: -17, lumbarFlexion: nil)

    var policy: NudgePolicy
    var summary = DaySummaryAccumulator()
    var reference = PolicyTestDriver.reference
    /// Local time of day at t = 0, or `nil` for an untrusted wall clock.
    var timeOfDayAtStart: Double?
    private(set) var tickIndex = 0
    private(set) var nudges: [(t: Double, reason: NudgeReason)] = []
    /// The intensity of each delivered nudge, in the order of `nudges`.
    private(set) var intensities: [NudgeIntensity] = []
    private(set) var suppressed: [(t: Double, nudge: SuppressedNudge)] = []
    private(set) var slouchChanges: [(t: Double, change: SlouchChange)] = []
    private(set) var boutsEnded: [(t: Double, bout: SittingBout)] = []
    private(set) var boutsStarted: [Double] = []

    init(_ configuration: PolicyConfiguration = .standard, timeOfDayAtStart: Double? = nil) {
        policy = NudgePolicy(configuration: configuration)
        self.timeOfDayAtStart = timeOfDayAtStart
    }

    /// Time of the next tick. Computed from the index so that it never drifts.
    var t: Double { Double(tickIndex) / Self.rate }

    /// Runs `seconds` of ticks. `posterior`: degrees the pelvis is tilted back from the
    /// reference (negative = anterior); `flexion`: lumbar degrees above the reference, `nil` to
    /// report no sensor 1.
    mutating func run(
        _ seconds: Double, _ activity: Activity = .sitting, posterior: Double = 0, flexion: Double? = 0,
        obliquity: Double = 0
    ) {
        let lumbar = flexion.map { (reference.lumbarFlexion ?? 0) + $0 }
        let angles = SegmentAngles(
            pelvicTilt: reference.pelvicTilt - posterior, pelvicObliquity: obliquity, lumbarFlexion: lumbar)
        for _ in 0..<Int((seconds * Self.rate).rounded()) { step(activity, angles) }
    }

    mutating func step(_ activity: Activity, _ angles: SegmentAngles) {
        let now = t
        let timeOfDay = timeOfDayAtStart.map {
            ($0 + now).truncatingRemainder(dividingBy: TimeOfDayRange.secondsPerDay)
        }
        let decision = policy.step(
            t: now, activity: activity, angles: angles, sittingReference: reference, localTimeOfDay: timeOfDay)
        summary.add(dt: Self.tick, activity: activity, isSlouching: policy.isSlouching, angles: angles)
        summary.record(decision)
        if let reason = decision.nudge {
            nudges.append((now, reason))
            intensities.append(decision.nudgeIntensity)
        }
        if let nudge = decision.suppressed { suppressed.append((now, nudge)) }
        if let change = decision.slouchChange { slouchChanges.append((now, change)) }
        if let bout = decision.boutEnded { boutsEnded.append((now, bout)) }
        if let start = decision.boutStarted { boutsStarted.append(start) }
        tickIndex += 1
    }

    func nudgeTimes(_ reason: NudgeReason) -> [Double] { nudges.filter { $0.reason == reason }.map(\.t) }
}
