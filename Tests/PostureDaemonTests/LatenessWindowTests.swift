import PostureControl
import XCTest

@testable import PostureDaemon

/// `status`'s loop lateness over the last minute: percentiles within a quarter octave above
/// the true value and never above the exact maximum; wakes older than a minute drop out.
final class LatenessWindowTests: XCTestCase {
    func testPercentilesAreWithinAQuarterOctaveAndTheMaximumIsExact() throws {
        var window = LatenessWindow()
        let start: Int64 = 1_000 * 1_000_000_000
        // 1000 wakes: 980 at 50 µs, 15 at 400 µs, 5 at 3 ms; spread over 10 s.
        var values: [Int64] = Array(repeating: 50_000, count: 980) + Array(repeating: 400_000, count: 15) + Array(repeating: 3_000_000, count: 5)
        values.shuffle()
        for (i, value) in values.enumerated() {
            window.add(latenessNanoseconds: value, wokeAt: start + Int64(i) * 10_000_000)
        }
        let summary = try XCTUnwrap(window.summary(now: start + 10_000_000_000))
        XCTAssertEqual(summary.wakes, 1000)
        XCTAssertEqual(summary.maxMicroseconds, 3000)
        XCTAssertGreaterThanOrEqual(summary.p50Microseconds, 50)
        XCTAssertLessThanOrEqual(summary.p50Microseconds, 50 * 1.19)
        // The 990th value is 400 µs.
        XCTAssertGreaterThanOrEqual(summary.p99Microseconds, 400)
        XCTAssertLessThanOrEqual(summary.p99Microseconds, 400 * 1.19)
    }

    func testWakesOlderThanAMinuteDropOutAndAnEmptyWindowIsNil() throws {
        var window = LatenessWindow()
        XCTAssertNil(window.summary(now: 5_000_000_000))
        let start: Int64 = 100 * 1_000_000_000
        window.add(latenessNanoseconds: 9_000_000, wokeAt: start)
        for second in 1...30 { window.add(latenessNanoseconds: 20_000, wokeAt: start + Int64(second) * 1_000_000_000) }
        XCTAssertEqual(try XCTUnwrap(window.summary(now: start + 30_000_000_000)).maxMicroseconds, 9000)
        // 61 s later the 9 ms wake is gone; the slot it used is reused by a later second.
        for second in 31...70 { window.add(latenessNanoseconds: 20_000, wokeAt: start + Int64(second) * 1_000_000_000) }
        let later = try XCTUnwrap(window.summary(now: start + 70_000_000_000))
        XCTAssertEqual(later.maxMicroseconds, 20)
        XCTAssertEqual(later.wakes, 60)
        XCTAssertNil(window.summary(now: start + 200_000_000_000), "nothing in the last minute")
    }
}
