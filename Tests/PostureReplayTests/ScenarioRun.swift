import Foundation
import PostureCore
import PostureReplay
import PostureSim
import XCTest

// MARK: - One scenario's run and its checks

/// A tick of the trace with the truth at the same time.
struct JudgedTick: Sendable {
    var tick: TraceTick
    var truth: WearerTruth
    var posture: PostureKind { truth.posture }
}

struct ScenarioRun: Sendable {
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
        let scenario = try source.makeScenario()
        let path = try RecordingCache.shared.recording(source)
        self.init(
            name: name, scenario: scenario, wearer: scenario.makeWearer(),
            trace: try RecordingCache.shared.trace(path: path, windows: try manifest.windows()))
    }

    /// Judges `trace`, the engine's run over `wearer`'s samples; `name` heads every failure message.
    init(name: String, scenario: Scenario, wearer: SimulatedWearer, trace: ReplayTrace) {
        self.name = name
        self.scenario = scenario
        self.wearer = wearer
        self.trace = trace
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

    /// The angle (degrees) by which `sensor`'s static accelerometer error (scale, cross-axis
    /// and zero-g offset, as drawn) turns its reading of gravity at `t`. No filter can see it:
    /// a still accelerometer *is* the filter's reference for up. Calibration removes it at
    /// the standing pose only, so at another pose the angles are off by up to the error
    /// there plus the error at standing. 0 with perfect sensors.
    func staticAccelerometerError(sensor: Int, at t: Double) -> Double {
        guard wearer.sensorErrors.indices.contains(sensor) else { return 0 }
        let errors = wearer.sensorErrors[sensor]
        let up = wearer.orientation(sensor: sensor, at: t).inverseRotate(Vector3(0, 0, 1))
        let reading = errors.accelMatrix * (wearer.config.gravity * up) + errors.accelOffset(at: t)
        return reading.angle(to: up).degrees
    }

    /// While sitting upright or slouched (outside transitions and 2 s after them), the
    /// engine's angles are within a few degrees of the truth, plus what the drawn
    /// accelerometers' static error makes unobservable (`staticAccelerometerError`).
    func checkAngles(file: StaticString = #filePath, line: UInt = #line) {
        let still = judged.filter {
            [.sitUpright, .slouch].contains($0.posture) && !$0.truth.inTransition
                && !wearer.truth(at: $0.tick.t - 2).inTransition
        }
        guard !still.isEmpty else { return XCTFail("\(name): no sitting ticks to judge", file: file, line: line) }
        let standing = (scenario.standWindow.lowerBound + scenario.standWindow.upperBound) / 2
        func unobservable(_ sensors: [Int]) -> Double {
            sensors.map { s in
                still.map { staticAccelerometerError(sensor: s, at: $0.tick.t) }.mean
                    + staticAccelerometerError(sensor: s, at: standing)
            }.reduce(0, +)
        }
        func judge(_ what: String, _ errors: [Double], sensors: [Int]) {
            let abs = errors.map(Swift.abs).sorted()
            let mean = abs.mean
            let p95 = abs[min(abs.count - 1, Int(Double(abs.count) * 0.95))]
            let bias = errors.mean
            let allowance = unobservable(sensors)
            print("[behaviour] \(name): \(what) |error| mean \(fmt(mean))°, p95 \(fmt(p95))°, max \(fmt(abs.last ?? 0))°, bias \(fmt(bias))° over \(abs.count) sitting ticks; static accelerometer error \(fmt(allowance))°")
            XCTAssertLessThanOrEqual(
                mean, ScenarioBehaviourTests.angleMeanTolerance + allowance,
                "\(name): \(what) mean |error| \(fmt(mean))° (bias \(fmt(bias))°, p95 \(fmt(p95))°, max \(fmt(abs.last ?? 0))°) over \(abs.count) sitting ticks; allowed \(fmt(ScenarioBehaviourTests.angleMeanTolerance))° + \(fmt(allowance))° of static accelerometer error",
                file: file, line: line)
            XCTAssertLessThanOrEqual(
                p95, ScenarioBehaviourTests.angle95Tolerance + allowance,
                "\(name): \(what) 95th percentile |error| \(fmt(p95))° (mean \(fmt(mean))°, bias \(fmt(bias))°, max \(fmt(abs.last ?? 0))°); allowed \(fmt(ScenarioBehaviourTests.angle95Tolerance))° + \(fmt(allowance))°",
                file: file, line: line)
        }
        judge("pelvic_tilt", still.map { $0.tick.angles.pelvicTilt - $0.truth.pelvicTilt }, sensors: [0])
        judge("pelvic_obliquity", still.map { $0.tick.angles.pelvicObliquity - $0.truth.pelvicObliquity }, sensors: [0])
        if scenario.sensorCount > 1 {
            let flexion = still.compactMap { j in j.tick.angles.lumbarFlexion.map { $0 - j.truth.lumbarFlexion } }
            XCTAssertEqual(flexion.count, still.count, "\(name): lumbar_flexion missing on some ticks", file: file, line: line)
            if !flexion.isEmpty { judge("lumbar_flexion", flexion, sensors: [0, 1]) }
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
