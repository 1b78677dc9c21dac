import Foundation
import PostureCore
import PostureReplay
import PostureSim
import XCTest

/// Bad input through the CLI path: the replay library (`Replay.calibrate`/`run`, what
/// `posturectl replay` calls) must throw a clear error naming the line, column or window,
/// and the built `posturectl` must print it and exit non-zero.
final class ReplayErrorTests: XCTestCase {
    private let header = "# postured imu csv v1\nt,sensor,ax,ay,az,gx,gy,gz\n"

    /// A still recording of `seconds` at 50 Hz, both sensors, upright (default mounting:
    /// sensor x up), with `rowAt` replacing the pelvis row of one tick. From 5.5 s the
    /// pelvis is tilted back 18° (sitting), so that the default windows 1:5 and 6:10 make a
    /// calibration.
    private func stillRecording(seconds: Double = 30, rate: Double = 50, sensors: Int = 2, replacing: [Int: String] = [:]) -> String {
        var text = header
        let n = Int(seconds * rate)
        for i in 0..<n {
            let t = String(format: "%.6f", Double(i) / rate)
            let pelvis = Double(i) / rate < 5.5 ? "9.81,0.01,-0.02" : "9.330,0.01,3.031"
            text += replacing[i] ?? "\(t),0,\(pelvis),0.001,-0.001,0.000\n"
            if sensors > 1 { text += "\(t),1,9.80,0.02,0.05,0.000,0.001,0.001\n" }
        }
        return text
    }

    /// The 1-based file line of tick `i`'s pelvis row in `stillRecording` (2 header lines).
    private func lineOfTick(_ i: Int, sensors: Int = 2) -> Int { 3 + i * sensors }

    /// The error the library throws replaying `path` (calibration, then the run).
    private func replayError(
        _ path: String, stand: String = "1:5", sit: String = "6:10", file: StaticString = #filePath, line: UInt = #line
    ) -> (any Error)? {
        do {
            let replay = Replay(inputPath: path, stand: TimeWindow(parsing: stand)!, sit: TimeWindow(parsing: sit)!)
            let calibration = try replay.calibrate()
            _ = try replay.run(calibration: calibration) { _ in }
            XCTFail("replaying \(path) with --stand \(stand) --sit \(sit) succeeded; expected an error", file: file, line: line)
            return nil
        } catch {
            return error
        }
    }

