import PostureCore
@testable import PostureStore
import XCTest

final class DayLogWriteTests: XCTestCase {
    func testBatchIsOneTransaction() throws {
        let dir = TemporaryDirectory()
        let log = try DayLog.open(path: dir.logPath, mode: .readWrite)
        let before = log.committedTransactions
        let t0 = Double(Fixtures.dayStart)
        let batch = StoreBatch(
            minutes: (0..<3).map { Fixtures.minute(Fixtures.dayStart + Int64($0) * 60) },
            events: [LogEvent.activity(.sitting, at: t0 + 1), LogEvent.nudge(.slouch, at: t0 + 100)],
            gaps: [LogGap(start: t0 + 200, end: t0 + 260, reason: .sensorLost)])
        try log.append(batch)
        XCTAssertEqual(log.committedTransactions - before, 1)
        XCTAssertEqual(try log.minutes(from: t0, to: t0 + 3600).count, 3)
        // Two events plus the gap's timeline event.
        XCTAssertEqual(try log.events(from: t0, to: t0 + 3600).map(\.kind), [.activity, .nudge, .gap])
        XCTAssertEqual(try log.gaps(from: t0, to: t0 + 3600), batch.gaps)
    }

    func testCalibrationConfigurationAndRetentionRideInTheMinuteTransaction() throws {
        let dir = TemporaryDirectory()
        let log = try DayLog.open(path: dir.logPath, mode: .readWrite)
        let t0 = Double(Fixtures.dayStart)
        try log.append(StoreBatch(minutes: [Fixtures.minute(Fixtures.dayStart - 400 * 86_400)]))
        let calibration = try Fixtures.calibration()
        var buffer = DayLogBuffer()
        buffer.clockSynced(WallClockMapping(offset: 0))
        buffer.add(LogEvent.nudge(.slouch, at: t0 + 5))
        buffer.addCalibration(calibration, at: t0 + 10)
        buffer.addConfiguration(text: "[sampling]\nrate_hz = 100\n", at: t0)
        buffer.prune(before: t0 - 365 * 86_400)
        let before = log.committedTransactions
        try log.append(buffer.takeBatch())
        XCTAssertEqual(log.committedTransactions - before, 1, "one transaction a minute, whatever it carries")
        XCTAssertEqual(try log.latestCalibration(), calibration)
        XCTAssertEqual(try log.latestConfiguration()?.text, "[sampling]\nrate_hz = 100\n")
        XCTAssertEqual(try log.minutes(from: 0, to: 4e9).count, 0, "the 400-day-old minute was pruned")
        XCTAssertEqual(
            Set(try log.events(from: 0, to: 4e9).map(\.kind)), [.nudge, .calibration, .configLoaded])
        XCTAssertTrue(buffer.takeBatch().isEmpty)
    }

    func testFailedBatchStoresNothingSoItCanBeRetried() throws {
        let dir = TemporaryDirectory()
        let log = try DayLog.open(path: dir.logPath, mode: .readWrite)
        let good = Fixtures.minute(Fixtures.dayStart)
        let misaligned = DatedMinute(startUnix: Fixtures.dayStart + 61, data: MinuteData())
        let before = log.committedTransactions
        assertStoreError(.sqlite) { () throws(StoreError) in
            try log.append(StoreBatch(minutes: [good, misaligned], events: [LogEvent.resume(at: 1)]))
        }
        XCTAssertEqual(log.committedTransactions, before)
        XCTAssertEqual(try log.minutes(from: 0, to: 4e9).count, 0)
        XCTAssertEqual(try log.events(from: 0, to: 4e9).count, 0)
        try log.append(StoreBatch(minutes: [good], events: [LogEvent.resume(at: 1)]))
        XCTAssertEqual(try log.minutes(from: 0, to: 4e9), [good])
    }

    func testMinuteAlreadyStoredIsMerged() throws {
        let dir = TemporaryDirectory()
        let log = try DayLog.open(path: dir.logPath, mode: .readWrite)
        // The daemon stopped 20 s into a minute and restarted 30 s later.
        var first = Fixtures.minute(Fixtures.dayStart, sitting: 20, tilt: -10, samples: 1000)
        first.data.pelvicTilt = AngleRange(mean: -10, min: -12, max: -8)
        var second = Fixtures.minute(Fixtures.dayStart, sitting: 0, standing: 10, tilt: -20, samples: 500, steps: 7)
        second.data.pelvicTilt = AngleRange(mean: -20, min: -25, max: -9)
        try log.append(StoreBatch(minutes: [first]))
        try log.append(StoreBatch(minutes: [second]))
        let stored = try XCTUnwrap(log.minutes(from: 0, to: 4e9).first)
        XCTAssertEqual(stored.data.sittingSeconds, 20)
        XCTAssertEqual(stored.data.standingSeconds, 10)
        XCTAssertEqual(stored.data.samples, 1500)
        XCTAssertEqual(stored.data.steps, 7)
        XCTAssertEqual(stored.data.pelvicTilt?.mean ?? 0, (-10.0 * 1000 - 20 * 500) / 1500, accuracy: 1e-9)
        XCTAssertEqual(stored.data.pelvicTilt?.min, -25)
        XCTAssertEqual(stored.data.pelvicTilt?.max, -8)
        XCTAssertEqual(stored.data.lumbarFlexion, nil)
    }

