import Foundation
import PostureStore
import XCTest

#if canImport(Glibc)
import Glibc
#endif

/// `posturectl report --html/--svg/--week` on a day the real daemon recorded from a simulated
/// wearer, and on bad input: the day log itself as the output, a foreign file as the day log,
/// an output directory that does not exist. Nothing is ever written over the day log.
final class ReportPageCommandTests: XCTestCase {
    func testThePageTheChartAndTheWeekOfARecordedDayAndNothingWrittenOverTheLog() throws {
        let harness = try DaemonHarness()
        try harness.start(["--config", DaemonHarness.shippedConfig, "--simulate", "slouch", "--speed", "600"])
        XCTAssertEqual(harness.waitForExit(timeout: 120), 0, harness.log)
        let state = harness.stateDirectory
        let events = try DayLog.open(path: harness.dayLogPath, mode: .readOnly).events(from: 0, to: 1e12)
        let start = try XCTUnwrap(events.first { $0.kind == .daemonStart }?.time)
        let date = "\(LocalTimeZone.system.components(start).date)"

        let page = state + "/../day.html", chart = state + "/../day.svg"
        let made = try harness.posturectl(["report", "--state-dir", state, "--date", date, "--html", page, "--svg", chart])
        XCTAssertEqual(made.status, 0, made.output)
        let html = try String(contentsOfFile: page, encoding: .utf8)
        XCTAssertTrue(html.hasPrefix("<!DOCTYPE html>") && html.contains("<title>Posture on \(date)</title>"), String(html.prefix(300)))
        let svg = try String(contentsOfFile: chart, encoding: .utf8)
        XCTAssertTrue(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\"") && svg.contains("data-date=\"\(date)\""))
        let nudges = events.filter { $0.kind == .nudge }.count
        XCTAssertEqual(svg.components(separatedBy: "class=\"pc-nudge\"").count - 1, nudges, "a marker per nudge in the log")

        // The week's figures are the day report's.
        let week = try harness.posturectl(["report", "--week", "--json", "--state-dir", state, "--date", date])
        XCTAssertEqual(week.status, 0, week.output)
        let weekObject = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(week.output.utf8)) as? [String: Any])
        let days = try XCTUnwrap(weekObject["days"] as? [[String: Any]])
        XCTAssertEqual(days.count, 7)
        XCTAssertEqual(days.last?["date"] as? String, date)
        let report = try harness.posturectl(["report", "--json", "--state-dir", state, "--date", date])
        let reportObject = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(report.output.utf8)) as? [String: Any])
        XCTAssertEqual(days.last?["sitting_s"] as? Double, reportObject["sitting_s"] as? Double)
        let text = try harness.posturectl(["report", "--week", "--state-dir", state, "--date", date])
        XCTAssertTrue(text.output.hasPrefix("Week "), text.output)

        // The day log as the output: refused, by any spelling, and the log is as it was.
        let before = try Data(contentsOf: URL(fileURLWithPath: harness.dayLogPath))
        for target in [harness.dayLogPath, state + "/./daylog.sqlite3", harness.dayLogPath + "-wal"] {
            let refused = try harness.posturectl(["report", "--state-dir", state, "--date", date, "--html", target])
            XCTAssertEqual(refused.status, 1, refused.output)
            XCTAssertTrue(refused.output.contains("that is the day log"), refused.output)
        }
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: harness.dayLogPath)), before, "the day log was written over")
        XCTAssertEqual(try harness.posturectl(["report", "--state-dir", state, "--date", date]).status, 0)

        // A device is written as it is, never replaced by a file (as root, a rename over
        // /dev/null would have made it a plain file).
        let discarded = try harness.posturectl(["report", "--state-dir", state, "--date", date, "--svg", "/dev/null"])
        XCTAssertEqual(discarded.status, 0, discarded.output)
        var device = stat()
        XCTAssertEqual(stat("/dev/null", &device), 0)
        XCTAssertEqual(device.st_mode & S_IFMT, S_IFCHR, "/dev/null is no longer a device")
        let directory = try harness.posturectl(["report", "--state-dir", state, "--date", date, "--html", state])
        XCTAssertEqual(directory.status, 1, directory.output)
        XCTAssertTrue(directory.output.contains("is a directory"), directory.output)

        let nowhere = try harness.posturectl(["report", "--state-dir", state, "--date", date, "--svg", "/nonexistent-dir/x.svg"])
        XCTAssertEqual(nowhere.status, 1, nowhere.output)
        XCTAssertTrue(nowhere.output.contains("--svg '/nonexistent-dir/x.svg': cannot write"), nowhere.output)

        // A foreign file where the day log should be: a clear message, no page, the file untouched.
        let foreign = try TemporaryStateDirectory.make()
        let foreignLog = DayLog.filePath(inStateDirectory: foreign)
        try "not a day log\n".write(toFile: foreignLog, atomically: true, encoding: .utf8)
        let out = foreign + "/page.html"
        let rejected = try harness.posturectl(["report", "--state-dir", foreign, "--html", out])
        XCTAssertNotEqual(rejected.status, 0, rejected.output)
        XCTAssertTrue(rejected.output.contains(foreignLog), rejected.output)
        XCTAssertFalse(FileManager.default.fileExists(atPath: out), "no page from a foreign log")
        XCTAssertEqual(try String(contentsOfFile: foreignLog, encoding: .utf8), "not a day log\n")
    }
}

enum TemporaryStateDirectory {
    static func make() throws -> String {
        let path = NSTemporaryDirectory() + "postured-foreign-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}
