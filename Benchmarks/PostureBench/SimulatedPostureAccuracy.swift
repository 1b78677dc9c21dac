import Dispatch
import Foundation
import PostureCore
import PostureReplay
import PostureSim
import Synchronization

/// Row 8 (issue 13): how well the engine reads a simulated wearer it was not tuned on. Every
/// named scenario over seeds no test uses, each with its own drawn sensors (issue 6's datasheet
/// errors, typical draws, the chip families in turn), calibrated from the scenario's poses and
/// run in-process exactly as `posturectl replay` runs a recording. Against the wearer's truth:
/// - angles: RMS error and mean bias of pelvic tilt, obliquity and lumbar flexion over sitting
///   ticks (upright or slouched, outside transitions and the 2 s after them), the ticks nudges
///   are decided on; the drawn accelerometer's static error is in these figures (no filter can
///   see it; `ScenarioDrawTests` allows for it, this row does not);
/// - activity: agreement at 10 Hz outside transitions and the 5 s after a truth change;
/// - nudges: each expected nudge matched to the first of its reason within −1 s…+60 s; the
///   delay's median and maximum, the missed and the unexpected.
/// The same checks with tolerances are the tests (`ScenarioDrawTests`, seeds 101–120); this row
/// only measures, on seeds of its own.
/// Environment: POSTURED_BENCH_SIM_SEEDS, seeds a scenario (default 4).
func runSimulatedPostureAccuracy() {
    let seedCount = max(1, ProcessInfo.processInfo.environment["POSTURED_BENCH_SIM_SEEDS"].flatMap { Int($0) } ?? 4)
    let seeds = (0..<UInt64(seedCount)).map { firstUnusedSeed + $0 }
    let cases = Scenario.allNames.flatMap { name in seeds.map { (name, $0) } }
    let started = DispatchTime.now().uptimeNanoseconds
    let results = Mutex<[Int: SimulatedAccuracy]>([:])
    DispatchQueue.concurrentPerform(iterations: cases.count) { i in
        let (name, seed) = cases[i]
        let family = SensorFamily.allCases[Int(seed) % SensorFamily.allCases.count]
        let accuracy = SimulatedAccuracy.measure(scenario: name, seed: seed, family: family)
        results.withLock { $0[i] = accuracy }
    }
    let all = results.withLock { $0 }
    let elapsed = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
    print("simulated accuracy: \(Scenario.allNames.count) scenarios × seeds \(seeds.first!)–\(seeds.last!) (typical sensor draws), \(String(format: "%.0f", elapsed)) s")
    var total = SimulatedAccuracy()
    for name in Scenario.allNames {
        var scenario = SimulatedAccuracy()
        for (i, c) in cases.enumerated() where c.0 == name { if let r = all[i] { scenario.merge(r) } }
        print("simulated accuracy: \(name): \(scenario.summary)")
        total.merge(scenario)
    }
    print("simulated accuracy: all: \(total.summary)")
    recordRow("8 posture accuracy, simulated wearers (\(Scenario.allNames.count) scenarios × \(seeds.count) seeds no test uses, drawn sensors), sitting ticks",
              measured: total.angleSummary, baseline: "activity \(total.agreementText); nudges \(total.nudgeText)",
              target: "– (the tests' tolerances: `ScenarioDrawTests`)", command: "PostureBench simulated")
}

/// Seeds 9001 on: the tests and other benchmarks use 1–12, 42, 43 and (`ScenarioDrawTests`) 101–120.
let firstUnusedSeed: UInt64 = 9001

/// Errors of one or more runs, kept as sums so runs merge exactly.
struct SimulatedAccuracy {
    struct Sums {
        var count = 0
        var sum = 0.0
        var sumOfSquares = 0.0
        mutating func add(_ error: Double) { count += 1; sum += error; sumOfSquares += error * error }
        mutating func merge(_ other: Sums) { count += other.count; sum += other.sum; sumOfSquares += other.sumOfSquares }
        var rms: Double { count > 0 ? (sumOfSquares / Double(count)).squareRoot() : .nan }
        var bias: Double { count > 0 ? sum / Double(count) : .nan }
    }
    var tilt = Sums(), obliquity = Sums(), flexion = Sums()
    var ticks = 0, agreeing = 0
    var nudgeDelays: [NudgeReason: [Double]] = [:]
    var missedNudges = 0, unexpectedNudges = 0, expectedNudges = 0
    var failures: [String] = []

    /// How long after a truth activity change a reported activity is not judged (the tests' latency).
    static let activityLatency = 5.0
    /// The window after an expected nudge in which a delivered one of the same reason counts.
    static let nudgeWindow = -1.0...60.0
    /// Angles are not judged in the first seconds after a transition (the body settles).
    static let settle = 2.0

