import CAllocationCounter
import Foundation
import PostureCore
import PostureSim

/// Heap allocations per sample in the engine's steady state: the per-sample path must
/// make none (the daemon's loop thread runs it at 100–1000 Hz on a small board).
/// Baseline in the same run: the counter around an empty loop (must be 0 as well). Also the
/// engine's cost per sample (both sensors, angles, activity, policy), timed without the counter
/// reads, next to the orientation filter alone on the same samples. Returns the allocations per
/// sample (`ci` fails above 0).
@discardableResult
func runAllocationBenchmark() throws -> Double {
    guard let scenario = Scenario.named("workday", seed: 3) else { return .infinity }
    // Pre-generate so only the engine runs in the measured section.
    let samples = Array(scenario.makeWearer().makeSamples(rate: 100, from: 0, to: 3600))
    var standing = PoseCapture(pose: .standing)
    var sitting = PoseCapture(pose: .sitting)
    for s in samples where s.t <= 30 {
        if scenario.standWindow.contains(s.t) { standing.add(s) }
        if scenario.sitWindow.contains(s.t) { sitting.add(s) }
    }
    let calibration = try Calibration(standing: standing.result().get(), sitting: sitting.result().get())
    var engine = PostureEngine(calibration: calibration)
    let warmUp = 10_000
    for s in samples[..<warmUp] { _ = engine.process(s) }

    var checksum = 0.0
    let baselineBefore = posture_allocation_count()
    for s in samples[warmUp...] { checksum += s.accel.x }
    let baseline = posture_allocation_count() - baselineBefore

    let before = posture_allocation_count()
    for s in samples[warmUp...] {
        if let step = engine.process(s) { checksum += step.angles.pelvicTilt }
    }
    let allocations = posture_allocation_count() - before
    let count = samples.count - warmUp

    // Positive control: the counter must see an allocation when one happens.
    let controlBefore = posture_allocation_count()
    let control = [Double](repeating: checksum, count: 1 + Int(checksum.magnitude) % 7)
    let controlCount = posture_allocation_count() - controlBefore
    // Engine cost: a fresh engine over the same hour (after the same warm-up), best of 3, and
    // the orientation filter alone over the same samples as the baseline.
    var bestEngine = Double.infinity, bestFilter = Double.infinity
    for _ in 0..<3 {
        var timed = PostureEngine(calibration: calibration)
        for s in samples[..<warmUp] { _ = timed.process(s) }
        var start = DispatchTime.now().uptimeNanoseconds
        for s in samples[warmUp...] {
            if let step = timed.process(s) { checksum += step.angles.pelvicTilt }
        }
        bestEngine = min(bestEngine, Double(DispatchTime.now().uptimeNanoseconds - start) / Double(samples.count - warmUp))
        // One filter per sensor, as the engine has.
        var pelvis = OrientationFilter(), upper = OrientationFilter()
        start = DispatchTime.now().uptimeNanoseconds
        for s in samples[warmUp...] {
            if s.sensor == 0 { pelvis.update(t: s.t, accel: s.accel, gyro: s.gyro) } else { upper.update(t: s.t, accel: s.accel, gyro: s.gyro) }
        }
        bestFilter = min(bestFilter, Double(DispatchTime.now().uptimeNanoseconds - start) / Double(samples.count - warmUp))
        checksum += pelvis.orientation.w + upper.orientation.w
    }
    print("allocations: counter check, one array allocated: \(controlCount) counted (must be ≥ 1; \(control.count))")
    print("allocations: engine steady state over \(count) samples (1 h, two sensors, workday): \(allocations) allocations"
        + " (\(Double(allocations) / Double(count)) per sample); empty-loop baseline: \(baseline) (checksum \(Int(checksum) % 10))")
    print(String(format: "engine cost: %.0f ns per sample (two sensors: orientation, angles, activity, policy), best of 3; the orientation filters alone (one per sensor) on the same samples %.0f ns (ratio %.1fx)",
                 bestEngine, bestFilter, bestEngine / bestFilter))
    recordRow("4 engine cost (two sensors: orientation, angles, activity, policy)", measured: String(format: "%.0f ns/sample", bestEngine),
              baseline: String(format: "the two orientation filters alone %.0f ns", bestFilter), ratio: String(format: "%.1fx", bestEngine / bestFilter),
              target: "–", command: "PostureBench allocations")
    recordRow("4 allocations per engine sample (1 h, \(count) samples)", measured: "\(Double(allocations) / Double(count))",
              baseline: "empty loop \(baseline); counter check \(controlCount) (≥ 1)", target: "0 (fails CI above)", command: "PostureBench allocations")
    guard controlCount >= 1 else {
        print("allocations: the counter saw no allocation in its check: the count above cannot be trusted")
        return .infinity
    }
    return Double(allocations) / Double(count)
}
