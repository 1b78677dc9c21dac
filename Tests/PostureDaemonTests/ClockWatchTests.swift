@testable import PostureDaemon
import PostureStore
import XCTest

/// The supervisor's look at the clocks every 10 s, on clocks made to jump.
final class ClockWatchTests: XCTestCase {
    /// Synchronised at monotonic 100 s = 2026-03-29 00:00:00 UTC.
    let mapping = WallClockMapping(offset: 1_774_742_400 - 100)

    func testAWallClockStepIsFollowedAndSlewIsNot() {
        let mono = 5_000.0
        let wall = mapping.wallTime(monotonic: mono)
        XCTAssertNil(ClockWatch.steppedMapping(from: mapping, realtime: wall + 0.0004, monotonic: mono), "reading jitter or NTP slew")
        let forward = ClockWatch.steppedMapping(from: mapping, realtime: wall + 3_600, monotonic: mono)
        XCTAssertEqual(forward?.wallTime(monotonic: mono), wall + 3_600, "NTP after a boot without an RTC")
        let backward = ClockWatch.steppedMapping(from: mapping, realtime: wall - 90, monotonic: mono)
        XCTAssertEqual(backward?.wallTime(monotonic: mono), wall - 90)
    }

    /// Before, the offset went to the loop once, when the clock became trusted: after a
    /// daylight-saving change quiet hours and the cap's midnight were an hour off until restart.
    func testADaylightSavingChangeReachesTheLoopOnce() {
        var watch = ClockWatch()
        XCTAssertEqual(watch.localOffsetToSend(mapping: mapping, utcOffset: 3_600), mapping.offset + 3_600)
        XCTAssertNil(watch.localOffsetToSend(mapping: mapping, utcOffset: 3_600), "unchanged: nothing sent")
        XCTAssertEqual(watch.localOffsetToSend(mapping: mapping, utcOffset: 7_200), mapping.offset + 7_200, "summer time")
        XCTAssertNil(watch.localOffsetToSend(mapping: mapping, utcOffset: 7_200))
        let stepped = WallClockMapping(offset: mapping.offset + 60)
        XCTAssertEqual(watch.localOffsetToSend(mapping: stepped, utcOffset: 7_200), stepped.offset + 7_200, "a stepped clock moves local time too")
    }

    /// Before, `nudges today` never went back to zero.
    func testNudgesTodayStartAgainAtLocalMidnight() {
        var watch = ClockWatch()
        let utcOffset = 3_600.0  // 00:00 UTC is 01:00 local
        let localMidnight = 100.0 - 3_600 + 86_400  // monotonic time of the next local midnight
        XCTAssertFalse(watch.isNewNudgeDay(at: 100, mapping: mapping, utcOffset: utcOffset), "the first look only starts the day")
        XCTAssertFalse(watch.isNewNudgeDay(at: localMidnight - 1, mapping: mapping, utcOffset: utcOffset))
        XCTAssertTrue(watch.isNewNudgeDay(at: localMidnight + 1, mapping: mapping, utcOffset: utcOffset))
        XCTAssertFalse(watch.isNewNudgeDay(at: localMidnight + 600, mapping: mapping, utcOffset: utcOffset))
        // The same instant in a time zone two hours further east is already past its midnight.
        var east = ClockWatch()
        _ = east.isNewNudgeDay(at: localMidnight - 7_300, mapping: mapping, utcOffset: utcOffset)
        XCTAssertTrue(east.isNewNudgeDay(at: localMidnight - 7_100, mapping: mapping, utcOffset: utcOffset + 7_200))
    }
}