    func testGapsAreIdempotent() throws {
        let dir = TemporaryDirectory()
        let log = try DayLog.open(path: dir.logPath, mode: .readWrite)
        let gap = LogGap(start: 1000, end: 1600, reason: .daemonDown)
        try log.append(StoreBatch(gaps: [gap]))
        try log.append(StoreBatch(gaps: [gap]))
        XCTAssertEqual(try log.gaps(from: 0, to: 4e9), [gap])
        XCTAssertEqual(try log.events(from: 0, to: 4e9).count, 1)
        // Overlap query: a gap that started before the range still shows.
        XCTAssertEqual(try log.gaps(from: 1500, to: 1700), [gap])
        XCTAssertEqual(try log.gaps(from: 1600, to: 1700), [])
    }

    func testEventDetailsRoundTrip() throws {
        let dir = TemporaryDirectory()
        let log = try DayLog.open(path: dir.logPath, mode: .readWrite)
        let events = [
            LogEvent.nudgeSuppressed(SuppressedNudge(reason: .sittingTooLong, cause: .quietHours), at: 10),
            LogEvent.activity(nil, at: 11),
            LogEvent.boutEnded(SittingBout(start: 2, duration: 1800.5), at: 1900),
            LogEvent.sensorFault(sensor: 1, message: "I2C \"NACK\" at 0x68", at: 2000),
        ]
        try log.append(StoreBatch(events: events))
        XCTAssertEqual(try log.events(from: 0, to: 4e9), events)
    }

    func testCalibrationIsStoredAndTheLatestReturned() throws {
        let dir = TemporaryDirectory()
        let log = try DayLog.open(path: dir.logPath, mode: .readWrite)
        XCTAssertNil(try log.latestCalibration())
        var calibration = try Fixtures.calibration()
        try log.saveCalibration(calibration, at: 100)
        calibration.sittingPelvicTilt = -21.25
        try log.saveCalibration(calibration, at: 200)
        XCTAssertEqual(try log.latestCalibration(), calibration)
        XCTAssertEqual(try log.events(from: 0, to: 4e9).map(\.kind), [.calibration, .calibration])
        let reader = try DayLog.open(path: dir.logPath, mode: .readOnly)
        XCTAssertEqual(try reader.latestCalibration(), calibration)
    }

    func testConfigurationIsStoredOncePerText() throws {
        let dir = TemporaryDirectory()
        let log = try DayLog.open(path: dir.logPath, mode: .readWrite)
        XCTAssertTrue(try log.saveConfiguration(text: "[policy]\n", at: 1))
        XCTAssertFalse(try log.saveConfiguration(text: "[policy]\n", at: 2))
        XCTAssertTrue(try log.saveConfiguration(text: "[policy]\nslouch_hold_s = 20\n", at: 3))
        let latest = try XCTUnwrap(log.latestConfiguration())
        XCTAssertEqual(latest.text, "[policy]\nslouch_hold_s = 20\n")
        XCTAssertEqual(latest.sha256, SHA256.hex(of: Array(latest.text.utf8)))
        XCTAssertEqual(try log.events(from: 0, to: 4e9).filter { $0.kind == .configLoaded }.count, 2)
    }

    func testPruneDeletesOldDataInOneTransactionAndKeepsTheLatestCalibration() throws {
        let dir = TemporaryDirectory()
        let log = try DayLog.open(path: dir.logPath, mode: .readWrite)
        let day = 86_400.0
        let now = Double(Fixtures.dayStart)
        let old = Fixtures.dayStart - 400 * 86_400
        try log.append(
            StoreBatch(
                minutes: [Fixtures.minute(old), Fixtures.minute(Fixtures.dayStart - 60)],
                events: [LogEvent.resume(at: Double(old)), LogEvent.resume(at: now - 10)],
                gaps: [LogGap(start: Double(old), end: Double(old) + 60, reason: .daemonDown)]))
        try log.saveCalibration(try Fixtures.calibration(), at: Double(old))
        try log.saveConfiguration(text: "a", at: Double(old))
        try log.saveConfiguration(text: "b", at: Double(old) + 1)
        let before = log.committedTransactions
        let result = try log.prune(retentionDays: 365, now: now)
        XCTAssertEqual(log.committedTransactions - before, 1)
        XCTAssertEqual(result.minutes, 1)
        // The old resume, the gap's event, the calibration event and two config_loaded events.
        XCTAssertEqual(result.events, 5)
        XCTAssertEqual(result.gaps, 1)
        XCTAssertEqual(result.calibrations, 0, "the only calibration is kept whatever its age")
        XCTAssertEqual(result.configurations, 1)
        XCTAssertEqual(try log.minutes(from: 0, to: 4e9).map(\.startUnix), [Fixtures.dayStart - 60])
        XCTAssertEqual(try log.events(from: 0, to: 4e9).count, 1)
        XCTAssertNotNil(try log.latestCalibration())
        XCTAssertEqual(try log.latestConfiguration()?.text, "b")
        XCTAssertEqual(now - 365 * day > Double(old), true)
    }

    func testLastRecordedTime() throws {
        let dir = TemporaryDirectory()
        let log = try DayLog.open(path: dir.logPath, mode: .readWrite)
        XCTAssertNil(try log.lastRecordedTime())
        try log.append(StoreBatch(minutes: [Fixtures.minute(Fixtures.dayStart)]))
        XCTAssertEqual(try log.lastRecordedTime(), Double(Fixtures.dayStart) + 60)
        try log.append(StoreBatch(events: [LogEvent.daemonStop(reason: "SIGTERM", at: Double(Fixtures.dayStart) + 75)]))
        XCTAssertEqual(try log.lastRecordedTime(), Double(Fixtures.dayStart) + 75)
    }

    func testSHA256Vectors() {
        XCTAssertEqual(SHA256.hex(of: []), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        XCTAssertEqual(SHA256.hex(of: Array("abc".utf8)), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        XCTAssertEqual(
            SHA256.hex(of: Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }
}
