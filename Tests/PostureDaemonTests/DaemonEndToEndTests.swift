import Foundation
import PostureCore
import PostureStore
import XCTest

#if canImport(Glibc)
import Glibc
#endif

/// The real `postured` process on simulated chips: start-up, READY, the control socket,
/// the day log on disk, signals and refusals, as an administrator would see them.
final class DaemonEndToEndTests: XCTestCase {
    /// Generous bounds: the debug build on a loaded two-core machine is slow to start.
    private let startupTimeout: TimeInterval = 20

    private func events(_ harness: DaemonHarness) throws -> [LogEvent] {
        let log = try DayLog.open(path: harness.dayLogPath, mode: .readOnly)
        return try log.events(from: 0, to: 1e12)
    }

    func testSimulatedDayReadyStatusNudgesAndDayLog() throws {
        let harness = try DaemonHarness()
        // The slouch scenario: 180 s with a slouch held from 60 s to 120 s; 30× speed = 6 s.
        try harness.start(["--config", DaemonHarness.shippedConfig, "--simulate", "slouch", "--speed", "30"])
        let ready = harness.notify.waitFor("READY=1", timeout: startupTimeout)
        XCTAssertNotNil(ready, "no READY=1 on NOTIFY_SOCKET; log:\n\(harness.log)")

        let status = try harness.posturectl(["status", "--json", "--socket", harness.socketPath])
        XCTAssertEqual(status.status, 0, status.output)
        XCTAssertTrue(status.output.contains("\"ok\":true"), status.output)
        XCTAssertTrue(status.output.contains("MPU-6050"), status.output)
        XCTAssertTrue(status.output.contains("LSM6DS3"), status.output)

        // In simulation the daemon stops by itself when the wearer's day is over.
        XCTAssertEqual(harness.waitForExit(timeout: 40), 0, harness.log)
        let stored = try events(harness)
        let nudges = stored.filter { $0.kind == .nudge }
        XCTAssertEqual(nudges.count, 1, "one slouch nudge expected: \(nudges)")
        XCTAssertTrue(stored.contains { $0.kind == .calibration }, "the demo calibrates from the scenario's poses")
        XCTAssertTrue(stored.contains { $0.kind == .daemonStart })
        XCTAssertTrue(stored.contains { $0.kind == .daemonStop })
        let log = try DayLog.open(path: harness.dayLogPath, mode: .readOnly)
        let minutes = try log.minutes(from: 0, to: 1e12)
        XCTAssertGreaterThanOrEqual(minutes.count, 3, "180 s of data span at least three minutes")
        let sitting = minutes.reduce(0) { $0 + $1.data.sittingSeconds }
        XCTAssertGreaterThan(sitting, 120, "the wearer sat for most of the 180 s")
    }

    func testSIGTERMStopsWithinOneSecondAndStoresTheLastMinute() throws {
        let harness = try DaemonHarness()
        try harness.start(["--config", DaemonHarness.shippedConfig, "--simulate", "workday", "--speed", "10"])
        XCTAssertNotNil(harness.notify.waitFor("READY=1", timeout: startupTimeout), harness.log)
        usleep(2_000_000)
        let sent = Date()
        harness.signal(SIGTERM)
        let status = harness.waitForExit(timeout: 5)
        let took = Date().timeIntervalSince(sent)
        XCTAssertEqual(status, 0, harness.log)
        XCTAssertLessThan(took, 1.0, "SIGTERM to exit took \(took) s")
        XCTAssertNotNil(harness.notify.waitFor("STOPPING=1", timeout: 1))
        let stored = try events(harness)
        XCTAssertTrue(stored.contains { $0.kind == .daemonStop }, "\(stored.map(\.kind))")
        let minutes = try DayLog.open(path: harness.dayLogPath, mode: .readOnly).minutes(from: 0, to: 1e12)
        XCTAssertFalse(minutes.isEmpty, "the partial minute at the stop must be stored")
    }

