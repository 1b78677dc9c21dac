import CAllocationCounter
import PostureCore
import PostureSim

/// Heap allocations per sample in the engine's steady state: the per-sample path must
/// make none (the daemon's loop thread runs it at 100–1000 Hz on a small board).
/// Baseline in the same run: the counter around an empty loop (must be 0 as well).
func runAllocationBenchmark() throws {
    guard let scenario = Scenario.named("workday", seed: 3) else { return }
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
    print("allocations: counter check, one array allocated: \(controlCount) counted (must be ≥ 1; \(control.count))")
    print("allocations: engine steady state over \(count) samples (1 h, two sensors, workday): \(allocations) allocations"
        + " (\(Double(allocations) / Double(count)) per sample); empty-loop baseline: \(baseline) (checksum \(Int(checksum) % 10))")
}
