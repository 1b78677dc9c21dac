import Foundation
import PostureCore
import PostureReplay
import PostureSim
import XCTest

/// Golden replay tests in the style of gpsd's regression suite: each case in `Goldens/` is a
/// manifest (`CASE.json`: where the recording comes from and the calibration windows) and the
/// exact `posturectl replay --json` output expected from it (`CASE.jsonl`). The comparison is
/// byte for byte: the output is rounded and deterministic. See `Goldens/README.md`.
///
/// `POSTURED_REGENERATE_GOLDENS=1 swift test --filter GoldenReplayTests` (or
/// `scripts/regenerate-goldens`) rewrites the `.jsonl` files instead of comparing.
final class GoldenReplayTests: XCTestCase {
    // MARK: Cases (one method per golden, so a failure names its case)

    func testWorkday() throws { try checkGolden("workday") }
    func testCalibration() throws { try checkGolden("calibration") }
    func testSlouch() throws { try checkGolden("slouch") }
    func testSlouchAt50Hz() throws { try checkGolden("slouch-50hz") }
    func testWalk() throws { try checkGolden("walk") }
    func testLying() throws { try checkGolden("lying") }
    func testLeanForward() throws { try checkGolden("lean-forward") }
    func testFidget() throws { try checkGolden("fidget") }
    func testOneSensor() throws { try checkGolden("one-sensor") }
    // The BROAD trials hold one still pose (a sensor on a table, then rotated), so their two
    // windows are the same pose, which calibration now refuses (issue 9: identical poses
    // made upright sitting count as slouching). Their goldens wait for windows of two poses
    // at least 3° apart; until then they check the refusal.
    func testBroadSlowRotation() throws { try checkRefusedAsOnePose("broad-01-slow-rotation") }
    func testBroadFastRotationWithBreaks() throws { try checkRefusedAsOnePose("broad-09-fast-rotation-with-breaks") }
    func testBroadTapping() throws { try checkRefusedAsOnePose("broad-24-tapping") }

    private func checkRefusedAsOnePose(_ name: String) throws {
        let manifest = try GoldenManifest.load(name)
        let windows = try manifest.windows()
        let replay = Replay(inputPath: try manifest.recordingPath(), stand: windows.stand, sit: windows.sit)
        XCTAssertThrowsError(try replay.calibrate(), name) { error in
            XCTAssertTrue(
                String(describing: error).hasPrefix("--sit \(windows.sit): the two poses are only"), "\(name): \(error)")
        }
    }

    static let cases = [
        "workday", "calibration", "slouch", "slouch-50hz", "walk", "lying", "lean-forward", "fidget", "one-sensor",
        "broad-01-slow-rotation", "broad-09-fast-rotation-with-breaks", "broad-24-tapping",
    ]

    /// Every manifest has a test method above, and every named scenario has a golden.
    func testEveryManifestIsACaseAndEveryScenarioIsCovered() throws {
        let manifests = try FileManager.default.contentsOfDirectory(atPath: SuitePaths.goldens.path)
            .filter { $0.hasSuffix(".json") }
            .map { String($0.dropLast(".json".count)) }
        XCTAssertEqual(Set(manifests), Set(Self.cases), "Goldens/*.json and GoldenReplayTests.cases differ")
        let covered = try Self.cases.map { try GoldenManifest.load($0) }.compactMap(\.scenario)
        for name in Scenario.allNames {
            XCTAssertTrue(covered.contains(name), "scenario '\(name)' has no golden")
        }
    }

    /// The lines this suite produces in-process are the lines the real `posturectl replay --json`
    /// prints: runs the built tool on two simulated cases.
    func testPosturectlPrintsTheGoldenLines() throws {
        let tool = try SuitePaths.requirePosturectl()
        for name in ["slouch", "one-sensor"] {
            let manifest = try GoldenManifest.load(name)
            let input = try manifest.recordingPath()
            let result = try runProcess(
                tool, ["replay", input, "--stand", manifest.stand, "--sit", manifest.sit, "--json"])
            XCTAssertEqual(result.status, 0, "\(name): posturectl failed: \(result.stderr)")
            let trace = try RecordingCache.shared.trace(path: input, windows: try manifest.windows())
            XCTAssertEqual(
                result.stdout, trace.jsonLines.joined(separator: "\n") + "\n",
                "\(name): posturectl replay --json differs from the suite's in-process replay (ReplayTrace.run)")
        }
    }