    /// Runs the built posturectl; asserts a non-zero exit and that the error contains
    /// `fragments`: on stderr, or under `--json` in the one JSON error line on stdout.
    private func assertCLIFails(
        _ arguments: [String], mentioning fragments: [String], file: StaticString = #filePath, line: UInt = #line
    ) throws {
        let tool = try SuitePaths.requirePosturectl()
        let result = try runProcess(tool, arguments)
        XCTAssertNotEqual(result.status, 0, "posturectl \(arguments.joined(separator: " ")) exited 0", file: file, line: line)
        let json = arguments.contains("--json")
        let lastLine = result.stdout.split(separator: "\n").last.map(String.init) ?? ""
        if json {
            XCTAssertTrue(lastLine.hasPrefix(#"{"ok":false,"error":{"code":"#), "an error under --json is JSON on stdout: \(result.stdout)", file: file, line: line)
        }
        let error = json ? lastLine : result.stderr
        for fragment in fragments {
            XCTAssertTrue(
                error.contains(fragment),
                "posturectl \(arguments.joined(separator: " ")): the error does not mention '\(fragment)': \(error)",
                file: file, line: line)
        }
        XCTAssertFalse(result.stdout.contains("\"type\":\"summary\""), "a failed replay printed a summary", file: file, line: line)
    }

    // MARK: Malformed rows

    func testMalformedRowNamesLineAndColumn() throws {
        let dir = try TemporaryDirectory()
        // Tick 400 (t = 8 s, inside the sitting window) has a non-number in 'az'.
        let path = try dir.file("bad.csv", stillRecording(replacing: [400: "8.000000,0,9.81,0.01,x9.8,0,0,0\n"]))
        let error = try XCTUnwrap(replayError(path) as? IMUCSVError)
        XCTAssertEqual(error.line, lineOfTick(400))
        XCTAssertEqual(error.column, "az")
        XCTAssertTrue(error.description.contains("bad.csv:\(lineOfTick(400)): column 'az'"), error.description)
        try assertCLIFails(
            ["replay", path, "--stand", "1:5", "--sit", "6:10", "--json"],
            mentioning: ["bad.csv:\(lineOfTick(400))", "column 'az'", "'x9.8'"])
    }

    func testMalformedRowAfterTheCalibrationWindowsIsStillAnError() throws {
        // Calibration reads only up to the windows; the run must still reject a later bad row.
        let dir = try TemporaryDirectory()
        let path = try dir.file("late.csv", stillRecording(replacing: [1400: "28.000000,0,9.81,0.01\n"]))
        let error = try XCTUnwrap(replayError(path) as? IMUCSVError)
        XCTAssertEqual(error.line, lineOfTick(1400))
        XCTAssertEqual(error.column, "az")
        try assertCLIFails(["replay", path, "--stand", "1:5", "--sit", "6:10", "--json"], mentioning: [":\(lineOfTick(1400)): column 'az'"])
    }

    func testNonIncreasingTimeNamesLineAndColumn() throws {
        let dir = try TemporaryDirectory()
        // Tick 700's pelvis row repeats t = 13.98 (tick 699).
        let path = try dir.file("time.csv", stillRecording(replacing: [700: "13.980000,0,9.81,0.01,-0.02,0,0,0\n"]))
        let error = try XCTUnwrap(replayError(path) as? IMUCSVError)
        XCTAssertEqual(error.line, lineOfTick(700))
        XCTAssertEqual(error.column, "t")
        XCTAssertTrue(error.message.contains("does not increase"), error.message)
        try assertCLIFails(
            ["replay", path, "--stand", "1:5", "--sit", "6:10"], mentioning: [":\(lineOfTick(700)): column 't'", "does not increase"])
    }

    func testNaNAndInfinityAreErrors() throws {
        let dir = try TemporaryDirectory()
        for (bad, column) in [("nan", "gx"), ("inf", "ay"), ("-Infinity", "t")] {
            var row = ["3.000000", "0", "9.81", "0.01", "-0.02", "0.001", "0", "0"]
            row[IMUCSVReader.columns.firstIndex(of: column)!] = bad
            let path = try dir.file("nonfinite-\(column).csv", stillRecording(replacing: [150: row.joined(separator: ",") + "\n"]))
            let error = try XCTUnwrap(replayError(path) as? IMUCSVError, bad)
            XCTAssertEqual(error.line, lineOfTick(150), bad)
            XCTAssertEqual(error.column, column, bad)
            XCTAssertTrue(error.message.contains("not a finite number"), error.message)
            try assertCLIFails(
                ["replay", path, "--stand", "1:5", "--sit", "6:10", "--json"],
                mentioning: [":\(lineOfTick(150)): column '\(column)'", "'\(bad)'"])
        }
    }

    func testUnknownSensorIndexIsAnError() throws {
        let dir = try TemporaryDirectory()
        for sensor in ["2", "-1", "x", "10"] {
            let path = try dir.file(
                "sensor.csv", stillRecording(replacing: [250: "5.000000,\(sensor),9.81,0.01,-0.02,0,0,0\n"]))
            let error = try XCTUnwrap(replayError(path) as? IMUCSVError, sensor)
            XCTAssertEqual(error.line, lineOfTick(250), sensor)
            XCTAssertEqual(error.column, "sensor", sensor)
            XCTAssertTrue(error.message.contains("unknown sensor index '\(sensor)'"), error.message)
            try assertCLIFails(
                ["replay", path, "--stand", "1:5", "--sit", "6:10", "--json"],
                mentioning: [":\(lineOfTick(250)): column 'sensor'", "unknown sensor index '\(sensor)'"])
        }
    }

    // MARK: Calibration windows

    func testCalibrationWindowWithNoSamplesNamesTheWindow() throws {
        let path = try RecordingCache.shared.recording(SimulatedSource(scenario: "slouch"))
        let error = try XCTUnwrap(replayError(path, stand: "500:510", sit: "15:25") as? ReplayError)
        XCTAssertTrue(error.description.hasPrefix("--stand 500:510: "), error.description)
        XCTAssertTrue(error.description.contains("no samples"), error.description)
        try assertCLIFails(
            ["replay", path, "--stand", "500:510", "--sit", "15:25", "--json"], mentioning: ["--stand 500:510", "no samples"])

        let sitError = try XCTUnwrap(replayError(path, stand: "1:11", sit: "179.995:179.999") as? ReplayError)
        XCTAssertTrue(sitError.description.hasPrefix("--sit 179.995:179.999: "), sitError.description)
    }

    func testCalibrationWindowWhereTheWearerMovedNamesTheWindowAndTheMotion() throws {
        // walk: walking 50.75–170.75 s.
        let path = try RecordingCache.shared.recording(SimulatedSource(scenario: "walk"))
        let error = try XCTUnwrap(replayError(path, stand: "1:11", sit: "60:80") as? ReplayError)
        XCTAssertTrue(error.description.hasPrefix("--sit 60:80: "), error.description)
        XCTAssertTrue(error.description.contains("moved"), error.description)
        // The measured motion and its limit, with a unit.
        XCTAssertNotNil(
            error.description.range(of: #"(gyro RMS|accelerometer std) [0-9.]+ (rad/s|m/s²), at most [0-9.]+ allowed"#, options: .regularExpression),
            error.description)
        try assertCLIFails(["replay", path, "--stand", "1:11", "--sit", "60:80", "--json"], mentioning: ["--sit 60:80", "moved"])

        let standError = try XCTUnwrap(replayError(path, stand: "100:110", sit: "15:25") as? ReplayError)
        XCTAssertTrue(standError.description.hasPrefix("--stand 100:110: "), standError.description)
        XCTAssertTrue(standError.description.contains("moved"), standError.description)
    }

    func testWindowPastTheEndOfTheRecordingNamesTheWindow() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.file("short.csv", stillRecording(seconds: 12))
        let error = try XCTUnwrap(replayError(path, stand: "1:5", sit: "40:50") as? ReplayError)
        XCTAssertTrue(error.description.hasPrefix("--sit 40:50: "), error.description)
        XCTAssertTrue(error.description.contains("starts after the recording ends (last sample at 11.98 s)"), error.description)
        try assertCLIFails(
            ["replay", path, "--stand", "1:5", "--sit", "40:50", "--json"], mentioning: ["--sit 40:50", "after the recording ends"])
    }

    func testWindowShorterThanTheStillStretchNamesTheWindow() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.file("still.csv", stillRecording())
        let error = try XCTUnwrap(replayError(path, stand: "1:3", sit: "6:10") as? ReplayError)
        XCTAssertTrue(error.description.hasPrefix("--stand 1:3: standing pose: the window is 2.0 s long"), error.description)
        XCTAssertTrue(error.description.contains("at least 3.0 s"), error.description)
        try assertCLIFails(["replay", path, "--stand", "1:3", "--sit", "6:10"], mentioning: ["--stand 1:3", "2.0 s long"])
        // Exactly the minimum is enough.
        XCTAssertNoThrow(try Replay(inputPath: path, stand: TimeWindow(start: 1, end: 4), sit: TimeWindow(start: 6, end: 9)).calibrate())
    }

    func testEqualWindowsAreRefusedByTheSeparationRule() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.file("still.csv", stillRecording())
        let error = try XCTUnwrap(replayError(path, stand: "6:10", sit: "6:10") as? ReplayError)
        XCTAssertTrue(error.description.hasPrefix("--sit 6:10: the two poses are only 0.0° apart"), error.description)
        XCTAssertTrue(error.description.contains("sit back into your usual upright sitting posture"), error.description)
        // The command refuses overlapping windows before reading a sample (the library's rule
        // above still holds for any caller that gives it equal windows).
        try assertCLIFails(["replay", path, "--stand", "6:10", "--sit", "6:10", "--json"], mentioning: ["--sit 6:10", "overlap"])
        try assertCLIFails(["replay", path, "--stand", "1:8", "--sit", "6:10"], mentioning: ["--stand 1:8 and --sit 6:10 overlap"])
        try assertCLIFails(["replay", path, "--stand", "-5:0", "--sit", "6:10"], mentioning: ["--stand '-5:0': a window starts at 0 s or later"])
    }