    func testBadConfigurationRefusesToStartWithExConfig() throws {
        let harness = try DaemonHarness()
        let bad = harness.directory.appendingPathComponent("bad.toml").path
        try "[sampling]\nrate_hz = 5000\n[policy]\nslouch_tilt = 3\n".write(toFile: bad, atomically: true, encoding: .utf8)
        try harness.start(["--config", bad, "--simulate", "slouch"])
        XCTAssertEqual(harness.waitForExit(timeout: startupTimeout), 78)
        XCTAssertTrue(harness.log.contains("bad.toml:2: sampling.rate_hz"), harness.log)
        XCTAssertTrue(harness.log.contains("bad.toml:4:"), harness.log)
        // One problem a line, as `check-config` prints them, not one line with "\n" in it.
        XCTAssertFalse(harness.log.contains("\\n"), harness.log)
        XCTAssertTrue(harness.log.split(separator: "\n").contains { $0.contains("postured:   ") && $0.contains("bad.toml:2: sampling.rate_hz") }, harness.log)
        XCTAssertNil(harness.notify.next(timeout: 0.1), "no READY for a daemon that refused to start")
    }

    func testForeignDatabaseIsRefusedAndLeftUntouched() throws {
        let harness = try DaemonHarness()
        let foreign = Data("my thesis, not a database\n".utf8)
        try foreign.write(to: URL(fileURLWithPath: harness.dayLogPath))
        try harness.start(["--config", DaemonHarness.shippedConfig, "--simulate", "slouch"])
        let status = harness.waitForExit(timeout: startupTimeout)
        XCTAssertNotNil(status)
        XCTAssertNotEqual(status, 0)
        XCTAssertTrue(harness.log.contains(harness.dayLogPath), harness.log)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: harness.dayLogPath)), foreign)
    }

    func testReloadWithABadFileKeepsTheRunningConfiguration() throws {
        let harness = try DaemonHarness()
        let config = harness.directory.appendingPathComponent("postured.toml").path
        try FileManager.default.copyItem(atPath: DaemonHarness.shippedConfig, toPath: config)
        try harness.start(["--config", config, "--simulate", "workday", "--speed", "5"])
        XCTAssertNotNil(harness.notify.waitFor("READY=1", timeout: startupTimeout), harness.log)

        try "[policy]\nslouch_hold_s = -1\n".write(toFile: config, atomically: true, encoding: .utf8)
        let reload = try harness.posturectl(["reload", "--socket", harness.socketPath])
        XCTAssertNotEqual(reload.status, 0)
        XCTAssertTrue(reload.output.contains("postured.toml:2: policy.slouch_hold_s"), reload.output)
        XCTAssertFalse(reload.output.contains("\\n"), reload.output)
        harness.signal(SIGHUP)
        usleep(300_000)
        XCTAssertFalse(harness.log.contains("\\n"), "problems of a refused reload, one a line:\n\(harness.log)")
        XCTAssertTrue(harness.log.contains("postured:   ") && harness.log.contains("postured.toml:2: policy.slouch_hold_s"), harness.log)
        XCTAssertTrue(harness.process?.isRunning ?? false, "a bad reload must not stop the daemon:\n\(harness.log)")
        let status = try harness.posturectl(["status", "--socket", harness.socketPath])
        XCTAssertEqual(status.status, 0, status.output)

        // A good file is applied.
        try FileManager.default.removeItem(atPath: config)
        try FileManager.default.copyItem(atPath: DaemonHarness.shippedConfig, toPath: config)
        let text = try String(contentsOfFile: config, encoding: .utf8)
        try text.replacingOccurrences(of: "slouch_hold_s = 30", with: "slouch_hold_s = 45")
            .write(toFile: config, atomically: true, encoding: .utf8)
        let good = try harness.posturectl(["reload", "--socket", harness.socketPath])
        XCTAssertEqual(good.status, 0, good.output)
        XCTAssertTrue(good.output.contains("policy"), good.output)
        harness.signal(SIGTERM)
        XCTAssertEqual(harness.waitForExit(timeout: 5), 0)
    }

    func testASecondDaemonOnTheSameSocketIsRefused() throws {
        let first = try DaemonHarness()
        try first.start(["--config", DaemonHarness.shippedConfig, "--simulate", "workday", "--speed", "5"])
        XCTAssertNotNil(first.notify.waitFor("READY=1", timeout: startupTimeout), first.log)
        let second = try DaemonHarness()
        try second.start(
            ["--config", DaemonHarness.shippedConfig, "--simulate", "workday"], runtimeDirectory: first.runtimeDirectory)
        let status = second.waitForExit(timeout: startupTimeout)
        XCTAssertNotNil(status)
        XCTAssertNotEqual(status, 0)
        XCTAssertTrue(second.log.contains(first.socketPath), second.log)
        XCTAssertTrue(first.process?.isRunning ?? false, "the first daemon keeps running")
        first.signal(SIGTERM)
        XCTAssertEqual(first.waitForExit(timeout: 5), 0)
    }
}
