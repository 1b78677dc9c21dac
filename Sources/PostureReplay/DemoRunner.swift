public import PostureCore
public import PostureSim

/// The engine live on a simulated wearer, sped up: what `posturectl demo` shows.
///
/// Samples are generated and processed as scenario time passes (`speed` × real time), so
/// the events appear at the moment the engine decides them, exactly as replay finds them.
public struct DemoRunner {
    public var scenario: Scenario
    /// Scenario seconds per real second; 0 runs as fast as possible.
    public var speed: Double
    public var rate: Double = 100
    /// Scenario seconds between the periodic status lines.
    public var statusInterval: Double = 15 * 60
    /// Time of day at scenario time 0, seconds after midnight (for readable clock times).
    public var startTimeOfDay: Double = 9 * 3600
    /// JSON Lines instead of text: the activity and nudge lines of `posturectl replay --json`
    /// (no calibration or status lines), so a script reads a demo as it reads a replay.
    public var json = false

    public init(scenario: Scenario, speed: Double) {
        self.scenario = scenario
        self.speed = speed
    }

    /// Runs the whole scenario; `emit` receives each line as it happens, `sleep` waits
    /// real seconds, `now` reads a monotonic clock in seconds.
    public func run(
        emit: (String) -> Void, now: () -> Double, sleep: (Double) -> Void
    ) throws -> DaySummary {
        let wearer = scenario.makeWearer()
        var capture = (standing: PoseCapture(pose: .standing), sitting: PoseCapture(pose: .sitting))
        for sample in wearer.makeSamples(rate: rate, from: 0, to: max(scenario.standWindow.upperBound, scenario.sitWindow.upperBound)) {
            if scenario.standWindow.contains(sample.t) { capture.standing.add(sample) }
            if scenario.sitWindow.contains(sample.t) { capture.sitting.add(sample) }
        }
        let calibration = try Calibration(standing: capture.standing.result().get(), sitting: capture.sitting.result().get())
        if !json { emit("\(clock(0))  calibrated: sitting upright is pelvic tilt \(jsonNumber(calibration.sittingPelvicTilt, decimals: 1))°"
            + (calibration.sittingLumbarFlexion.map { ", lumbar flexion \(jsonNumber($0, decimals: 1))°" } ?? "")
            + " (standing tall is 0°)") }

        var engine = PostureEngine(calibration: calibration)
        let started = now()
        var nextStatus = statusInterval
        for sample in wearer.makeSamples(rate: rate) {
            if speed > 0 {
                let due = started + sample.t / speed
                let wait = due - now()
                if wait > 0.02 { sleep(wait) }
            }
            guard let step = engine.process(sample, localTimeOfDay: startTimeOfDay + sample.t) else { continue }
            guard !json else {
                ReplayOutput.eventLines(for: step, json: true, emit)
                continue
            }
            report(step, engine: engine, emit: emit)
            if step.t >= nextStatus {
                nextStatus += statusInterval
                emit(statusLine(step, engine: engine))
            }
        }
        return engine.summary()
    }

    private func report(_ step: EngineStep, engine: PostureEngine, emit: (String) -> Void) {
        let at = clock(step.t)
        if step.activityChanged, let activity = step.activity { emit("\(at)  now \(activity.rawValue)") }
        switch step.decision.slouchChange {
        case .started?: emit("\(at)  slouching: \(angleText(step.angles))")
        case .ended?: emit("\(at)  sitting tall again")
        case nil: break
        }
        if let bout = step.decision.boutEnded {
            emit("\(at)  sitting bout ended after \(DurationText.describe(bout.duration))")
        }
        if let reason = step.decision.nudge {
            let why = reason == .slouch ? "sit tall: pelvis back, chest up" : "time to get up and move"
            emit("\(at)  >>> NUDGE \(reason.rawValue): \(why)")
        }
    }

    private func statusLine(_ step: EngineStep, engine: PostureEngine) -> String {
        let bout = engine.currentBout.map { ", sitting for \(DurationText.describe($0.duration))" } ?? ""
        return "\(clock(step.t))  · \(step.activity?.rawValue ?? "unknown")\(bout); \(angleText(step.angles)); \(engine.stepCount) steps"
    }

    private func angleText(_ a: SegmentAngles) -> String {
        "pelvic tilt \(jsonNumber(a.pelvicTilt, decimals: 1))°, obliquity \(jsonNumber(a.pelvicObliquity, decimals: 1))°"
            + (a.lumbarFlexion.map { ", lumbar flexion \(jsonNumber($0, decimals: 1))°" } ?? "")
    }

    private func clock(_ t: Double) -> String { ReplayOutput.clock(startTimeOfDay + t) }
}
