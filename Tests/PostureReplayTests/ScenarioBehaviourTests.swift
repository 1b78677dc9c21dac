import Foundation
import PostureCore
import PostureReplay
import PostureSim
import XCTest

/// End-to-end behaviour of the engine on every named scenario, judged against the simulated
/// wearer's truth (`SimulatedWearer.truth(at:)`, `Scenario.expectedNudges`), independent of
/// the golden bytes. The recordings and replays are shared with `GoldenReplayTests` (same
/// manifest, generated once per process).
final class ScenarioBehaviourTests: XCTestCase {
    /// Slouch: the hold is in the expected time; detection may add ≤ 2 s.
    static let slouchLatency = 2.0
    /// sitting_too_long: ≤ 5 s after 30 min of bout time measured from the truth's sit-down.
    static let sittingTooLongLatency = 5.0
    /// A nudge may come at most this much before its expected time.
    static let earlyNudge = 1.0
    /// An activity change must be reported within this of the truth's.
    static let activityLatency = 5.0
    static let minimumActivityAgreement = 0.95
    /// Angles while sitting still (upright or slouched) vs the truth, degrees.
    static let angleMeanTolerance = 1.5
    static let angle95Tolerance = 3.0

    // MARK: Scenarios

    func testCalibration() throws { try ScenarioRun("calibration").checkBehaviour() }
    func testSlouch() throws { try ScenarioRun("slouch").checkBehaviour() }
    func testSlouchAt50Hz() throws { try ScenarioRun("slouch-50hz").checkBehaviour() }
    func testWalk() throws { try ScenarioRun("walk").checkBehaviour() }
    func testLying() throws { try ScenarioRun("lying").checkBehaviour() }
    /// Leaning forward to the desk from the hips is not slouching.
    func testLeanForwardIsNotSlouching() throws { try ScenarioRun("lean-forward").checkBehaviour() }
    /// Fidgeting is not slouching.
    func testFidgetIsNotSlouching() throws { try ScenarioRun("fidget").checkBehaviour() }
    /// With one sensor, lumbar flexion is not reported (null), never invented.
    func testOneSensor() throws { try ScenarioRun("one-sensor").checkBehaviour() }
    /// Three hours: three sitting bouts, six slouch and six sitting_too_long nudges.
    func testWorkday() throws { try ScenarioRun("workday").checkBehaviour() }

    /// `--angles` rows: an empty lumbar column with one sensor, a number with two.
    func testAnglesRowsHaveAnEmptyLumbarColumnWithOneSensor() throws {
        for (name, expectEmpty) in [("one-sensor", true), ("slouch", false)] {
            let manifest = try GoldenManifest.load(name)
            let input = try manifest.recordingPath()
            let scratch = try TemporaryDirectory()
            let anglesPath = scratch.path("angles.csv")
            let replay = Replay(inputPath: input, stand: try manifest.windows().stand, sit: try manifest.windows().sit)
            let out = try BufferedWriter(path: anglesPath)
            try out.write("t,pelvic_tilt,pelvic_obliquity,lumbar_flexion,activity\n")
            _ = try replay.run(calibration: try replay.calibrate()) { step in
                try ReplayOutput.writeAnglesRow(step, to: out)
            }
            try out.flush()
            let rows = try String(contentsOfFile: anglesPath, encoding: .utf8).split(separator: "\n")
            XCTAssertEqual(rows.first, "t,pelvic_tilt,pelvic_obliquity,lumbar_flexion,activity")
            let body = rows.dropFirst()
            // One row per pelvis sample: rate × duration.
            let source = try XCTUnwrap(manifest.simulatedSource)
            XCTAssertEqual(body.count, Int((source.rate * (try source.makeScenario().duration)).rounded()), name)
            var bad = 0
            // With two sensors, the very first pelvis tick comes before sensor 1's first sample
            // (same t, pelvis first): nothing to report yet, so that row is judged as absent.
            for (i, row) in body.enumerated() where expectEmpty || i > 0 {
                let fields = row.split(separator: ",", omittingEmptySubsequences: false)
                if fields.count != 5 || fields[3].isEmpty != expectEmpty { bad += 1 }
            }
            XCTAssertEqual(
                bad, 0,
                "\(name): \(bad) of \(body.count) --angles rows do not have 5 fields with \(expectEmpty ? "an empty" : "a") lumbar_flexion; first row: \(body.first ?? "")")
        }
    }

    /// Every scenario has a behaviour test here.
    func testEveryScenarioHasABehaviourTest() {
        let tested: Set = ["calibration", "slouch", "walk", "lying", "lean-forward", "fidget", "one-sensor", "workday"]
        XCTAssertEqual(Set(Scenario.allNames), tested)
    }
}
