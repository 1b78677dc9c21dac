import Dispatch
import Foundation
import PostureCore
import PostureReplay
import PostureSim
import Synchronization
import XCTest

/// Every named scenario over 20 seeds, each with its own drawn sensors: the four chip
/// families in turn, the first 8 draws (two per family) at the datasheet limits, the rest
/// uniform within the tolerances. The engine runs in-process on the sample stream and must
/// do for each draw what `ScenarioBehaviourTests` demands of the golden seed.
final class ScenarioDrawTests: XCTestCase {
    /// One simulated wearer: a seed with its sensors.
    struct Draw: Sendable, CustomStringConvertible {
        var seed: UInt64
        var family: SensorFamily
        var draw: SensorErrorDraw
        var description: String { "seed \(seed), \(family.rawValue) \(draw.rawValue) draw" }
    }

    static let drawCount = 20
    static let limitDraws = 8
    /// Seeds of their own, away from the goldens' seed 1.
    static let firstSeed: UInt64 = 101

    static let draws: [Draw] = (0..<drawCount).map { i in
        Draw(
            seed: firstSeed + UInt64(i), family: SensorFamily.allCases[i % SensorFamily.allCases.count],
            draw: i < limitDraws ? .limit : .typical)
    }

    func testCalibration() { check("calibration") }
    func testSlouch() { check("slouch") }
    func testWalk() { check("walk") }
    func testLying() { check("lying") }
    func testLeanForward() { check("lean-forward") }
    func testFidget() { check("fidget") }
    func testOneSensor() { check("one-sensor") }
    /// The whole three hours × 20 draws would take ~6 min here (debug, 2 cores). So: the
    /// first 3300 s (bout 1 with its slouches, lean, stand-up, fidgets and sitting_too_long
    /// nudges, the first walk and the sit-down of bout 2) at 50 Hz (rate-independence is
    /// what `slouch-50hz` checks), ~1/7 of the cost. The golden test runs the whole day.
    func testWorkday() { check("workday", rate: 50, until: Self.workdayPart) }
    static let workdayPart = 3300.0

    func testEveryScenarioIsDrawn() {
        let tested: Set = ["calibration", "slouch", "walk", "lying", "lean-forward", "fidget", "one-sensor", "workday"]
        XCTAssertEqual(Set(Scenario.allNames), tested)
        XCTAssertEqual(Set(Self.draws.prefix(Self.limitDraws).map(\.family)), Set(SensorFamily.allCases))
    }

    /// Runs the engine over every draw of `scenario` (in parallel), then judges each run.
    private func check(_ scenario: String, rate: Double = 100, until end: Double? = nil) {
        let started = Date()
        let runs = Mutex<[Int: Result<ScenarioRun, ReplayError>]>([:])
        DispatchQueue.concurrentPerform(iterations: Self.draws.count) { i in
            let result = Self.run(scenario, Self.draws[i], rate: rate, until: end)
            runs.withLock { $0[i] = result }
        }
        print("[draws] \(scenario): \(Self.draws.count) draws at \(jsonNumber(rate)) Hz in \(seconds(since: started))")
        let all = runs.withLock { $0 }
        for i in Self.draws.indices {
            switch all[i] {
            case .success(let run): run.checkBehaviour()
            case .failure(let error): XCTFail("\(scenario), \(Self.draws[i]): \(error)")
            case nil: XCTFail("\(scenario), \(Self.draws[i]): did not run")
            }
        }
    }

    private static func run(_ name: String, _ draw: Draw, rate: Double, until end: Double?) -> Result<ScenarioRun, ReplayError> {
        guard let whole = Scenario.named(name, seed: draw.seed) else { return .failure(ReplayError("unknown scenario")) }
        let scenario = end.map { whole.truncated(to: $0) } ?? whole
        let wearer = scenario.makeWearer(config: .sensorErrors(family: draw.family, draw: draw.draw))
        do {
            let trace = try ReplayTrace.run(wearer: wearer, rate: rate, windows: .scenarios)
            let part = end.map { ", first \(jsonNumber($0)) s at \(jsonNumber(rate)) Hz" } ?? ""
            return .success(ScenarioRun(name: "\(name) (\(draw)\(part))", scenario: scenario, wearer: wearer, trace: trace))
        } catch {
            return .failure(ReplayError("\(error)"))
        }
    }
}
