import Foundation
import PostureConfig
@testable import PostureDaemon
import PostureStore
import XCTest

#if canImport(Glibc)
import Glibc
#endif

/// Issue 14, "many wearers": `[metrics] textfile_directory` through the real programs. The
/// daemon on a simulated day writes `postured.prom`; Debian's `prometheus-node-exporter`
/// serves it on a loopback port; its `/metrics` carries the day log's own figures and passes
/// `promtool check metrics`. A directory that is missing or read-only stops the daemon at
/// start (exit 78, naming the key); one that goes away while it runs is told once and
/// nudging goes on.
final class MetricsTextfileTests: XCTestCase {
    static let nodeExporter = "/usr/bin/prometheus-node-exporter"
    static let promtool = "/usr/bin/promtool"
    /// The workday scenario (3 h, 12 nudges of both reasons) at this speed lasts 36 s.
    static let speed = 300
    private let startupTimeout: TimeInterval = 20
    private var mounted: [String] = []

    override func tearDown() {
        for path in mounted { _ = try? Self.run("/bin/umount", [path]) }
        mounted = []
        super.tearDown()
    }

    /// The shipped configuration with the textfile directory set.
    private func configuration(in harness: DaemonHarness, textfileDirectory: String) throws -> String {
        let shipped = try String(contentsOfFile: DaemonHarness.shippedConfig, encoding: .utf8)
        XCTAssertTrue(shipped.contains("textfile_directory = \"\"\n"), "the shipped config documents [metrics] textfile_directory")
        let path = harness.directory.appendingPathComponent("postured.toml").path
        try shipped.replacingOccurrences(of: "textfile_directory = \"\"\n", with: "textfile_directory = \"\(textfileDirectory)\"\n")
            .write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    private func makeDirectory(_ harness: DaemonHarness, _ name: String) throws -> String {
        let path = harness.directory.appendingPathComponent(name).path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    // MARK: Bad directories at start

    func testAReadOnlyDirectoryIsRefusedAtStartNamingTheKey() throws {
        let harness = try DaemonHarness()
        let directory = try makeDirectory(harness, "read-only")
        if geteuid() == 0 {
            // Root writes through any mode bits: a read-only mount is what stops it, as
            // ProtectSystem=strict does for a path missing from ReadWritePaths=.
            let mount = try Self.run("/bin/mount", ["-t", "tmpfs", "-o", "ro,size=64k", "postured-test", directory])
            guard mount.status == 0 else { throw XCTSkip("cannot mount a read-only tmpfs: \(mount.output)") }
            mounted.append(directory)
        } else {
            XCTAssertEqual(chmod(directory, 0o555), 0)
        }
        let path = try configuration(in: harness, textfileDirectory: directory)

        var report = ""
        XCTAssertEqual(CheckConfig.run(path: path) { report += $0 }, ExitStatus.config, report)
        XCTAssertTrue(report.contains("\(path):"), report)
        XCTAssertTrue(report.contains(": metrics.textfile_directory: \"\(directory)\" is not writable by the daemon: "), report)

        try harness.start(["--config", path, "--simulate", "workday", "--speed", "\(Self.speed)"])
        XCTAssertEqual(harness.waitForExit(timeout: startupTimeout), ExitStatus.config, harness.log)
        XCTAssertTrue(harness.log.contains("metrics.textfile_directory"), harness.log)
        XCTAssertFalse(FileManager.default.fileExists(atPath: harness.dayLogPath), "refused before the day log")
        if geteuid() != 0 { chmod(directory, 0o755) }
    }

    // MARK: A fault while running

    /// The slouch scenario (180 s, its one nudge at about 90 s) at 10x: the directory goes
    /// when the first minute is written (60 s), so the nudge comes after; the fault is told
    /// with the next minute (120 s), the directory comes back, the file is written at the stop.
    func testADirectoryRemovedWhileRunningIsToldOnceAndNudgingGoesOn() throws {
        let harness = try DaemonHarness()
        let directory = try makeDirectory(harness, "textfile")
        let file = directory + "/postured.prom"
        try harness.start(["--config", try configuration(in: harness, textfileDirectory: directory),
                           "--simulate", "slouch", "--speed", "10"])
        XCTAssertTrue(waitUntil(timeout: startupTimeout) { FileManager.default.fileExists(atPath: file) },
                      "no \(file) after \(startupTimeout) s; log:\n\(harness.log)")
        try FileManager.default.removeItem(atPath: directory)
        let nudgesBefore = harness.log.components(separatedBy: "NUDGE ").count - 1

        XCTAssertTrue(waitUntil(timeout: 30) { harness.log.contains("cannot write the metrics file") }, harness.log)
        let status = try harness.posturectl(["status", "--json", "--socket", harness.socketPath])
        XCTAssertEqual(status.status, 0, status.output)
        XCTAssertTrue(status.output.contains("\"metrics\":{\"error\":"), "status shows the fault: \(status.output)")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: false)

        XCTAssertEqual(harness.waitForExit(timeout: 300), 0, harness.log)
        let log = harness.log
        XCTAssertTrue(log.contains("the metrics file is written again"), log)
        XCTAssertTrue(FileManager.default.fileExists(atPath: file), "written at the stop")
        XCTAssertEqual(log.components(separatedBy: "cannot write the metrics file").count - 1, 1, "told once:\n\(log)")
        let nudges = log.components(separatedBy: "NUDGE ").count - 1
        XCTAssertEqual(nudgesBefore, 0, "the directory went before the nudge:\n\(log)")
        XCTAssertEqual(nudges, 1, "the slouch nudge, the metrics fault notwithstanding:\n\(log)")
        let stored = try DayLog.open(path: harness.dayLogPath, mode: .readOnly).events(from: 0, to: 1e12)
        XCTAssertEqual(stored.filter { $0.kind == .nudge }.count, 1)
        print("metrics fault: directory removed before the nudge, told once, nudge given, written again when back")
    }

    /// Metrics turned off by a reload: the file goes, so node_exporter does not go on serving
    /// the last minute's figures as current.
    func testTurningMetricsOffByAReloadRemovesTheFile() throws {
        let harness = try DaemonHarness()
        let directory = try makeDirectory(harness, "textfile")
        let file = directory + "/postured.prom"
        let config = try configuration(in: harness, textfileDirectory: directory)
        try harness.start(["--config", config, "--simulate", "slouch", "--speed", "10"])
        XCTAssertTrue(waitUntil(timeout: startupTimeout) { FileManager.default.fileExists(atPath: file) },
                      "no \(file) after \(startupTimeout) s; log:\n\(harness.log)")
        try FileManager.default.removeItem(atPath: config)
        try FileManager.default.copyItem(atPath: DaemonHarness.shippedConfig, toPath: config)
        let reload = try harness.posturectl(["reload", "--socket", harness.socketPath])
        XCTAssertEqual(reload.status, 0, reload.output)
        XCTAssertTrue(reload.output.contains("metrics"), reload.output)
        XCTAssertFalse(FileManager.default.fileExists(atPath: file), "the file of a turned-off exporter stays behind")
        harness.signal(SIGTERM)
        XCTAssertEqual(harness.waitForExit(timeout: 10), 0, harness.log)
        XCTAssertFalse(FileManager.default.fileExists(atPath: file), "written again after metrics were turned off")
    }

    // MARK: node_exporter and promtool

    func testNodeExporterServesTheDayLogsFiguresAndPromtoolAcceptsThem() throws {
        for tool in [Self.nodeExporter, Self.promtool] where !FileManager.default.isExecutableFile(atPath: tool) {
            throw XCTSkip("\(tool) not installed (apt-get install prometheus-node-exporter prometheus; .ci/run does)")
        }
        let harness = try DaemonHarness()
        let directory = try makeDirectory(harness, "textfile")
        try harness.start(["--config", try configuration(in: harness, textfileDirectory: directory),
                           "--simulate", "workday", "--speed", "\(Self.speed)"])
        // Up to several minutes on a busy two-core machine (36 s when it keeps pace).
        XCTAssertEqual(harness.waitForExit(timeout: 400), 0, harness.log)

        // The day as `posturectl report` computes it.
        let dayLog = try DayLog.open(path: harness.dayLogPath, mode: .readOnly)
        let start = try XCTUnwrap(try dayLog.events(from: 0, to: 1e12).first { $0.kind == .daemonStart }?.time)
        let day = try dayLog.report(for: LocalTimeZone.system.components(start).date)

        let port = try Self.freeLoopbackPort()
        let exporter = Process()
        exporter.executableURL = URL(fileURLWithPath: Self.nodeExporter)
        exporter.arguments = [
            "--web.listen-address=127.0.0.1:\(port)", "--collector.disable-defaults", "--collector.textfile",
            "--collector.textfile.directory=\(directory)",
        ]
        let exporterOutput = Pipe()
        exporter.standardOutput = exporterOutput
        exporter.standardError = exporterOutput
        try exporter.run()
        defer { if exporter.isRunning { exporter.terminate(); exporter.waitUntilExit() } }

        var body: String?
        _ = waitUntil(timeout: 10) {
            body = try? Self.httpGet(port: port, path: "/metrics")
            return body != nil
        }
        let metrics = try XCTUnwrap(body, "node_exporter never answered on 127.0.0.1:\(port)")
        let values = PrometheusTextTests.samples(of: metrics)
        XCTAssertEqual(values["node_textfile_scrape_error"], 0, "node_exporter could not read postured.prom:\n\(metrics)")

        let summary = day.summary
        let expected: [(String, Double)] = [
            ("postured_day_sitting_seconds", summary.sittingSeconds),
            ("postured_day_slouched_seconds", summary.slouchSeconds),
            ("postured_day_standing_seconds", summary.standingSeconds),
            ("postured_day_walking_seconds", summary.walkingSeconds),
            ("postured_day_lying_seconds", summary.lyingSeconds),
            ("postured_day_nudges{reason=\"slouch\"}", Double(summary.nudges.slouch)),
            ("postured_day_nudges{reason=\"sitting_too_long\"}", Double(summary.nudges.sittingTooLong)),
            ("postured_day_longest_sitting_bout_seconds", summary.longestSittingBoutSeconds),
            ("postured_day_overruns", Double(day.quality.overruns)),
            ("postured_day_sensor_fault_samples", Double(day.quality.sensorFaults)),
            ("postured_day_sample_ratio", day.quality.sampleRatio ?? .nan),
            ("postured_day_gap_seconds", day.gapSeconds),
        ]
        for (name, value) in expected {
            let served = try XCTUnwrap(values[name], "\(name) not served:\n\(metrics)")
            XCTAssertEqual(served, value, accuracy: max(1e-9, abs(value) * 1e-12), name)
        }
        XCTAssertEqual(summary.nudges.total, 12, "the workday's nudges")
        XCTAssertGreaterThan(summary.sittingSeconds, 7000)
        XCTAssertNotNil(values["postured_loop_overruns_total"])
        XCTAssertNotNil(values["postured_supervisor_longest_stall_seconds"])
        XCTAssertNotNil(values["postured_loop_lateness_p99_seconds"], "the loop's lateness over the last minute")

        let check = try Self.run(Self.promtool, ["check", "metrics"], input: metrics)
        XCTAssertEqual(check.status, 0, "promtool check metrics:\n\(check.output)")
        XCTAssertFalse(check.output.lowercased().contains("error"), check.output)
        print("node_exporter served \(values.keys.filter { $0.hasPrefix("postured_") }.count) postured samples; "
            + "sitting \(summary.sittingSeconds) s, slouched \(summary.slouchSeconds) s, nudges \(summary.nudges.total), "
            + "as the day log says; promtool check metrics: exit \(check.status)")
    }

    // MARK: Helpers

    private func waitUntil(timeout: TimeInterval, _ condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while !condition() {
            if Date() >= deadline { return false }
            usleep(50_000)
        }
        return true
    }

    static func run(_ tool: String, _ arguments: [String], input: String? = nil) throws -> (status: Int32, output: String) {
        try runToCompletion(URL(fileURLWithPath: tool), arguments, input: input)
    }

    /// A port the kernel just handed out on 127.0.0.1 (bound, read, released).
    static func freeLoopbackPort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw XCTSkip("no socket: errno \(errno)") }
        defer { close(fd) }
        var address = loopback(port: 0)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound else { throw XCTSkip("cannot bind 127.0.0.1:0: errno \(errno)") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    private static func loopback(port: UInt16) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = UInt32(0x7f00_0001).bigEndian
        return address
    }

    /// A plain HTTP/1.0 GET on 127.0.0.1: the body of a 200 answer, nil otherwise.
    static func httpGet(port: Int, path: String) throws -> String? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = loopback(port: UInt16(port))
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
        guard connected else { return nil }
        let request = Array("GET \(path) HTTP/1.0\r\nHost: 127.0.0.1:\(port)\r\n\r\n".utf8)
        guard request.withUnsafeBytes({ send(fd, $0.baseAddress, $0.count, 0) }) == request.count else { return nil }
        var response: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { break }
            response += chunk[0..<n]
        }
        let text = String(decoding: response, as: UTF8.self)
        guard text.hasPrefix("HTTP/1.") && text.split(separator: "\r\n").first?.contains(" 200 ") == true,
              let split = text.range(of: "\r\n\r\n") else { return nil }
        return String(text[split.upperBound...])
    }
}
