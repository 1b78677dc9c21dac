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

    func testCalibration() throws {
        let run = try ScenarioRun("calibration")
        run.checkNudges()
        run.checkActivity()
        run.checkAngles()
    }

    func testSlouch() throws {
        let run = try ScenarioRun("slouch")
        run.checkNudges()
        run.checkActivity()
        run.checkAngles()
        XCTAssertNotNil(run.trace.summary.lumbarFlexion, "slouch (two sensors): lumbar_flexion must be reported")
    }

    func testSlouchAt50Hz() throws {
        let run = try ScenarioRun("slouch-50hz")
        run.checkNudges()
        run.checkActivity()
        run.checkAngles()
    }

    func testWalk() throws {
        let run = try ScenarioRun("walk")
        run.checkNudges()
        run.checkActivity()
        run.checkAngles()
        let truthSteps = run.wearer.truth(at: run.scenario.duration).steps
        guard let steps = run.trace.summary.steps else {
            return XCTFail("walk: the summary has no step count (truth \(truthSteps) steps)")
        }
        let error = Double(steps - truthSteps) / Double(truthSteps)
        print("[behaviour] walk: \(steps) steps counted, truth \(truthSteps)")
        XCTAssertLessThanOrEqual(
            abs(error), 0.10, "walk: \(steps) steps counted, truth \(truthSteps) (\(percent(error)) off; ±10% allowed)")
    }

    func testLying() throws {
        let run = try ScenarioRun("lying")
        run.checkNudges()
        run.checkActivity()
        run.checkAngles()
    }

    /// Leaning forward to the desk from the hips is not slouching.
    func testLeanForwardIsNotSlouching() throws {
        let run = try ScenarioRun("lean-forward")
        run.checkNudges()
        run.checkActivity()
        run.checkAngles()
        run.checkNeverSlouching()
        // The lean itself is measured as anterior tilt relative to sitting upright, not posterior.
        let lean = run.ticks(where: { $0.posture == .leanForward })
        let meanTilt = lean.map(\.tick.angles.pelvicTilt).mean
        let truthTilt = lean.map(\.truth.pelvicTilt).mean
        XCTAssertEqual(meanTilt, truthTilt, accuracy: 3, "lean-forward: mean pelvic_tilt while leaning")
        XCTAssertGreaterThan(
            meanTilt, run.trace.calibration.sittingPelvicTilt + 10,
            "lean-forward: leaning from the hips must read as anterior of sitting upright")
    }

    /// Fidgeting is not slouching.
    func testFidgetIsNotSlouching() throws {
        let run = try ScenarioRun("fidget")
        run.checkNudges()
        run.checkActivity()
        run.checkAngles()
        run.checkNeverSlouching()
    }

    /// With one sensor, lumbar flexion is not reported (null), never invented.
    func testOneSensor() throws {
        let run = try ScenarioRun("one-sensor")
        XCTAssertEqual(run.scenario.sensorCount, 1)
        run.checkNudges()
        run.checkActivity()
        run.checkAngles()
        XCTAssertNil(run.trace.summary.lumbarFlexion, "one-sensor: summary lumbar_flexion must be null")
        XCTAssertTrue(
            run.trace.jsonLines.last?.contains("\"lumbar_flexion\":null") ?? false,
            "one-sensor: the summary line must say \"lumbar_flexion\":null: \(run.trace.jsonLines.last ?? "")")
        XCTAssertNil(run.trace.calibration.upperLumbar, "one-sensor: calibration must have no upper lumbar sensor")
        XCTAssertTrue(run.trace.ticks.allSatisfy { $0.angles.lumbarFlexion == nil }, "one-sensor: a tick reported lumbar flexion")
    }

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

    /// Three hours: three sitting bouts, six slouch and six sitting_too_long nudges.
    func testWorkday() throws {
        let run = try ScenarioRun("workday")
        XCTAssertEqual(run.scenario.expectedNudges.count, 12)
        run.checkNudges()
        run.checkActivity()
        run.checkAngles()
        run.checkNeverSlouching(in: .leanForward)
        run.checkNeverSlouching(in: .fidget)
        let truthSteps = run.wearer.truth(at: run.scenario.duration).steps
        let steps = run.trace.summary.steps ?? 0
        print("[behaviour] workday: \(steps) steps counted, truth \(truthSteps)")
        XCTAssertEqual(
            Double(steps), Double(truthSteps), accuracy: 0.10 * Double(truthSteps),
            "workday: \(steps) steps counted over three walks, truth \(truthSteps) (±10%)")
        let longest = run.trace.summary.longestSittingBoutSeconds
        XCTAssertEqual(longest, 3040, accuracy: 10, "workday: longest sitting bout (truth ≈ 3040 s, 3261–6301)")
    }
}

