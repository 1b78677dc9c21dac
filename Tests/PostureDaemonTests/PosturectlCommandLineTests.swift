import Foundation
import PostureControl
import PostureStore
import XCTest

#if canImport(Glibc)
import Glibc
#endif

/// `posturectl` as a new user types it (issue 12): shared options before the subcommand,
/// `--version`, a misspelt subcommand, a snooze of nothing, a resume with nothing snoozed.
/// The real binaries: the daemon on a simulated wearer, posturectl as a separate process, run
/// as the package installs it (a link named posturectl to the postured binary).
final class PosturectlCommandLineTests: XCTestCase {
    func testSharedOptionsWorkBeforeTheSubcommandAndMistakesAreNamed() throws {
        let harness = try DaemonHarness()
        try harness.usePosturectlAsInstalled()
        try harness.start(["--config", DaemonHarness.shippedConfig, "--simulate", "workday", "--speed", "5"])
        XCTAssertNotNil(harness.notify.waitFor("READY=1", timeout: 20), harness.log)
        let socket = harness.socketPath

        let before = try harness.posturectl(["--socket", socket, "status"])
        XCTAssertEqual(before.status, 0, before.output)
        XCTAssertTrue(before.output.contains("MPU-6050"), before.output)
        let json = try harness.posturectl(["--json", "--socket=\(socket)", "status"])
        XCTAssertEqual(json.status, 0, json.output)
        XCTAssertTrue(json.output.hasPrefix("{") && json.output.contains("\"ok\":true"), json.output)

        let version = try harness.posturectl(["--version"])
        XCTAssertEqual(version.status, 0)
        XCTAssertEqual(version.output, "posturectl \(PosturedVersion.string)\n")

        let typo = try harness.posturectl(["--socket", socket, "stauts"])
        XCTAssertEqual(typo.status, 64, typo.output)
        XCTAssertTrue(typo.output.contains("unknown command 'stauts' (did you mean 'status'?)"), typo.output)
        let nothingLike = try harness.posturectl(["frobnicate"])
        XCTAssertEqual(nothingLike.status, 64, nothingLike.output)
        XCTAssertFalse(nothingLike.output.contains("did you mean"), nothingLike.output)

        // (a negative number needs `--`: without, it is taken for an option, and refused as one)
        let bareNegative = try harness.posturectl(["snooze", "-5", "--socket", socket])
        XCTAssertEqual(bareNegative.status, 64, bareNegative.output)
        XCTAssertTrue(bareNegative.output.contains("'-5'"), bareNegative.output)
        for zero in ["0", "0m", "-5"] {
            let snooze = try harness.posturectl(["snooze", "--socket", socket, "--", zero])
            XCTAssertNotEqual(snooze.status, 0, snooze.output)
            XCTAssertTrue(snooze.output.contains("a snooze needs more than 0 seconds"), "\(zero): \(snooze.output)")
        }

        // A resume with nothing snoozed says so and leaves nothing in the log; a real one is logged.
        let idle = try harness.posturectl(["--socket", socket, "resume"])
        XCTAssertEqual(idle.status, 0, idle.output)
        XCTAssertTrue(idle.output.contains("Nudges were not snoozed."), idle.output)
        XCTAssertEqual(try harness.posturectl(["--socket", socket, "snooze", "10m"]).status, 0)
        let resumed = try harness.posturectl(["--socket", socket, "resume"])
        XCTAssertTrue(resumed.output.contains("Nudges resumed."), resumed.output)

        harness.signal(SIGTERM)
        XCTAssertEqual(harness.waitForExit(timeout: 5), 0, harness.log)
        let events = try DayLog.open(path: harness.dayLogPath, mode: .readOnly).events(from: 0, to: 1e12)
        XCTAssertEqual(events.filter { $0.kind == .resume }.count, 1, "only the snooze that was ended: \(events.map(\.kind))")

        // The day log, with --state-dir and --json before the subcommand.
        let start = try XCTUnwrap(events.first?.time)
        var seconds = time_t(start)
        var local = tm()
        localtime_r(&seconds, &local)
        let date = String(format: "%04d-%02d-%02d", Int(local.tm_year) + 1900, Int(local.tm_mon) + 1, Int(local.tm_mday))
        let log = try harness.posturectl(["--state-dir", harness.stateDirectory, "--json", "log", "--date", date])
        XCTAssertEqual(log.status, 0, log.output)
        XCTAssertTrue(log.output.contains("\"kind\":\"resume\""), log.output)
        let misplaced = try harness.posturectl(["--state-dir", harness.stateDirectory, "status"])
        XCTAssertNotEqual(misplaced.status, 0, "status reads no day log")
        XCTAssertTrue(misplaced.output.contains("--state-dir"), misplaced.output)
    }
}