    func testReplayReportsTheStillStretchUsed() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.file("still.csv", stillRecording())
        let result = try runProcess(try SuitePaths.requirePosturectl(), ["replay", path, "--stand", "1:5", "--sit", "6:10", "--json"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stderr.contains("--stand 1:5: standing pose held still 4.0 s of the 4.0 s window"), result.stderr)
        XCTAssertTrue(result.stderr.contains("stand-to-sit 18.1°"), result.stderr)
        XCTAssertTrue(result.stdout.hasPrefix("{"), "stdout stays JSON lines: \(result.stdout.prefix(200))")
    }

    func testMalformedWindowIsAnError() throws {
        let path = try RecordingCache.shared.recording(SimulatedSource(scenario: "calibration"))
        for window in ["11:1", "1-11", "a:b", "1:inf"] {
            try assertCLIFails(["replay", path, "--stand", window, "--sit", "15:25"], mentioning: ["--stand '\(window)'"])
        }
    }

    // MARK: Missing sensor 1 is not an error

    func testMissingSensorOneIsNotAnError() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.file("pelvis-only.csv", stillRecording(sensors: 1))
        let replay = Replay(inputPath: path, stand: TimeWindow(start: 1, end: 5), sit: TimeWindow(start: 6, end: 10))
        let calibration = try replay.calibrate()
        XCTAssertNil(calibration.upperLumbar)
        let summary = try replay.run(calibration: calibration) { step in
            XCTAssertNil(step.angles.lumbarFlexion)
        }
        XCTAssertNil(summary.lumbarFlexion)

