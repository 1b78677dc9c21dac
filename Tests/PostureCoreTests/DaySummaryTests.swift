import Foundation
import PostureCore
import XCTest

final class DaySummaryTests: XCTestCase {
    /// Percentile resolution: half a 0.1° histogram bin, plus floating-point slack.
    private let percentileTolerance = 0.05 + 1e-9

    private func angles(tilt: Double, obliquity: Double = 0, flexion: Double? = nil) -> SegmentAngles {
        SegmentAngles(pelvicTilt: tilt, pelvicObliquity: obliquity, lumbarFlexion: flexion)
    }

    func testActivityTimesAddUpToDuration() {
        var driver = PolicyTestDriver()
        driver.run(10 * 60)
        driver.run(31, posterior: 15)
        driver.run(2 * 60, .standing)
        driver.run(3 * 60, .walking)
        driver.run(45, .lying)
        driver.run(20)
        let summary = driver.summary.summary(openBout: driver.policy.currentBout)
        let parts = Activity.allCases.map { summary.seconds(in: $0) }.reduce(0, +)
        let expectedDuration: Double = 600 + 31 + 120 + 180 + 45 + 20
        XCTAssertEqual(summary.durationSeconds, expectedDuration, accuracy: 1e-6)
        XCTAssertEqual(parts, summary.durationSeconds, accuracy: 1e-6)
        XCTAssertEqual(summary.sittingSeconds, 651, accuracy: 1e-6)
        XCTAssertEqual(summary.standingSeconds, 120, accuracy: 1e-6)
        XCTAssertEqual(summary.walkingSeconds, 180, accuracy: 1e-6)
        XCTAssertEqual(summary.lyingSeconds, 45, accuracy: 1e-6)
        // Confirmed at 630 (hold met), abandoned at 631 when the wearer stood up.
        XCTAssertEqual(summary.slouchSeconds, 1, accuracy: 1e-6)
        XCTAssertEqual(summary.nudges.slouch, 1)
        XCTAssertEqual(summary.nudges.sittingTooLong, 0)
        XCTAssertEqual(summary.longestSittingBoutSeconds, 631, accuracy: 1e-6)
    }

    func testPercentilesOfAUniformDistributionWithinBinResolution() throws {
        var accumulator = DaySummaryAccumulator()
        // 0.00, 0.01, …, 99.99 in a scrambled order: 10 000 samples.
        let count = 10_000
        for index in 0..<count {
            let value = Double((index * 7_919) % count) / 100 - 20
            accumulator.add(
                dt: 0.1, activity: .sitting, isSlouching: false, angles: angles(tilt: value, obliquity: -value))
        }
        let tilt = try XCTUnwrap(accumulator.summary().pelvicTilt)
        XCTAssertEqual(tilt.mean, 49.995 - 20, accuracy: 1e-9)
        XCTAssertEqual(tilt.p50, 49.99 - 20, accuracy: percentileTolerance)  // nearest rank 5000
        XCTAssertEqual(tilt.p95, 94.99 - 20, accuracy: percentileTolerance)  // nearest rank 9500
        let obliquity = try XCTUnwrap(accumulator.summary().pelvicObliquity)
        XCTAssertEqual(obliquity.p50, -(50.0 - 20), accuracy: percentileTolerance)
        XCTAssertEqual(obliquity.p95, -(5.0 - 20), accuracy: percentileTolerance)
    }

    func testPercentilesOfASkewedDistribution() throws {
        var accumulator = DaySummaryAccumulator()
        // 90% of the time at −17° (upright sitting), 10% at −31° (slumped).
        for index in 0..<1000 {
            let tilt = index % 10 == 0 ? -31.0 : -17.0
            accumulator.add(dt: 0.1, activity: .sitting, isSlouching: false, angles: angles(tilt: tilt))
        }
        let tilt = try XCTUnwrap(accumulator.summary().pelvicTilt)
        XCTAssertEqual(tilt.mean, -18.4, accuracy: 1e-9)
        XCTAssertEqual(tilt.p50, -17, accuracy: percentileTolerance)
        XCTAssertEqual(tilt.p95, -17, accuracy: percentileTolerance)
    }

    func testConstantAngleGivesExactPercentiles() throws {
        var accumulator = DaySummaryAccumulator()
        for _ in 0..<100 {
            accumulator.add(dt: 0.1, activity: .sitting, isSlouching: false, angles: angles(tilt: -16.37))
        }
        let tilt = try XCTUnwrap(accumulator.summary().pelvicTilt)
        XCTAssertEqual(tilt.mean, -16.37, accuracy: 1e-12)
        XCTAssertEqual(tilt.p50, -16.37, "clamped to the observed range: exact")
        XCTAssertEqual(tilt.p95, -16.37)
    }

