import Foundation
import Glibc
@testable import PostureDaemon
import XCTest

final class SystemdNotifierTests: XCTestCase {
    /// A bound AF_UNIX datagram socket, like systemd's notify socket.
    final class Listener {
        let fd: Int32
        let path: String?

        init(path: String?, abstractName: String? = nil) throws {
            fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
            self.path = path
            var addr = sockaddr_un()
            addr.sun_family = sa_family_t(AF_UNIX)
            let bytes: [UInt8] = path.map { Array($0.utf8) + [0] } ?? ([0] + Array(abstractName!.utf8))
            withUnsafeMutableBytes(of: &addr.sun_path) { raw in for (i, b) in bytes.enumerated() { raw[i] = b } }
            let length = socklen_t(MemoryLayout<sockaddr_un>.offset(of: \sockaddr_un.sun_path)! + bytes.count - (path == nil ? 0 : 1))
            let rc = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
            guard rc == 0 else { throw NSError(domain: "bind", code: Int(errno)) }
            var timeout = timeval(tv_sec: 2, tv_usec: 0)
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        }

        deinit {
            close(fd)
            if let path { unlink(path) }
        }

        func receive() -> String? {
            var buffer = [UInt8](repeating: 0, count: 4096)
            let n = recv(fd, &buffer, buffer.count, 0)
            return n < 0 ? nil : String(decoding: buffer[..<n], as: UTF8.self)
        }
    }

    func testDatagramsReachAPathSocket() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("notify-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("notify").path
        let listener = try Listener(path: path)
        let notifier = try SystemdNotifier(environment: ["NOTIFY_SOCKET": path])
        XCTAssertTrue(notifier.isEnabled)

        try notifier.ready()
        XCTAssertEqual(listener.receive(), "READY=1")
        try notifier.watchdog()
        XCTAssertEqual(listener.receive(), "WATCHDOG=1")
        try notifier.status("sampling at 100 Hz\nsensor 1 lost")
        XCTAssertEqual(listener.receive(), "STATUS=sampling at 100 Hz sensor 1 lost")
        try notifier.reloading()
        let reloading = try XCTUnwrap(listener.receive())
        XCTAssertTrue(reloading.hasPrefix("RELOADING=1\nMONOTONIC_USEC="), reloading)
        let usec = Int64(reloading.split(separator: "=").last!)!
        XCTAssertEqual(Double(usec), Double(MonotonicClock.nowNanoseconds() / 1000), accuracy: 5e6)
        try notifier.stopping()
        XCTAssertEqual(listener.receive(), "STOPPING=1")
        try notifier.ready(status: "ok")
        XCTAssertEqual(listener.receive(), "READY=1\nSTATUS=ok")
    }

    func testAbstractNamespaceSocket() throws {
        let name = "postured-test-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let listener = try Listener(path: nil, abstractName: name)
        let notifier = try SystemdNotifier(socket: "@" + name)
        try notifier.watchdog()
        XCTAssertEqual(listener.receive(), "WATCHDOG=1")
    }

    func testWithoutNotifySocketEverythingIsANoOp() throws {
        let notifier = try SystemdNotifier(environment: [:])
        XCTAssertFalse(notifier.isEnabled)
        try notifier.ready()
        try notifier.watchdog()
        XCTAssertThrowsError(try SystemdNotifier(socket: "relative/path"))
    }

    func testSendToAMissingSocketFails() throws {
        let notifier = try SystemdNotifier(socket: "/nonexistent/notify")
        XCTAssertThrowsError(try notifier.watchdog()) { error in
            XCTAssertTrue("\(error)".contains("/nonexistent/notify"))
        }
    }

    func testWatchdogSettings() {
        let pid = getpid()
        let w = WatchdogSettings(environment: ["WATCHDOG_USEC": "20000000", "WATCHDOG_PID": "\(pid)"])
        XCTAssertEqual(w?.pingIntervalSeconds, 10)
        XCTAssertNil(WatchdogSettings(environment: ["WATCHDOG_USEC": "20000000", "WATCHDOG_PID": "\(pid + 1)"]))
        XCTAssertNil(WatchdogSettings(environment: [:]))
        XCTAssertNil(WatchdogSettings(environment: ["WATCHDOG_USEC": "0"]))
        XCTAssertNotNil(WatchdogSettings(environment: ["WATCHDOG_USEC": "5000000"]))
    }

    func testLoopHealthVerdicts() {
        let health = LoopHealth(maximumReportAgeSeconds: 1)
        XCTAssertEqual(health.evaluate(lastReport: nil), .noReport)
        var report = LoopReport(
            sequence: 0, t: 0, wokeAtNanoseconds: 1_000_000_000, latenessNanoseconds: 0, step: nil, isSlouching: false,
            samples: TickSamples(), sensors: SensorStatusPair(pelvis: SensorStatus(health: .ok)), overruns: 0,
            missedEdges: 0, stepCount: 0, localTimeOfDay: nil)
        XCTAssertEqual(health.evaluate(lastReport: report, nowNanoseconds: 1_500_000_000), .healthy)
        XCTAssertEqual(health.evaluate(lastReport: report, nowNanoseconds: 3_000_000_000), .stale(ageSeconds: 2))
        // A lost sensor is no reason for a restart (which cannot mend a cable): while the loop
        // reports, the daemon is alive, whatever the sensors do.
        report.sensors.pelvis.health = .faulted(.noAcknowledge)
        XCTAssertEqual(health.evaluate(lastReport: report, nowNanoseconds: 1_500_000_000), .healthy)
        XCTAssertEqual(LoopHealth(configuration: LoopConfiguration(rateHz: 100, pacing: .fifo, fifoWatermarkFrames: 50)).maximumReportAgeSeconds, 2.5)
    }
}
