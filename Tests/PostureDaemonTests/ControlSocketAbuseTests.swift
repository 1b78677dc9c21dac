import Foundation
import PostureControl
import XCTest

#if canImport(Glibc)
import Glibc
#endif

/// The real daemon's control socket under abuse: 500 clients at once sending random bytes,
/// oversized lines, half messages, or requests whose replies they never read.
/// And who may change state, tried as real other users (`nobody`, with and without the
/// control group), which needs root to switch users (CI runs as root).
final class ControlSocketAbuseTests: XCTestCase {
    private func residentKilobytes(_ pid: Int32) -> Int {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") })
        else { return 0 }
        return Int(line.split(separator: " ").dropFirst().first ?? "0") ?? 0
    }

    /// A non-blocking connection: with 500 at once the listen backlog may be full, which a
    /// client sees as EAGAIN (counted, not waited for).
    private func connectNonBlocking(_ path: String) -> Int32? {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0, let address = UnixSocketAddress(path: path) else { return nil }
        guard address.withSockAddr({ Glibc.connect(fd, $0, $1) }) == 0 else {
            close(fd)
            return nil
        }
        return fd
    }

    private func send(_ fd: Int32, _ bytes: [UInt8]) {
        _ = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    }

    /// `sampling.lateness_last_minute` of a `status --json` reply, as "p50 …, p99 …, max … µs".
    private static func latenessLastMinute(in reply: String) -> String? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(reply.utf8)) as? [String: Any],
            let result = object["result"] as? [String: Any], let sampling = result["sampling"] as? [String: Any],
            let late = sampling["lateness_last_minute"] as? [String: Any],
            let p50 = late["p50_us"] as? Double, let p99 = late["p99_us"] as? Double, let maximum = late["max_us"] as? Double
        else { return nil }
        return "p50 \(Int(p50)) µs, p99 \(Int(p99)) µs, max \(Int(maximum)) µs"
    }

    func testFiveHundredAbusiveClientsLeaveTheDaemonServingAndBounded() throws {
        let harness = try DaemonHarness()
        try harness.start(["--config", DaemonHarness.shippedConfig, "--simulate", "workday", "--speed", "10"])
        XCTAssertNotNil(harness.notify.waitFor("READY=1", timeout: 20), harness.log)
        let pid = try XCTUnwrap(harness.pid)
        let before = residentKilobytes(pid)

        var generator = SystemRandomNumberGenerator()
        var open: [Int32] = []
        var refused = 0
        for i in 0..<500 {
            guard let fd = connectNonBlocking(harness.socketPath) else {
                refused += 1
                continue
            }
            open.append(fd)
            switch i % 5 {
            case 0: send(fd, (0..<4096).map { _ in UInt8.random(in: 0...255, using: &generator) } + [10])
            case 1: send(fd, [UInt8](repeating: UInt8(ascii: "{"), count: 2 * ControlProtocol.maxLineBytes))
            case 2: send(fd, Array(#"{"v":1,"id":1,"verb":"sta"#.utf8))
            case 3: send(fd, ControlRequest(id: .number(1), command: .watch(rate: 50, count: nil)).encodedLine())  // never read
            default: send(fd, ControlRequest(id: .number(1), command: .status).encodedLine())  // never read
            }
        }
        // Silent and stuck clients hold the places (32) for a second; then a well-behaved
        // client takes the place of the one idle longest, and is served. (Before, it was
        // refused for as long as the abusers stayed connected.)
        usleep(1_500_000)
        var slowest = 0.0
        for _ in 0..<5 {
            let start = Date()
            let status = try harness.posturectl(["status", "--json", "--socket", harness.socketPath])
            slowest = max(slowest, Date().timeIntervalSince(start))
            XCTAssertEqual(status.status, 0, status.output)
            usleep(200_000)
        }
        let during = residentKilobytes(pid)
        for fd in open { close(fd) }
        usleep(500_000)
        let status = try harness.posturectl(["status", "--json", "--socket", harness.socketPath])
        XCTAssertEqual(status.status, 0, status.output)
        XCTAssertTrue(status.output.contains("\"dropped_reports\":0"), "the loop's reports were all drained: \(status.output)")
        // The loop's timing under the load: no period overran (the loop never waited on the socket).
        XCTAssertTrue(status.output.contains("\"overruns\":0"), "the loop overran under the load: \(status.output)")
        // How late the loop woke over the minute that held the load (printed, not judged: a
        // timing figure belongs to the benchmarks, BENCHMARKS.md row 6); it must be reported.
        let lateness = Self.latenessLastMinute(in: status.output)
        XCTAssertNotNil(lateness, "status reports the loop's lateness over the last minute: \(status.output)")
        let after = residentKilobytes(pid)
        XCTAssertLessThan(during - before, 32 * 1024, "memory bounded: \(before) kB before, \(during) kB with 500 clients")
        XCTAssertLessThan(slowest, 2, "a good client waited \(slowest) s")
        harness.signal(SIGTERM)
        XCTAssertEqual(harness.waitForExit(timeout: 10), 0, harness.log)
        print("control socket: 500 clients at once (\(open.count) connected, \(refused) refused by the backlog) sending random bytes, oversized lines, half messages or never reading: daemon up, 0 overruns and 0 dropped reports in the loop, a good client served in at most \(Int(slowest * 1000)) ms, loop wake-up lateness over that minute \(lateness ?? "not reported"), RSS \(before) kB -> \(during) kB -> \(after) kB, clean SIGTERM")
    }

    /// `posturectl ARGS` run as `nobody` with primary group `gid` and supplementary `groups`.
    private func asNobody(gid: Int, groups: [Int], _ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
        let groupArguments = groups.isEmpty ? ["--clear-groups"] : ["--groups=" + groups.map(String.init).joined(separator: ",")]
        process.arguments = ["--reuid=65534", "--regid=\(gid)"] + groupArguments + ["--", try DaemonHarness.binary("posturectl").path] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// A daemon whose control group is `group`, on the shipped configuration otherwise.
    private func daemon(controlGroup group: String) throws -> DaemonHarness {
        let harness = try DaemonHarness()
        let shipped = try String(contentsOfFile: DaemonHarness.shippedConfig, encoding: .utf8)
        XCTAssertTrue(shipped.contains("group = \"postured\""), "the shipped configuration no longer names its group so")
        let config = harness.directory.appendingPathComponent("postured.toml").path
        try shipped.replacingOccurrences(of: "group = \"postured\"", with: "group = \"\(group)\"")
            .write(toFile: config, atomically: true, encoding: .utf8)
        try harness.start(["--config", config, "--simulate", "workday", "--speed", "10"])
        XCTAssertNotNil(harness.notify.waitFor("READY=1", timeout: 20), harness.log)
        return harness
    }

    private func snoozed(_ harness: DaemonHarness) throws -> Bool {
        let status = try harness.posturectl(["status", "--json", "--socket", harness.socketPath])
        XCTAssertEqual(status.status, 0, status.output)
        return !status.output.contains("\"snooze_remaining_s\":null") && status.output.contains("snooze_remaining_s")
    }

    /// The socket is mode 0660 and group `staff` (gid 50, in Debian's base system): `nobody`
    /// outside the group cannot connect at all; with the group as a supplementary one it may
    /// snooze. A daemon whose group does not exist keeps the socket's group root: `nobody`
    /// with primary group root can connect and read `status`, and the daemon itself refuses
    /// its snooze, calibrate and reload.
    func testAnotherUserOutsideTheGroupCannotChangeState() throws {
        guard getuid() == 0 else { throw XCTSkip("switching to another user needs root (CI runs as root): not tried") }
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv") else { throw XCTSkip("no setpriv (util-linux)") }
        let staff = try daemon(controlGroup: "staff")
        let socket = ["--socket", staff.socketPath]
        var refusedOutside: [String] = []
        for command in [["snooze", "60"], ["calibrate"], ["reload"], ["status"]] {
            let result = try asNobody(gid: 65534, groups: [], command + socket)
            XCTAssertNotEqual(result.status, 0, "nobody outside the group: \(command) \(result.output)")
            XCTAssertTrue(
                result.output.contains("permission denied") && result.output.contains("usermod -aG staff"),
                "the refusal names the socket's group: \(result.output)")
            refusedOutside.append(command[0])
        }
        XCTAssertFalse(try snoozed(staff), "an outsider's snooze took effect")
        let member = try asNobody(gid: 65534, groups: [50], ["snooze", "60"] + socket)
        XCTAssertEqual(member.status, 0, "nobody in group staff: \(member.output)")
        XCTAssertTrue(try snoozed(staff), "a member's snooze did not take effect")
        staff.signal(SIGTERM)
        XCTAssertEqual(staff.waitForExit(timeout: 10), 0, staff.log)

        let noGroup = try daemon(controlGroup: "postured-no-such-group")
        let ownSocket = ["--socket", noGroup.socketPath]
        let read = try asNobody(gid: 0, groups: [], ["status"] + ownSocket)
        XCTAssertEqual(read.status, 0, "nobody in group root reads status: \(read.output)")
        var refusedByDaemon: [String] = []
        for command in [["snooze", "60"], ["calibrate"], ["reload"]] {
            let result = try asNobody(gid: 0, groups: [], command + ownSocket)
            XCTAssertNotEqual(result.status, 0, "\(command) by nobody in group root: \(result.output)")
            XCTAssertTrue(
                result.output.contains("not allowed for uid 65534") && result.output.contains("'postured-no-such-group' does not exist"),
                "the refusal says the group is missing: \(result.output)")
            refusedByDaemon.append(command[0])
        }
        XCTAssertFalse(try snoozed(noGroup), "a refused snooze took effect")
        noGroup.signal(SIGTERM)
        XCTAssertEqual(noGroup.waitForExit(timeout: 10), 0, noGroup.log)
        print("control socket as another user: nobody outside group staff could not connect for \(refusedOutside.joined(separator: ", ")); nobody in staff snoozed; with no group, nobody in group root read status and was refused by the daemon for \(refusedByDaemon.joined(separator: ", ")), saying the group is missing; state unchanged by every refusal")
    }
}