// MARK: - One scenario's run and its checks

/// A tick of the trace with the truth at the same time.
struct JudgedTick {
    var tick: TraceTick
    var truth: WearerTruth
    var posture: PostureKind { truth.posture }
}

struct ScenarioRun {
    let name: String
    let scenario: Scenario
    let wearer: SimulatedWearer
    let trace: ReplayTrace
    /// Trace ticks with their truth.
    let judged: [JudgedTick]
    /// Truth activity changes: (time halfway through the transition, new activity); the
    /// first is (0, standing).
    let truthChanges: [(t: Double, activity: Activity)]

    /// Replays the golden case `name` (its manifest gives the scenario, seed and rate).
    init(_ name: String) throws {
        let manifest = try GoldenManifest.load(name)
        guard let source = manifest.simulatedSource else { throw ReplayError("\(name) is not a simulated case") }
        self.name = name
        scenario = try source.makeScenario()
        wearer = scenario.makeWearer()
        let path = try RecordingCache.shared.recording(source)
        trace = try RecordingCache.shared.trace(path: path, windows: try manifest.windows())
        let wearer = self.wearer
        judged = trace.ticks.map { JudgedTick(tick: $0, truth: wearer.truth(at: $0.t)) }
        var changes: [(t: Double, activity: Activity)] = [(0, wearer.truth(at: 0).activity)]
        let step = 0.05
        var t = step
        while t < scenario.duration {
            let a = wearer.truth(at: t).activity
            if a != changes.last!.activity { changes.append((t - step / 2, a)) }
            t += step
        }
        truthChanges = changes
    }

    func ticks(where predicate: (WearerTruth) -> Bool) -> [JudgedTick] {
        judged.filter { predicate($0.truth) && !$0.truth.inTransition }
    }

    // MARK: Nudges

    /// Every expected nudge is delivered in `[expected − 1 s, expected + latency]`, and no other.
    func checkNudges(file: StaticString = #filePath, line: UInt = #line) {
        var delivered = trace.nudges.map { (t: $0.t, reason: $0.reason, matched: false) }
        var missed: [String] = []
        for expected in scenario.expectedNudges {
            let latency = expected.reason == .slouch
                ? ScenarioBehaviourTests.slouchLatency : ScenarioBehaviourTests.sittingTooLongLatency
            let window = (expected.t - ScenarioBehaviourTests.earlyNudge)...(expected.t + latency)
            if let i = delivered.firstIndex(where: { !$0.matched && $0.reason == expected.reason && window.contains($0.t) }) {
                delivered[i].matched = true
            } else {
                let nearest = delivered.filter { $0.reason == expected.reason }
                    .min { abs($0.t - expected.t) < abs($1.t - expected.t) }
                missed.append(
                    "\(expected.reason.rawValue) expected at \(fmt(expected.t)) (allowed \(fmt(window.lowerBound))–\(fmt(window.upperBound)))"
                        + (nearest.map { "; nearest \(expected.reason.rawValue) at \(fmt($0.t))" } ?? "; none delivered"))
            }
        }
        let unexpected = delivered.filter { !$0.matched }.map { "\($0.reason.rawValue) at \(fmt($0.t))" }
        XCTAssertTrue(missed.isEmpty, "\(name): missed nudges: \(missed.joined(separator: "; "))", file: file, line: line)
        XCTAssertTrue(
            unexpected.isEmpty,
            "\(name): unexpected nudges: \(unexpected.joined(separator: ", ")) (truth: \(truthPostureSummary(around: delivered.filter { !$0.matched }.map(\.t))))",
            file: file, line: line)
    }

