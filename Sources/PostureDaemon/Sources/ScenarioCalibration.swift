import PostureCore
import PostureHardware
public import PostureSim

/// `--simulate` without a stored calibration: the calibration the wearer takes in the
/// scenario's standing and sitting windows, as `posturectl calibrate` would capture it.
///
/// It is captured before the loop starts, from a second set of the scenario's simulated
/// chips (same wearer, same seed, same drivers), and handed to the loop to take effect at the
/// end of the windows (`LoopConfiguration.Simulation`). Captured by the supervisor while the
/// loop ran, it took effect whenever the supervisor got round to it: at speed 600 a quarter
/// second late is 150 simulated seconds, so the same day came out differently at every speed.
public enum ScenarioCalibration {
    public static func capture(_ scenario: Scenario, loop: LoopConfiguration) throws -> LoopConfiguration.ScheduledCalibration {
        var direct = loop
        direct.pacing = .timer  // one register read per sample; the FIFO is not needed here
        let set = SourceFactory.simulated(scenario: scenario, speed: 1, loop: direct)
        guard case .virtual(let clock) = set.timeBase else { throw CalibrationError.noSamples(pose: .standing, sensor: 0) }
        for source in set.sources { try source.open() }
        var standing = PoseCapture(pose: .standing)
        var sitting = PoseCapture(pose: .sitting)
        let end = max(scenario.standWindow.upperBound, scenario.sitWindow.upperBound)
        let period = 1 / Double(max(1, loop.rateHz))
        var k = 1
        while Double(k) * period <= end {
            let t = Double(k) * period
            clock.now = t
            for source in set.sources {
                let sample = try source.read().sample(t: t, sensor: source.index)
                if scenario.standWindow.contains(t) { standing.add(sample) }
                if scenario.sitWindow.contains(t) { sitting.add(sample) }
            }
            k += 1
        }
        let calibration = try Calibration(standing: standing.result().get(), sitting: sitting.result().get())
        return LoopConfiguration.ScheduledCalibration(calibration: calibration, at: end)
    }
}
