import Foundation
import PostureCore
@testable import PostureStore
import XCTest

#if canImport(Glibc)
import Glibc
#endif

/// The real `postured` on a state directory whose file system fails under it, as an SD card
/// does: it fills up, or the kernel remounts it read-only after an I/O error (ext4's
/// `errors=remount-ro`, here triggered through `/sys/fs/ext4/DEV/trigger_fs_error`). The day
/// is the shipped workday, simulated; the same day on a healthy directory, run alongside, is
/// what the faulted days are compared with (a simulated day does not depend on its speed,
/// `DayLogAgreementTests`). Needs root for the mounts (CI runs as root); skipped otherwise.
final class StorageFaultTests: XCTestCase {
    private let arguments = ["--config", DaemonHarness.shippedConfig, "--simulate", "workday", "--speed", "3000"]

    func testAFullOrReadOnlyFileSystemNeverStopsNudgingAndLosesNothingStored() throws {
        try ScratchFileSystem.requireMounting()
        let reference = try DaemonHarness()
        let full = try DaemonHarness()
        let readOnly = try DaemonHarness()
        let tmpfs = try ScratchFileSystem.tmpfs(at: full.stateDirectory, bytes: 8 << 20)
        defer { tmpfs.unmount() }
        let ext4 = try ScratchFileSystem.ext4(at: readOnly.stateDirectory, image: readOnly.directory.appendingPathComponent("state.img").path, bytes: 16 << 20)
        defer { ext4.unmount() }

        for harness in [reference, full, readOnly] { try harness.start(arguments) }

        // Once 20 minutes are stored: one card fills up (and is freed 8 s later), the other
        // is made read-only by the kernel for the rest of the day.
        let fullAt = try waitForStoredMinutes(20, in: full)
        let filler = try tmpfs.fill()
        let readOnlyAt = try waitForStoredMinutes(20, in: readOnly)
        try ext4.failLikeABadCard()
        let fullError = waitForStoreError(full)
        XCTAssertNotNil(fullError, "status never showed the full file system\n\(full.log)")
        let readOnlyError = waitForStoreError(readOnly)
        XCTAssertNotNil(readOnlyError, "status never showed the read-only file system\n\(readOnly.log)")
        usleep(8_000_000)
        try FileManager.default.removeItem(atPath: filler)

        for harness in [reference, full, readOnly] {
            XCTAssertEqual(harness.waitForExit(timeout: 300), 0, harness.log)
        }
        let expected = try StoredDay(reference.dayLogPath)
        XCTAssertEqual(expected.gaps, [], "the healthy day has gaps")

        // Full: every minute and every nudge of the day, once; the fault and its end stored.
        XCTAssertEqual(try StoredDay.integrity(full.dayLogPath), ["ok"])
        let afterFull = try StoredDay(full.dayLogPath)
        XCTAssertEqual(afterFull.minutes, expected.minutes, "the full file system cost minutes")
        XCTAssertEqual(afterFull.nudges, expected.nudges, "the full file system changed the nudges")
        XCTAssertEqual(afterFull.gaps, [], "nothing was dropped, so no gap")
        let fault = try XCTUnwrap(afterFull.events.first { $0.kind == .storeFault }, "no store_fault event")
        let recovered = try XCTUnwrap(afterFull.events.first { $0.kind == .storeRecovered }, "no store_recovered event")
        let heldMinutes = Int(recovered.number("held_minutes") ?? 0)
        XCTAssertGreaterThan(heldMinutes, 0, "no minute closed while the file system was full")
        let nudgesDuringFull = expected.nudgeTimes.filter { $0 >= fault.time && $0 <= recovered.time }.count
        XCTAssertEqual(full.log.components(separatedBy: "cannot write the day log").count - 1, 1, "the fault is told once\n\(full.log)")
        XCTAssertEqual(full.log.components(separatedBy: "writable again").count - 1, 1, full.log)

        // Read-only: nudges went on (the journal shows every one of the day's); after fsck,
        // what was stored before the fault is intact and exactly the healthy day's.
        ext4.unmount()
        try ext4.checkAndRemount()
        XCTAssertEqual(try StoredDay.integrity(readOnly.dayLogPath), ["ok"])
        let afterReadOnly = try StoredDay(readOnly.dayLogPath)
        let stored = Set(afterReadOnly.minutes)
        XCTAssertGreaterThanOrEqual(stored.count, readOnlyAt, "minutes stored before the fault are gone")
        XCTAssertTrue(stored.isSubset(of: Set(expected.minutes)), "a stored minute differs from the healthy day's")
        let told = readOnly.log.components(separatedBy: "NUDGE ").count - 1
        XCTAssertEqual(told, expected.nudges.count, "nudges stopped with the file system\n\(readOnly.log)")
        XCTAssertTrue(readOnly.log.contains("minutes waiting in memory are lost"), readOnly.log)

        print("storage faults: full tmpfs after \(fullAt) minutes, for 8 s (\(fullError ?? "")): \(heldMinutes) minutes waited in memory and were written when space returned, \(afterFull.minutes.count) of \(expected.minutes.count) minutes and \(afterFull.nudges.count) of \(expected.nudges.count) nudges as on a healthy card (\(nudgesDuringFull) during the fault), integrity ok; ext4 remounted read-only by the kernel after \(readOnlyAt) minutes (\(readOnlyError ?? "")): \(told) of \(expected.nudges.count) nudges still given, \(stored.count) minutes stored before it intact after fsck")
    }

