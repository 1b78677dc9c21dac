import Foundation
import PostureCore
import PostureReplay
import PostureSim
import XCTest

// Shared machinery of the replay regression suite: where things are, simulated recordings
// generated once per test process, and a replay that produces exactly the lines
// `posturectl replay --json` prints, plus a decimated trace for behavioural checks.

/// Paths relative to the package root, found from this file's location.
enum SuitePaths {
    /// `…/Tests/PostureReplayTests`.
    static let testsDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    /// The package root (two levels above this folder).
    static let packageRoot = testsDirectory.deletingLastPathComponent().deletingLastPathComponent()
    /// The checked-in goldens.
    static let goldens = testsDirectory.appendingPathComponent("Goldens")
    /// The BROAD trials in the project's IMU CSV format (`../shared/data/broad`).
    static let broad = packageRoot.deletingLastPathComponent().appendingPathComponent("shared/data/broad")
        .standardizedFileURL

    /// Throws `XCTSkip` with a clear message when the BROAD folder is missing or empty.
    static func requireBroad() throws -> String {
        let path = broad.path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw XCTSkip("BROAD data not found at \(path): no such folder (the BROAD checks need ../shared/data/broad next to the package)")
        }
        guard !BroadEvaluation.trials(in: path).isEmpty else {
            throw XCTSkip("BROAD data not found at \(path): the folder holds no NAME.imu.csv trials")
        }
        return path
    }

    static let hapt = packageRoot.deletingLastPathComponent().appendingPathComponent("shared/data/hapt")
        .standardizedFileURL

    /// Throws `XCTSkip` with a clear message when the HAPT folder is missing or empty.
    static func requireHAPT() throws -> String {
        let path = hapt.path
        guard !HAPTEvaluation.recordings(in: path).isEmpty else {
            throw XCTSkip("HAPT data not found at \(path): no NAME.labels.csv recordings (the real-people checks need ../shared/data/hapt next to the package)")
        }
        return path
    }

    /// The built `posturectl`, next to the test bundle (the same build products folder), or nil.
    static func posturectl() -> URL? {
        var directories: [URL] = []
        if let executable = Bundle.main.executableURL { directories.append(executable.deletingLastPathComponent()) }
        directories.append(Bundle.main.bundleURL)
        directories.append(Bundle.main.bundleURL.deletingLastPathComponent())
        for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
            directories.append(bundle.bundleURL.deletingLastPathComponent())
        }
        if let argument = CommandLine.arguments.first {
            directories.append(URL(fileURLWithPath: argument).deletingLastPathComponent())
        }
        for directory in directories {
            let candidate = directory.appendingPathComponent("posturectl")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        return nil
    }

    static func requirePosturectl() throws -> URL {
        guard let url = posturectl() else {
            throw XCTSkip(
                "posturectl not found next to the test bundle (\(Bundle.main.bundlePath)); build it with the tests (swift build --build-tests)")
        }
        return url
    }
}

/// A simulated recording: a named scenario at a seed and rate, optionally pelvis only.
struct SimulatedSource: Hashable, Sendable, CustomStringConvertible {
    var scenario: String
    var seed: UInt64 = 1
    var rate: Double = 100
    var oneSensor = false

    /// The scenario name the simulator uses (`NAME-one-sensor` with `oneSensor`).
    var scenarioName: String {
        oneSensor && !scenario.hasSuffix("-one-sensor") ? scenario + "-one-sensor" : scenario
    }

    func makeScenario() throws -> Scenario {
        guard let s = Scenario.named(scenarioName, seed: seed) else {
            throw ReplayError("unknown scenario '\(scenarioName)'")
        }
        return s
    }

    var description: String { "\(scenarioName) seed \(seed) at \(jsonNumber(rate)) Hz" }
}

/// One process-wide scratch folder of generated recordings, removed at exit. A recording
/// is generated through `SimulatedRecording.write` (the CSV writer → reader path) the first
/// time a test asks for it and shared by the golden and the behavioural tests.
final class RecordingCache: @unchecked Sendable {
    static let shared = RecordingCache()

    let directory: URL
    private let lock = NSLock()
    private var files: [SimulatedSource: String] = [:]
    private var traces: [String: ReplayTrace] = [:]

    private init() {
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("postured-replay-suite-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        atexit {
            try? FileManager.default.removeItem(at: RecordingCache.shared.directory)
        }
    }

    /// The CSV of `source`, generating it on first use.
    func recording(_ source: SimulatedSource) throws -> String {
        lock.lock()
        defer { lock.unlock() }
        if let path = files[source] { return path }
        let scenario = try source.makeScenario()
        let path = directory.appendingPathComponent(
            "\(source.scenarioName)-seed\(source.seed)-\(jsonNumber(source.rate))Hz.csv"
        ).path
        let started = Date()
        try SimulatedRecording.write(
            scenario.makeWearer(), rate: source.rate, to: path,
            source: "simulated scenario \(scenario.name), seed \(source.seed)")
        print("[replay suite] generated \(source) (\(jsonNumber(scenario.duration)) s) in \(seconds(since: started))")
        files[source] = path
        return path
    }

