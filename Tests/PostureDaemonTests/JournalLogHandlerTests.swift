import Logging
import PostureConfig
@testable import PostureDaemon
import Synchronization
import XCTest

#if canImport(Glibc)
import Glibc
#endif

/// Collects what a handler writes. A Mutex makes it Sendable without `@unchecked`.
private final class Capture: Sendable {
    private let storage = Mutex<[String]>([])
    var lines: [String] { storage.withLock { $0 } }
    var sink: JournalLogHandler.Sink { JournalLogHandler.Sink { line in self.storage.withLock { $0.append(line) } } }
}

final class JournalLogHandlerTests: XCTestCase {
    private func logger(
        _ capture: Capture, format: JournalLogHandler.Format, level: LogLevelSwitch = LogLevelSwitch(.trace),
        label: String = "loop"
    ) -> Logger {
        Logger(label: label) { label in
            JournalLogHandler(label: label, level: level, format: format, sink: capture.sink, timestamp: { "T" })
        }
    }

    func testJournalPriorityPrefixes() {
        let capture = Capture()
        let log = logger(capture, format: .journal)
        log.critical("c")
        log.error("e")
        log.warning("w")
        log.notice("n")
        log.info("i")
        log.debug("d")
        log.trace("t")
        XCTAssertEqual(capture.lines, [
            "<2>loop: c\n", "<3>loop: e\n", "<4>loop: w\n", "<5>loop: n\n", "<6>loop: i\n", "<7>loop: d\n",
            "<7>loop: t\n",
        ])
    }

    func testTerminalLinesHaveTimestampAndLevelName() {
        let capture = Capture()
        let log = logger(capture, format: .terminal)
        log.warning("sensor 0 faulted", metadata: ["code": "nack"])
        XCTAssertEqual(capture.lines, ["T warning loop: sensor 0 faulted code=nack\n"])
    }

    func testMetadataSortedMergedAndQuoted() {
        let capture = Capture()
        var log = logger(capture, format: .journal, label: "")
        log[metadataKey: "sensor"] = "0"
        log[metadataKey: "chip"] = "mpu6050"
        log.info("started", metadata: [
            "sensor": "1",  // the message's value wins
            "path": "/dev/i2c-1",
            "name": "CP2112 SMBus Bridge",
            "empty": "",
            "eq": "a=b",
            "quote": "say \"hi\"",
            "list": .array(["a", "b"]),
            "map": .dictionary(["y": "2", "x": "1"]),
            "rate": .stringConvertible(100.5),
        ])
        XCTAssertEqual(capture.lines, [
            "<6>started chip=mpu6050 empty=\"\" eq=\"a=b\" list=[a,b] map=\"{x=1,y=2}\" "
                + "name=\"CP2112 SMBus Bridge\" path=/dev/i2c-1 quote=\"say \\\"hi\\\"\" rate=100.5 sensor=1\n"
        ])
    }

    func testMetadataProviderAndError() {
        struct Failure: Error, CustomStringConvertible { var description: String { "EIO" } }
        let capture = Capture()
        let provider = Logger.MetadataProvider { ["request": "7"] }
        let log = Logger(label: "ctl") { label in
            JournalLogHandler(
                label: label, level: LogLevelSwitch(.info), format: .journal, sink: capture.sink,
                metadataProvider: provider)
        }
        log.error("read failed", error: Failure())
        XCTAssertEqual(capture.lines, ["<3>ctl: read failed error=EIO request=7\n"])
    }

    /// Line breaks in a message (a configuration's problems) are lines of their own, with the
    /// message's priority and source and indented; every other control character stays
    /// escaped, and metadata stays on the first line.
    func testALineBreakInAMessageIsAnIndentedLineWithTheSamePrefix() {
        let capture = Capture()
        let log = logger(capture, format: .journal)
        log.error("first\nsecond\r\tthird\u{1b}[0m\r\n<2>fourth\n", metadata: ["key\nx": "v\nw"])
        XCTAssertEqual(capture.lines, [
            "<3>loop: first key\\nx=v\\nw\n<3>loop:   second\\r\\tthird\\u{1b}[0m\n<3>loop:   <2>fourth\n",
        ])
        let terminal = Capture()
        logger(terminal, format: .terminal).warning("a\nb")
        XCTAssertEqual(terminal.lines, ["T warning loop: a\nT warning loop:   b\n"])
    }