    /// Waits until at least `count` minutes are stored; returns how many there are.
    @discardableResult
    private func waitForStoredMinutes(_ count: Int, in harness: DaemonHarness) throws -> Int {
        let deadline = Date().addingTimeInterval(120)
        while Date() < deadline {
            if let log = try? DayLog.open(path: harness.dayLogPath, mode: .readOnly),
               let minutes = try? log.minutes(from: 0, to: 1e12), minutes.count >= count { return minutes.count }
            usleep(50_000)
        }
        XCTFail("\(count) minutes never stored\n\(harness.log)")
        return 0
    }

    /// The store error `status --json` shows, within 30 s.
    private func waitForStoreError(_ harness: DaemonHarness) -> String? {
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            if let status = try? harness.posturectl(["status", "--json", "--socket", harness.socketPath]),
               let data = status.output.data(using: .utf8),
               let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
               let result = object["result"] as? [String: Any],
               let store = result["store"] as? [String: Any], let error = store["error"] as? String {
                return error
            }
            usleep(50_000)
        }
        return nil
    }
}

/// What a day log holds, in comparable form.
private struct StoredDay {
    var minutes: [String]
    var nudges: [String]
    var nudgeTimes: [Double]
    var gaps: [String]
    var events: [LogEvent]

    init(_ path: String) throws {
        let log = try DayLog.open(path: path, mode: .readOnly)
        events = try log.events(from: 0, to: 1e12)
        minutes = try log.minutes(from: 0, to: 1e12).map {
            "\($0.startUnix) n \($0.data.samples) sit \(($0.data.sittingSeconds * 1000).rounded()) slouch \(($0.data.slouchSeconds * 1000).rounded()) tilt \($0.data.pelvicTilt?.mean ?? .nan)"
        }
        let nudgeEvents = events.filter { $0.kind == .nudge }
        nudges = nudgeEvents.map { "\($0.string("reason") ?? "")@\(($0.time * 1000).rounded())" }
        nudgeTimes = nudgeEvents.map(\.time)
        gaps = try log.gaps(from: 0, to: 1e12).map { "\($0.reason) \($0.start)–\($0.end)" }
    }

    static func integrity(_ path: String) throws -> [String] {
        let log = try DayLog.open(path: path, mode: .readOnly)
        return try DayLog.strings(log.connection, "PRAGMA integrity_check")
    }
}

/// A small file system the test mounts over a harness's state directory.
private struct ScratchFileSystem {
    let mountPoint: String
    let image: String?

    static func requireMounting() throws {
        guard getuid() == 0 else {
            throw XCTSkip("mounting a scratch file system needs root (CI runs as root): storage faults not tried")
        }
    }

    static func tmpfs(at path: String, bytes: Int) throws -> ScratchFileSystem {
        try run("/usr/bin/mount", ["-t", "tmpfs", "-o", "size=\(bytes)", "tmpfs", path])
        return ScratchFileSystem(mountPoint: path, image: nil)
    }

    /// ext4 on a loop device, remounted read-only by the kernel on the first error, as
    /// Raspberry Pi OS mounts its root.
    static func ext4(at path: String, image: String, bytes: Int) throws -> ScratchFileSystem {
        guard FileManager.default.createFile(atPath: image, contents: nil), truncate(image, off_t(bytes)) == 0 else {
            throw XCTSkip("cannot make the image \(image)")
        }
        try run("/usr/sbin/mkfs.ext4", ["-q", "-F", "-m", "0", image])
        let scratch = ScratchFileSystem(mountPoint: path, image: image)
        try scratch.mountImage()
        return scratch
    }

    private func mountImage() throws {
        guard let image else { return }
        try Self.run("/usr/bin/mount", ["-o", "loop,errors=remount-ro", image, mountPoint])
    }

    /// Fills the file system until a write fails for want of space; returns the filler's path.
    func fill() throws -> String {
        let path = mountPoint + "/filler"
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        guard fd >= 0 else { throw POSIXError(.EIO) }
        defer { close(fd) }
        let chunk = [UInt8](repeating: 0xA5, count: 4096)
        while chunk.withUnsafeBytes({ write(fd, $0.baseAddress, $0.count) }) > 0 {}
        XCTAssertEqual(errno, ENOSPC, "the filler stopped for another reason")
        return path
    }

    /// An ext4 error, as a failing card gives: the kernel remounts the file system read-only.
    func failLikeABadCard() throws {
        let source = try Self.output("/usr/bin/findmnt", ["-n", "-o", "SOURCE", mountPoint])
        let device = URL(fileURLWithPath: source.trimmingCharacters(in: .whitespacesAndNewlines)).lastPathComponent
        let trigger = "/sys/fs/ext4/\(device)/trigger_fs_error"
        guard FileManager.default.fileExists(atPath: trigger) else { throw XCTSkip("\(trigger) missing: this kernel cannot emulate a card error") }
        try "1".write(toFile: trigger, atomically: false, encoding: .utf8)
        let options = try Self.output("/usr/bin/findmnt", ["-n", "-o", "OPTIONS", mountPoint])
        XCTAssertTrue(options.contains("ro"), "not read-only after the error: \(options)")
    }

    /// What a user does after a card error: unmount, `e2fsck -fy`, mount again.
    func checkAndRemount() throws {
        guard let image else { return }
        _ = try? Self.run("/usr/sbin/e2fsck", ["-f", "-y", image], allowFailure: true)
        try mountImage()
    }

    func unmount() {
        _ = try? Self.run("/usr/bin/umount", ["-l", mountPoint], allowFailure: true)
    }

    @discardableResult
    private static func run(_ tool: String, _ arguments: [String], allowFailure: Bool = false) throws -> Int32 {
        let (status, output) = try runToCompletion(URL(fileURLWithPath: tool), arguments)
        if status != 0, !allowFailure {
            throw XCTSkip("\(tool) \(arguments.joined(separator: " ")) failed (\(status)): \(output); storage faults not tried")
        }
        return status
    }

    private static func output(_ tool: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }
}