    func testOutOfRangeAndNonFiniteAnglesDoNotTrap() throws {
        var accumulator = DaySummaryAccumulator()
        for tilt in [-500.0, 500, .nan, .infinity, 0] {
            accumulator.add(dt: .nan, activity: .lying, isSlouching: false, angles: angles(tilt: tilt))
        }
        let summary = accumulator.summary()
        XCTAssertEqual(summary.durationSeconds, 0)
        let tilt = try XCTUnwrap(summary.pelvicTilt)
        XCTAssertEqual(tilt.mean, 0, accuracy: 1e-9)  // the three finite samples
        XCTAssertEqual(tilt.p50, 0, accuracy: percentileTolerance)
    }

    func testLongestBoutCountsAnUnfinishedBout() {
        var accumulator = DaySummaryAccumulator()
        accumulator.recordBout(SittingBout(start: 0, duration: 100))
        accumulator.recordBout(SittingBout(start: 200, duration: 300))
        XCTAssertEqual(accumulator.summary().longestSittingBoutSeconds, 300)
        XCTAssertEqual(
            accumulator.summary(openBout: SittingBout(start: 900, duration: 50)).longestSittingBoutSeconds, 300)
        XCTAssertEqual(
            accumulator.summary(openBout: SittingBout(start: 900, duration: 500)).longestSittingBoutSeconds, 500)
    }

    func testLongestBoutFromThePolicy() {
        var driver = PolicyTestDriver()
        driver.run(5 * 60)
        driver.run(2 * 60, .walking)  // ends a 300 s bout
        driver.run(8 * 60)  // still open at the end
        XCTAssertEqual(driver.summary.summary().longestSittingBoutSeconds, 300, accuracy: 1e-6)
        let summary = driver.summary.summary(openBout: driver.policy.currentBout)
        XCTAssertEqual(summary.longestSittingBoutSeconds, 8 * 60 - PolicyTestDriver.tick, accuracy: 1e-6)
    }

    func testLumbarStatisticsAreNilWithoutSensorOne() {
        var driver = PolicyTestDriver()
        driver.reference = PolicyTestDriver.oneSensorReference
        driver.run(60, flexion: nil, obliquity: 2)
        let summary = driver.summary.summary()
        XCTAssertNil(summary.lumbarFlexion)
        XCTAssertEqual(summary.pelvicTilt?.mean ?? 0, -17, accuracy: 1e-9)
        XCTAssertEqual(summary.pelvicObliquity?.p50 ?? 0, 2, accuracy: percentileTolerance)

        var twoSensors = PolicyTestDriver()
        twoSensors.run(60, flexion: 3)
        XCTAssertEqual(twoSensors.summary.summary().lumbarFlexion?.mean ?? 0, 11, accuracy: 1e-9)
    }

    func testSuppressedNudgesAreCountedByCause() {
        var driver = PolicyTestDriver()
        driver.policy.snooze(until: 100)
        driver.run(10)
        driver.run(31, posterior: 15)
        let summary = driver.summary.summary()
        XCTAssertEqual(summary.nudges.total, 0)
        XCTAssertEqual(summary.suppressedNudges.snoozed, 1)
        XCTAssertEqual(summary.suppressedNudges.total, 1)
    }

    func testJSONHasTheContractKeysEveryReasonAndNullLumbar() throws {
        var accumulator = DaySummaryAccumulator()
        accumulator.add(dt: 0.1, activity: .sitting, isSlouching: false, angles: angles(tilt: -17))
        accumulator.recordNudge(.sittingTooLong)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = String(decoding: try encoder.encode(accumulator.summary().rounded()), as: UTF8.self)
        for fragment in [
            #""nudges":{"sitting_too_long":1,"slouch":0}"#, #""lumbar_flexion":null"#, #""duration_s":0.1"#,
            #""longest_sitting_bout_s":0"#, #""pelvic_tilt":{"mean":-17,"p50":-17,"p95":-17}"#, #""slouch_s":0"#,
        ] {
            XCTAssertTrue(json.contains(fragment), "\(fragment) not in \(json)")
        }
        let decoded = try JSONDecoder().decode(DaySummary.self, from: Data(json.utf8))
        XCTAssertEqual(decoded, accumulator.summary().rounded())
    }

    func testRoundingIsStable() {
        XCTAssertEqual(SummaryRounding.seconds(12.345678), 12.35)
        XCTAssertEqual(SummaryRounding.angle(-16.374), -16.37)
        XCTAssertEqual(SummaryRounding.angle(0.125), 0.13)  // half away from zero
        XCTAssertEqual("\(SummaryRounding.seconds(0.1 + 0.2))", "0.3")
        let negativeZero = SummaryRounding.angle(-0.001)
        XCTAssertEqual(negativeZero, 0)
        XCTAssertEqual(negativeZero.sign, .plus)
        XCTAssertTrue(SummaryRounding.seconds(.nan).isNaN)
    }
}
