import PostureControl
import PostureCore
import XCTest

final class FramingAndHelpersTests: XCTestCase {
    func testLinesSplitAcrossReads() {
        var framer = LineFramer(maxLineBytes: 100)
        framer.append(Array("{\"a\":1}\n{\"b\"".utf8))
        XCTAssertEqual(framer.nextLine(), .line(Array("{\"a\":1}".utf8)))
        XCTAssertNil(framer.nextLine())
        framer.append(Array(":2}\r\n".utf8))
        XCTAssertEqual(framer.nextLine(), .line(Array("{\"b\":2}".utf8)), "CRLF is accepted")
        XCTAssertNil(framer.nextLine())
        XCTAssertEqual(framer.pendingByteCount, 0)
    }

    func testOversizedLineIsReportedOnceAndNotBuffered() {
        var framer = LineFramer(maxLineBytes: 10)
        framer.append(Array(repeating: UInt8(ascii: "x"), count: 10) + [UInt8(ascii: "\n")])
        XCTAssertEqual(framer.nextLine(), .line(Array(repeating: UInt8(ascii: "x"), count: 10)), "exactly the limit is fine")
        framer.append(Array(repeating: UInt8(ascii: "y"), count: 11))
        XCTAssertEqual(framer.nextLine(), .tooLong, "detected before the newline arrives")
        framer.append(Array(repeating: UInt8(ascii: "y"), count: 1000) + [UInt8(ascii: "\n")])
        XCTAssertNil(framer.nextLine())
        XCTAssertEqual(framer.pendingByteCount, 0)
    }

    func testSnoozeDurations() {
        XCTAssertEqual(SnoozeDuration.seconds("30m"), 1800)
        XCTAssertEqual(SnoozeDuration.seconds("1h"), 3600)
        XCTAssertEqual(SnoozeDuration.seconds("90s"), 90)
        XCTAssertEqual(SnoozeDuration.seconds("1h30m"), 5400)
        XCTAssertEqual(SnoozeDuration.seconds("600"), 600)
        XCTAssertEqual(SnoozeDuration.seconds(" 1.5h "), 5400)
        for bad in ["", "0", "-5", "abc", "30x", "m", "10m5", "inf"] { XCTAssertNil(SnoozeDuration.seconds(bad), bad) }
    }

    /// One way to write a duration everywhere, and what is printed can be typed back to snooze.
    func testDurationsPrintAsSnoozeReadsThem() {
        XCTAssertEqual(DurationText.describe(5400), "1h 30m")
        XCTAssertEqual(DurationText.describe(3600), "1h")
        XCTAssertEqual(DurationText.describe(3659), "1h")  // from an hour on, no seconds
        XCTAssertEqual(DurationText.describe(728), "12m 8s")
        XCTAssertEqual(DurationText.describe(60), "1m")
        XCTAssertEqual(DurationText.describe(45.4), "45s")
        XCTAssertEqual(DurationText.describe(0), "0s")
        XCTAssertEqual(DurationText.describe(-3), "0s")
        XCTAssertEqual(DurationText.describe(.nan), "0s")
        for seconds in [1.0, 59, 61, 600, 3599, 3600, 5400, 7260, 86_400] {
            let typed = DurationText.describe(seconds).filter { $0 != " " }
            XCTAssertEqual(SnoozeDuration.seconds(typed), seconds, "\(seconds) s printed as \(typed)")
        }
    }

    func testDefaultSocketPath() {
        XCTAssertEqual(ControlProtocol.defaultSocketPath(environment: [:]), "/run/postured/control.sock")
        XCTAssertEqual(ControlProtocol.defaultSocketPath(environment: ["RUNTIME_DIRECTORY": "/tmp/x"]), "/tmp/x/control.sock")
        XCTAssertEqual(ControlProtocol.defaultSocketPath(environment: ["RUNTIME_DIRECTORY": "/run/a:/run/b"]), "/run/a/control.sock")
    }

    func testUnixSocketAddressLimits() {
        XCTAssertNotNil(UnixSocketAddress(path: "/run/postured/control.sock"))
        XCTAssertNil(UnixSocketAddress(path: ""))
        XCTAssertNil(UnixSocketAddress(path: "/" + String(repeating: "a", count: UnixSocketAddress.maxPathBytes)))
    }
}