    /// No confirmed slouch at all (no slouch time, no slouch nudge).
    func checkNeverSlouching(file: StaticString = #filePath, line: UInt = #line) {
        let slouchNudges = trace.nudges.filter { $0.reason == .slouch }.map { fmt($0.t) }
        XCTAssertTrue(slouchNudges.isEmpty, "\(name): slouch nudges at \(slouchNudges)", file: file, line: line)
        XCTAssertEqual(trace.summary.slouchSeconds, 0, "\(name): slouch_s", file: file, line: line)
    }

    /// No slouch nudge while the truth posture is `kind` (or up to the slouch hold after it).
    func checkNeverSlouching(in kind: PostureKind, file: StaticString = #filePath, line: UInt = #line) {
        let wrong = trace.nudges.filter { nudge in
            guard nudge.reason == .slouch else { return false }
            // The posture over the hold that led to this nudge.
            return stride(from: nudge.t - 30, through: nudge.t, by: 1).contains { wearer.truth(at: $0).posture == kind }
        }
        XCTAssertTrue(
            wrong.isEmpty, "\(name): slouch nudges during \(kind.rawValue): \(wrong.map { fmt($0.t) })", file: file, line: line)
    }

    // MARK: Activity

    /// Each truth activity change is reported within 5 s; every reported change matches one
    /// (no flicker); ≥ 95% agreement on ticks outside transitions and their allowed latency.
    func checkActivity(file: StaticString = #filePath, line: UInt = #line) {
        let latency = ScenarioBehaviourTests.activityLatency
        var reported = trace.activityChanges.map { (t: $0.t, activity: $0.activity, matched: false) }
        var late: [String] = []
        for change in truthChanges {
            let window = (change.t - latency)...(change.t + latency)
            if let i = reported.firstIndex(where: { !$0.matched && $0.activity == change.activity && window.contains($0.t) }) {
                reported[i].matched = true
            } else {
                let nearest = reported.filter { $0.activity == change.activity && $0.t >= change.t - latency }.first
                late.append(
                    "\(change.activity.rawValue) at \(fmt(change.t)): "
                        + (nearest.map { "reported at \(fmt($0.t))" } ?? "never reported"))
            }
        }
        let spurious = reported.filter { !$0.matched }.map { r in
            "\(r.activity.rawValue) at \(fmt(r.t)) (truth \(wearer.truth(at: r.t).posture.rawValue))"
        }
        XCTAssertTrue(
            late.isEmpty, "\(name): activity changes not reported within \(fmt(latency)) s: \(late.joined(separator: "; "))",
            file: file, line: line)
        XCTAssertTrue(
            spurious.isEmpty,
            "\(name): \(spurious.count) activity changes with no truth change within \(fmt(latency)) s (flicker): \(spurious.prefix(12).joined(separator: "; "))",
            file: file, line: line)

        var total = 0
        var agree = 0
        var confusions: [String: Int] = [:]
        for j in judged where !j.truth.inTransition && !isJustAfterChange(j.tick.t) {
            total += 1
            if j.tick.activity == j.truth.activity {
                agree += 1
            } else {
                confusions["\(j.truth.activity.rawValue)→\(j.tick.activity?.rawValue ?? "none")", default: 0] += 1
            }
        }
        let agreement = total > 0 ? Double(agree) / Double(total) : 0
        let latencies = trace.activityChanges.map { r in
            truthChanges.filter { $0.activity == r.activity }.map { r.t - $0.t }.min { Swift.abs($0) < Swift.abs($1) } ?? .nan
        }
        print("[behaviour] \(name): activity agreement \(percent(agreement)) of \(total) ticks; change latencies \(latencies.map(fmt)) s; nudges \(trace.nudges.map { "\($0.reason.rawValue)@\(fmt($0.t))" })")
        XCTAssertGreaterThanOrEqual(
            agreement, ScenarioBehaviourTests.minimumActivityAgreement,
            "\(name): activity agrees with the truth on \(percent(agreement)) of \(total) ticks outside transitions; confusions (truth→engine, ticks at 10 Hz): \(confusions)",
            file: file, line: line)
    }