    /// The replay of `path` with `windows`, run once per process and shared.
    func trace(path: String, windows: CalibrationWindows, decimateTo traceRate: Double = 10) throws -> ReplayTrace {
        let key = "\(path)|\(windows.stand)|\(windows.sit)|\(traceRate)"
        lock.lock()
        if let trace = traces[key] {
            lock.unlock()
            return trace
        }
        lock.unlock()
        let started = Date()
        let trace = try ReplayTrace.run(path: path, windows: windows, traceRate: traceRate)
        print("[replay suite] replayed \(URL(fileURLWithPath: path).lastPathComponent) in \(seconds(since: started))")
        lock.lock()
        traces[key] = trace
        lock.unlock()
        return trace
    }
}

func seconds(since start: Date) -> String { "\(jsonNumber(Date().timeIntervalSince(start), decimals: 2)) s" }

/// The `--stand` and `--sit` windows of a replay.
struct CalibrationWindows: Sendable, Equatable {
    var stand: TimeWindow
    var sit: TimeWindow

    static let scenarios = CalibrationWindows(
        stand: TimeWindow(start: 1, end: 11), sit: TimeWindow(start: 15, end: 25))

    init(stand: TimeWindow, sit: TimeWindow) {
        self.stand = stand
        self.sit = sit
    }

    init(stand: String, sit: String) throws {
        guard let a = TimeWindow(parsing: stand) else { throw ReplayError("bad stand window '\(stand)'") }
        guard let b = TimeWindow(parsing: sit) else { throw ReplayError("bad sit window '\(sit)'") }
        self.init(stand: a, sit: b)
    }
}

/// One engine tick, kept for behavioural checks.
struct TraceTick: Sendable {
    var t: Double
    var activity: Activity?
    var angles: SegmentAngles
}

/// What a replay produced: the `replay --json` lines, the events, and a decimated trace.
struct ReplayTrace: Sendable {
    /// Exactly the lines `posturectl replay FILE --stand … --sit … --json` prints.
    var jsonLines: [String]
    var activityChanges: [(t: Double, activity: Activity)]
    var nudges: [(t: Double, reason: NudgeReason)]
    var summary: DaySummary
    /// Every tick with `t` on the `traceRate` grid (plus the first tick).
    var ticks: [TraceTick]
    var calibration: Calibration

    /// Runs the replay library exactly as `ReplayCommand` does with `--json`.
    static func run(path: String, windows: CalibrationWindows, traceRate: Double = 10) throws -> ReplayTrace {
        let replay = Replay(inputPath: path, stand: windows.stand, sit: windows.sit)
        return try run(replay, calibration: try replay.calibrate(), traceRate: traceRate) {
            try replay.run(calibration: $0, observe: $1)
        }
    }

    /// The same replay over a simulated wearer's samples, in-process (no CSV).
    static func run(wearer: SimulatedWearer, rate: Double, windows: CalibrationWindows, traceRate: Double = 10) throws
        -> ReplayTrace
    {
        let replay = Replay(inputPath: "(in-process)", stand: windows.stand, sit: windows.sit)
        var first = wearer.makeSamples(rate: rate)
        let calibration = try replay.calibrate { first.next() }
        return try run(replay, calibration: calibration, traceRate: traceRate) { calibration, observe in
            var samples = wearer.makeSamples(rate: rate)
            return try replay.run(next: { samples.next() }, calibration: calibration, observe: observe)
        }
    }

    /// Collects the lines, events and decimated ticks of `engine`'s steps.
    private static func run(
        _ replay: Replay, calibration: Calibration, traceRate: Double,
        engine: (Calibration, (EngineStep) throws -> Void) throws -> DaySummary
    ) throws -> ReplayTrace {
        var lines: [String] = []
        var changes: [(t: Double, activity: Activity)] = []
        var nudges: [(t: Double, reason: NudgeReason)] = []
        var ticks: [TraceTick] = []
        var nextTraceT = -Double.infinity
        let summary = try engine(calibration) { step in
            ReplayOutput.eventLines(for: step, json: true) { lines.append($0) }
            if step.activityChanged, let activity = step.activity { changes.append((step.t, activity)) }
            if let reason = step.decision.nudge { nudges.append((step.t, reason)) }
            if step.t >= nextTraceT {
                ticks.append(TraceTick(t: step.t, activity: step.activity, angles: step.angles))
                nextTraceT = ((step.t * traceRate).rounded(.down) + 1) / traceRate
            }
        }
        lines.append(ReplayOutput.summaryJSON(summary))
        return ReplayTrace(
            jsonLines: lines, activityChanges: changes, nudges: nudges, summary: summary, ticks: ticks,
            calibration: calibration)
    }
}

/// Runs a program to completion, capturing its standard output and error.
struct ProcessResult {
    var status: Int32
    var stdout: String
    var stderr: String
}

func runProcess(_ executable: URL, _ arguments: [String]) throws -> ProcessResult {
    let scratch = try TemporaryDirectory()
    let outPath = scratch.path("stdout")
    let errPath = scratch.path("stderr")
    _ = FileManager.default.createFile(atPath: outPath, contents: nil)
    _ = FileManager.default.createFile(atPath: errPath, contents: nil)
    let out = try FileHandle(forWritingTo: URL(fileURLWithPath: outPath))
    let err = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    process.standardOutput = out
    process.standardError = err
    try process.run()
    process.waitUntilExit()
    try out.close()
    try err.close()
    return ProcessResult(
        status: process.terminationStatus,
        stdout: try String(contentsOfFile: outPath, encoding: .utf8),
        stderr: try String(contentsOfFile: errPath, encoding: .utf8))
}