        let tool = try SuitePaths.requirePosturectl()
        let anglesPath = dir.path("angles.csv")
        let result = try runProcess(tool, ["replay", path, "--stand", "1:5", "--sit", "6:10", "--json", "--angles", anglesPath])
        XCTAssertEqual(result.status, 0, result.stderr)
        let summaryLine = try XCTUnwrap(result.stdout.split(separator: "\n").last)
        XCTAssertTrue(summaryLine.hasPrefix("{\"type\":\"summary\""), String(summaryLine))
        XCTAssertTrue(summaryLine.contains("\"lumbar_flexion\":null"), String(summaryLine))
        XCTAssertFalse(summaryLine.contains("\"pelvic_tilt\":null"), String(summaryLine))
        let rows = try String(contentsOfFile: anglesPath, encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(rows.first, "t,pelvic_tilt,pelvic_obliquity,lumbar_flexion,activity")
        XCTAssertEqual(rows.count, 1 + 30 * 50)
        for row in rows.dropFirst() {
            let fields = row.split(separator: ",", omittingEmptySubsequences: false)
            XCTAssertEqual(fields.count, 5, String(row))
            XCTAssertEqual(fields[3], "", "lumbar_flexion must be empty without sensor 1: \(row)")
        }
    }

    /// Sensor 1 in one window only is an error naming the window it is missing from.
    func testSensorOneInOnlyOneWindowNamesTheWindow() throws {
        let dir = try TemporaryDirectory()
        var text = header
        for i in 0..<1500 {
            let t = Double(i) / 50
            text += String(format: t < 5.5 ? "%.6f,0,9.81,0.01,-0.02,0.001,-0.001,0.000\n" : "%.6f,0,9.330,0.01,3.031,0,0,0\n", t)
            if t >= 5.5 { text += String(format: "%.6f,1,9.80,0.02,0.05,0.000,0.001,0.001\n", t) }
        }
        let path = try dir.file("late-lumbar.csv", text)
        let error = try XCTUnwrap(replayError(path) as? ReplayError)
        XCTAssertTrue(error.description.hasPrefix("--stand 1:5: "), error.description)
        XCTAssertTrue(error.description.contains("sensor 1"), error.description)
    }
}