    func testSharedLevelFollowsReloadsUntilALoggerSetsItsOwn() {
        let capture = Capture()
        let level = LogLevelSwitch(.info)
        let log = logger(capture, format: .journal, level: level)
        var own = logger(capture, format: .journal, level: level, label: "own")
        own.logLevel = .error
        log.debug("hidden")
        level.set(LogConfiguration.Level.debug)
        XCTAssertEqual(log.logLevel, .debug)
        log.debug("shown")
        own.warning("hidden, own level")
        level.set(LogConfiguration.Level.warning)
        log.info("hidden again")
        log.warning("kept")
        XCTAssertEqual(capture.lines, ["<7>loop: shown\n", "<4>loop: kept\n"])
        XCTAssertEqual(own.logLevel, .error)
    }

    func testConfiguredLevelsMap() {
        XCTAssertEqual(LogConfiguration.Level.allCases.map { Logger.Level($0) }, [.error, .warning, .notice, .info, .debug])
    }

    func testFactoryMakesJournalHandlers() {
        let capture = Capture()
        let make = JournalLogHandler.factory(level: LogLevelSwitch(.notice), format: .journal, sink: capture.sink)
        let log = Logger(label: "supervisor", factory: { make($0, nil) })
        log.info("below")
        log.notice("above")
        XCTAssertEqual(capture.lines, ["<5>supervisor: above\n"])
    }

    func testConcurrentLinesNeverInterleave() async {
        let capture = Capture()
        let log = logger(capture, format: .journal)
        await withTaskGroup(of: Void.self) { group in
            for task in 0..<8 {
                group.addTask {
                    for index in 0..<200 { log.info("task \(task) line \(index)", metadata: ["pad": "\(String(repeating: "x", count: 50))"]) }
                }
            }
        }
        XCTAssertEqual(capture.lines.count, 1600)
        XCTAssertTrue(capture.lines.allSatisfy { $0.hasPrefix("<6>loop: task ") && $0.hasSuffix("x\n") })
    }

    // MARK: Format detection

    func testDetectNeedsJournalStreamMatchingStderr() throws {
        // A pipe stands in for the journal's stream socket.
        var ends: [Int32] = [0, 0]
        XCTAssertEqual(pipe(&ends), 0)
        defer { close(ends[0]); close(ends[1]) }
        var status = stat()
        XCTAssertEqual(fstat(ends[1], &status), 0)
        let stream = "\(status.st_dev):\(status.st_ino)"
        XCTAssertEqual(JournalLogHandler.Format.detect(environment: ["JOURNAL_STREAM": stream], descriptor: ends[1]), .journal)
        XCTAssertEqual(JournalLogHandler.Format.detect(environment: [:], descriptor: ends[1]), .terminal)
        XCTAssertEqual(
            JournalLogHandler.Format.detect(environment: ["JOURNAL_STREAM": "\(status.st_dev):\(status.st_ino + 1)"], descriptor: ends[1]),
            .terminal, "inherited by a child whose stderr is elsewhere")
        XCTAssertEqual(JournalLogHandler.Format.detect(environment: ["JOURNAL_STREAM": "junk"], descriptor: ends[1]), .terminal)
    }

    func testStandardSinkWritesWholeLines() throws {
        var ends: [Int32] = [0, 0]
        XCTAssertEqual(pipe(&ends), 0)
        defer { close(ends[0]) }
        StandardStreams.write("<6>loop: one\n", to: ends[1])
        StandardStreams.write("<6>loop: two\n", to: ends[1])
        close(ends[1])
        var bytes = [UInt8](repeating: 0, count: 64)
        let count = read(ends[0], &bytes, bytes.count)
        XCTAssertEqual(String(decoding: bytes[0..<max(count, 0)], as: UTF8.self), "<6>loop: one\n<6>loop: two\n")
    }

    func testWallClockTimestampShape() {
        let stamp = JournalLogHandler.wallClockTimestamp()
        // 2025-06-02T09:14:03.512+0200
        XCTAssertEqual(stamp.count, 28, stamp)
        let characters = Array(stamp)
        XCTAssertEqual(characters[10], "T")
        XCTAssertEqual(characters[19], ".")
        XCTAssertTrue(characters[23] == "+" || characters[23] == "-", stamp)
    }
}