    // MARK: Machinery

    static var regenerating: Bool { ProcessInfo.processInfo.environment["POSTURED_REGENERATE_GOLDENS"] == "1" }

    private func checkGolden(_ name: String) throws {
        let manifest = try GoldenManifest.load(name)
        let input = try manifest.recordingPath()
        let trace = try RecordingCache.shared.trace(path: input, windows: try manifest.windows())
        let actual = trace.jsonLines.joined(separator: "\n") + "\n"
        let goldenURL = manifest.goldenURL
        let actualURL = SuitePaths.goldens.appendingPathComponent("\(name).actual.jsonl")

        if Self.regenerating {
            try actual.write(to: goldenURL, atomically: true, encoding: .utf8)
            try? FileManager.default.removeItem(at: actualURL)
            print("[goldens] regenerated Goldens/\(name).jsonl (\(trace.jsonLines.count) lines)")
            return
        }
        guard let expected = try? String(contentsOf: goldenURL, encoding: .utf8) else {
            try actual.write(to: actualURL, atomically: true, encoding: .utf8)
            XCTFail("\(name): no golden at \(goldenURL.path); wrote the output to \(actualURL.lastPathComponent). Run scripts/regenerate-goldens to create it.")
            return
        }
        if expected == actual {
            try? FileManager.default.removeItem(at: actualURL)
            return
        }
        try actual.write(to: actualURL, atomically: true, encoding: .utf8)
        let want = expected.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let got = actual.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let first = (0..<min(want.count, got.count)).first { want[$0] != got[$0] } ?? min(want.count, got.count)
        func line(_ lines: [String], _ i: Int) -> String { i < lines.count ? lines[i] : "<end of output>" }
        XCTFail("""
            \(name): replay output differs from Goldens/\(name).jsonl at line \(first + 1) \
            (\(want.count - 1) lines expected, \(got.count - 1) produced)
              expected: \(line(want, first))
              actual:   \(line(got, first))
            The whole output is in \(actualURL.path). If the change is intended, read it against the \
            scenario and run scripts/regenerate-goldens.
            """)
    }
}

/// `Goldens/CASE.json`: either a simulated scenario or a BROAD trial, and the windows.
struct GoldenManifest: Decodable {
    var name: String = ""
    /// A named scenario (`Scenario.allNames`) …
    var scenario: String?
    var seed: UInt64?
    var rate: Double?
    var oneSensor: Bool?
    /// … or a BROAD trial, `NAME` of `NAME.imu.csv` in `../shared/data/broad`.
    var broad: String?
    /// `--stand A:B` and `--sit C:D`, seconds.
    var stand: String
    var sit: String

    enum CodingKeys: String, CodingKey {
        case scenario, seed, rate, oneSensor = "one_sensor", broad, stand, sit
    }

    static func load(_ name: String) throws -> GoldenManifest {
        let url = SuitePaths.goldens.appendingPathComponent("\(name).json")
        var manifest = try JSONDecoder().decode(GoldenManifest.self, from: Data(contentsOf: url))
        manifest.name = name
        guard (manifest.scenario == nil) != (manifest.broad == nil) else {
            throw ReplayError("\(url.path): give exactly one of \"scenario\" and \"broad\"")
        }
        return manifest
    }

    var goldenURL: URL { SuitePaths.goldens.appendingPathComponent("\(name).jsonl") }

    func windows() throws -> CalibrationWindows { try CalibrationWindows(stand: stand, sit: sit) }

    var simulatedSource: SimulatedSource? {
        scenario.map {
            SimulatedSource(scenario: $0, seed: seed ?? 1, rate: rate ?? 100, oneSensor: oneSensor ?? false)
        }
    }

    /// The recording to replay: generated for a scenario, or the BROAD trial (skips if absent).
    func recordingPath() throws -> String {
        if let source = simulatedSource { return try RecordingCache.shared.recording(source) }
        let directory = try SuitePaths.requireBroad()
        let path = directory + "/" + (broad ?? "") + ".imu.csv"
        guard FileManager.default.fileExists(atPath: path) else {
            throw XCTSkip("BROAD data not found at \(directory): no \(broad ?? "").imu.csv")
        }
        return path
    }
}