    private func isJustAfterChange(_ t: Double) -> Bool {
        truthChanges.contains { t >= $0.t && t < $0.t + ScenarioBehaviourTests.activityLatency }
    }

    // MARK: Angles

    /// While sitting upright or slouched (outside transitions and 2 s after them), the
    /// engine's angles are within a few degrees of the truth.
    func checkAngles(file: StaticString = #filePath, line: UInt = #line) {
        let still = judged.filter {
            [.sitUpright, .slouch].contains($0.posture) && !$0.truth.inTransition
                && !wearer.truth(at: $0.tick.t - 2).inTransition
        }
        guard !still.isEmpty else { return XCTFail("\(name): no sitting ticks to judge", file: file, line: line) }
        func judge(_ what: String, _ errors: [Double]) {
            let abs = errors.map(Swift.abs).sorted()
            let mean = abs.mean
            let p95 = abs[min(abs.count - 1, Int(Double(abs.count) * 0.95))]
            let bias = errors.mean
            print("[behaviour] \(name): \(what) |error| mean \(fmt(mean))°, p95 \(fmt(p95))°, max \(fmt(abs.last ?? 0))°, bias \(fmt(bias))° over \(abs.count) sitting ticks")
            XCTAssertLessThanOrEqual(
                mean, ScenarioBehaviourTests.angleMeanTolerance,
                "\(name): \(what) mean |error| \(fmt(mean))° (bias \(fmt(bias))°, p95 \(fmt(p95))°, max \(fmt(abs.last ?? 0))°) over \(abs.count) sitting ticks",
                file: file, line: line)
            XCTAssertLessThanOrEqual(
                p95, ScenarioBehaviourTests.angle95Tolerance,
                "\(name): \(what) 95th percentile |error| \(fmt(p95))° (mean \(fmt(mean))°, bias \(fmt(bias))°, max \(fmt(abs.last ?? 0))°)",
                file: file, line: line)
        }
        judge("pelvic_tilt", still.map { $0.tick.angles.pelvicTilt - $0.truth.pelvicTilt })
        judge("pelvic_obliquity", still.map { $0.tick.angles.pelvicObliquity - $0.truth.pelvicObliquity })
        if scenario.sensorCount > 1 {
            let flexion = still.compactMap { j in j.tick.angles.lumbarFlexion.map { $0 - j.truth.lumbarFlexion } }
            XCTAssertEqual(flexion.count, still.count, "\(name): lumbar_flexion missing on some ticks", file: file, line: line)
            if !flexion.isEmpty { judge("lumbar_flexion", flexion) }
        }
    }

    private func truthPostureSummary(around times: [Double]) -> String {
        times.map { t in
            let postures = Set(stride(from: t - 30, through: t, by: 1).map { wearer.truth(at: $0).posture.rawValue })
            return "\(fmt(t)): \(postures.sorted().joined(separator: "/")) over the last 30 s"
        }.joined(separator: "; ")
    }
}

func fmt(_ x: Double) -> String { jsonNumber(x, decimals: 2) }
func percent(_ x: Double) -> String { jsonNumber(x * 100, decimals: 1) + "%" }

extension Array where Element == Double {
    var mean: Double { isEmpty ? .nan : reduce(0, +) / Double(count) }
}