    mutating func merge(_ other: SimulatedAccuracy) {
        tilt.merge(other.tilt); obliquity.merge(other.obliquity); flexion.merge(other.flexion)
        ticks += other.ticks; agreeing += other.agreeing
        nudgeDelays.merge(other.nudgeDelays, uniquingKeysWith: +)
        missedNudges += other.missedNudges; unexpectedNudges += other.unexpectedNudges; expectedNudges += other.expectedNudges
        failures += other.failures
    }

    static func measure(scenario name: String, seed: UInt64, family: SensorFamily) -> SimulatedAccuracy {
        var result = SimulatedAccuracy()
        guard let scenario = Scenario.named(name, seed: seed) else {
            result.failures.append("\(name): unknown scenario")
            return result
        }
        let wearer = scenario.makeWearer(config: .sensorErrors(family: family, draw: .typical))
        let replay = Replay(
            inputPath: "(simulated \(name), seed \(seed))",
            stand: TimeWindow(start: scenario.standWindow.lowerBound, end: scenario.standWindow.upperBound),
            sit: TimeWindow(start: scenario.sitWindow.lowerBound, end: scenario.sitWindow.upperBound))
        var nudges: [(t: Double, reason: NudgeReason)] = []
        var truthActivity = wearer.truth(at: 0).activity
        var lastTruthChange = -Double.infinity
        var lastTransition = -Double.infinity
        var nextTick = 0.0
        do {
            var first = wearer.makeSamples(rate: 100)
            let calibration = try replay.calibrate { first.next() }
            var samples = wearer.makeSamples(rate: 100)
            _ = try replay.run(next: { samples.next() }, calibration: calibration) { step in
                if let reason = step.decision.nudge { nudges.append((step.t, reason)) }
                guard step.t >= nextTick else { return }
                nextTick = (step.t * 10).rounded(.down) / 10 + 0.1
                let truth = wearer.truth(at: step.t)
                if truth.activity != truthActivity { truthActivity = truth.activity; lastTruthChange = step.t }
                if truth.inTransition { lastTransition = step.t; return }
                if step.t - lastTruthChange >= activityLatency {
                    result.ticks += 1
                    if step.activity == truth.activity { result.agreeing += 1 }
                }
                guard [.sitUpright, .slouch].contains(truth.posture), step.t - lastTransition >= settle else { return }
                result.tilt.add(step.angles.pelvicTilt - truth.pelvicTilt)
                result.obliquity.add(step.angles.pelvicObliquity - truth.pelvicObliquity)
                if let flexion = step.angles.lumbarFlexion { result.flexion.add(flexion - truth.lumbarFlexion) }
            }
        } catch {
            result.failures.append("\(name) seed \(seed): \(error)")
            return result
        }
        var unmatched = nudges
        for expected in scenario.expectedNudges {
            result.expectedNudges += 1
            let window = (expected.t + nudgeWindow.lowerBound)...(expected.t + nudgeWindow.upperBound)
            if let i = unmatched.firstIndex(where: { $0.reason == expected.reason && window.contains($0.t) }) {
                result.nudgeDelays[expected.reason, default: []].append(unmatched[i].t - expected.t)
                unmatched.remove(at: i)
            } else {
                result.missedNudges += 1
            }
        }
        result.unexpectedNudges = unmatched.count
        return result
    }

    var angleSummary: String {
        func text(_ s: Sums) -> String { s.count > 0 ? String(format: "%.2f° (bias %+.2f°)", s.rms, s.bias) : "–" }
        return "RMS: tilt \(text(tilt)), obliquity \(text(obliquity)), lumbar flexion \(text(flexion))"
    }
    var agreementText: String {
        ticks > 0 ? String(format: "%.1f%% of %d ticks", 100 * Double(agreeing) / Double(ticks), ticks) : "–"
    }
    var nudgeText: String {
        let onTime = nudgeDelays.values.reduce(0) { $0 + $1.count }
        let timing = nudgeDelays.keys.sorted { $0.rawValue < $1.rawValue }.map { reason in
            let delays = nudgeDelays[reason]!.sorted()
            return "\(reason.rawValue) delay median " + String(format: "%.1f s, max %.1f s", delays[delays.count / 2], delays.last!)
        }
        return "\(onTime) of \(expectedNudges) on time" + timing.map { ", " + $0 }.joined()
            + ", \(missedNudges) missed, \(unexpectedNudges) unexpected"
    }
    var summary: String {
        "\(angleSummary); activity \(agreementText); nudges \(nudgeText)"
            + (failures.isEmpty ? "" : "; FAILED: \(failures.joined(separator: "; "))")
    }
}
