public import Logging
public import PostureConfig
public import PostureCore
public import PostureStore
import PostureControl

/// Everything the daemon does off the sampling thread: drains the loop's reports, keeps the
/// day log (one transaction a minute), drives the indicators, tells systemd it is ready and
/// alive, and answers the control socket. An actor: the control server's calls, the periodic
/// tick and SIGHUP reloads take turns, never racing.
public actor Supervisor {
    /// How often the reports are drained while someone looks on live (`posturectl watch`,
    /// `calibrate`, `record`): smooth views.
    static let attentiveDrainInterval = Duration.milliseconds(50)
    /// How often otherwise: a nudge still reaches the buzzer within a quarter second (FIFO
    /// pacing batches a tenth of a second anyway), and the supervisor wakes 4 times a second
    /// instead of 20. Each wake of the Swift concurrency runtime costs about 0.15 ms of CPU
    /// here (two threads woken), about 0.3 % of a core at 20 Hz (`PostureBench daemon`).
    static let idleDrainInterval = Duration.milliseconds(250)
    /// A watch request less than this long ago keeps the drain attentive.
    static let watchLingerSeconds = 2.0
    /// Day-log writes are batched: SD cards wear out, and a minute is the log's resolution.
    /// A batch goes out when a minute closes (so a crash or power cut loses at most the minute
    /// in progress), and at the latest this long after the last one (events with no minute
    /// closing, e.g. while the sensor is lost). In simulation minutes close faster, and so do
    /// the writes: a simulated day is written as a real one would be, minute by minute.
    static let flushIntervalSeconds = 60.0
    /// How often an untrusted clock is checked for synchronisation, and a trusted one for
    /// steps, a new local offset (daylight saving, time zone) and local midnight.
    static let clockCheckIntervalSeconds = 10.0
    /// Retention runs once a day.
    static let pruneIntervalSeconds = 86_400.0

    public struct Settings: Sendable {
        public var configPath: String
        public var socketPath: String
        /// `--simulate`: scenario time 0 is today 09:00 local, and the clock is trusted.
        public var simulatedDayStart: Double?
        /// Print nudges to the log (the demo, which has no GPIO lines).
        public var nudgesToTerminal: Bool
        /// `--simulate` without a stored calibration: the one the loop takes from the scenario's
        /// poses (`LoopConfiguration.Simulation`), to log and show once it is in force.
        public var scenarioCalibration: LoopConfiguration.ScheduledCalibration?
        /// `--simulate`: the scenario's length; the daemon stops when the simulated day is over.
        public var scenarioDuration: Double?

        public init(
            configPath: String, socketPath: String, simulatedDayStart: Double?, nudgesToTerminal: Bool,
            scenarioCalibration: LoopConfiguration.ScheduledCalibration? = nil,
            scenarioDuration: Double? = nil
        ) {
            self.scenarioDuration = scenarioDuration
            self.configPath = configPath
            self.socketPath = socketPath
            self.simulatedDayStart = simulatedDayStart
            self.nudgesToTerminal = nudgesToTerminal
            self.scenarioCalibration = scenarioCalibration
        }
    }

    let settings: Settings
    let loop: SamplingLoop
    let notifier: SystemdNotifier
    let logger: Logger
    let logLevel: LogLevelSwitch
    var configuration: PostureConfiguration
    var configurationText: String?
    let dayLog: DayLog
    var indicators: Indicators
    var calibration: Calibration
    var calibrated: Bool

    var aggregator: MinuteAggregator
    var slouchMinutes = SlouchMinutes()
    /// A minute closed since the last write: write now.
    var minuteClosed = false
    var buffer = DayLogBuffer(bootID: ClockTrust.bootID())
    var lastReport: LoopReport?
    var lastStep: EngineStep?
    var lastStepCount = 0
    var lastOverruns: UInt64 = 0
    var isReady = false
    var previousHealth: [SensorHealth] = [.absent, .absent]
    var faultStart: [Double?] = [nil, nil]
    /// The sensors as the log last named them (start-up, or `noteSensorFound`).
    lazy var namedSensors: [SensorIdentity?] = (0..<SensorIndex.count).map { i in
        loop.startup.first { $0.index == i && $0.error == nil }?.identity
    }
    var boutStart: Double?
    var lastNudge: (reason: NudgeReason, intensity: NudgeIntensity, t: Double)?
    /// Fading feedback: the day's plan in force (`Supervisor+Feedback`).
    var feedback = FeedbackPlanner()
    var nudgeCounts = NudgeCounts()
    var clockWatch = ClockWatch()
    var snoozedUntil: Double?
    var capture: PoseCaptureState?
    /// A calibration runs, from its first prompt to its result: `capture` alone is nil during
    /// the countdowns and between the poses, when a second calibration would interleave.
    var calibrating = false
    /// A calibration the button started, while it runs: cancelled at shutdown.
    var buttonCalibration: Task<Void, Never>?
    var rawSubscribers: [Int: AsyncThrowingStream<[IMUSample], any Error>.Continuation] = [:]
    var nextSubscriberID = 0
    var lastWriteMonotonic: Double?
    /// When a watch client last asked for a frame (monotonic seconds).
    var lastWatchRequest: Double?
    /// Why the last write failed, while it fails (status shows it).
    var storeError: String?
    /// Monotonic time of the first failed write of the current run of failures.
    var storeFailingSince: Double?
    /// Minutes dropped (oldest first) while the store failed for longer than memory keeps.
    var minutesShed = 0
    let startedMonotonic: Double
    /// When the reports were last drained, and the longest time between two drains: how long
    /// the supervisor stalled at worst (SQLite, GPIO, a busy board), against the report ring's span.
    var lastDrainMonotonic: Double?
    var longestDrainGapSeconds = 0.0
    /// The loop's wake-up lateness over the last minute (`status`).
    var lateness = LatenessWindow()
    /// The metrics text file (`Supervisor+Metrics`): when it was last written (monotonic), and
    /// why the last write failed, while it fails.
    var metricsWrittenMonotonic: Double?
    var metricsError: String?

    public init(
        settings: Settings, loop: SamplingLoop, notifier: SystemdNotifier, logger: Logger, logLevel: LogLevelSwitch,
        configuration: PostureConfiguration, configurationText: String?, dayLog: sending DayLog,
        indicators: Indicators, calibration: Calibration, calibrated: Bool
    ) {
        self.settings = settings
        self.loop = loop
        self.notifier = notifier
        self.logger = logger
        self.logLevel = logLevel
        self.configuration = configuration
        self.configurationText = configurationText
        self.dayLog = dayLog
        self.indicators = indicators
        self.calibration = calibration
        self.calibrated = calibrated
        aggregator = MinuteAggregator(sampleRate: Double(configuration.sampling.rateHz))
        startedMonotonic = ClockTrust.now().monotonic
    }

    // MARK: - The supervisor's own loop

    /// Runs until graceful shutdown (SIGTERM) or cancellation, then stops cleanly.
    func run(isShuttingDown: @Sendable () -> Bool) async {
        start()
        var nextFlush = ClockTrust.now().monotonic + Self.flushIntervalSeconds
        var nextClockCheck = 0.0
        var nextPrune = 0.0
        var nextWatchdog = 0.0
        let watchdog = WatchdogSettings(environment: ProcessEnvironment.current())
        while !isShuttingDown() && !Task.isCancelled && !isScenarioOver {
            drain()
            let now = ClockTrust.now().monotonic
            if now >= nextClockCheck {
                nextClockCheck = now + Self.clockCheckIntervalSeconds
                if buffer.isClockTrusted {
                    watchClock()
                } else {
                    checkClock()
                    if buffer.isClockTrusted { planFeedbackIfDue() }  // which day it is is known now
                }
            }
            if minuteClosed || now >= nextFlush {
                minuteClosed = false
                nextFlush = now + Self.flushIntervalSeconds
                flush()
                // After the day log's write, so the file holds the minute just stored; a
                // failed write is retried with the next minute.
                if configuration.metrics.isEnabled { writeMetrics() }
            }
            if buffer.isClockTrusted, now >= nextPrune {
                nextPrune = now + Self.pruneIntervalSeconds
                prune()
            }
            if let watchdog, now >= nextWatchdog, isReady {
                let verdict = LoopHealth(configuration: loop.configuration).evaluate(lastReport: lastReport)
                if verdict.isHealthy {
                    nextWatchdog = now + watchdog.pingIntervalSeconds
                    try? notifier.watchdog()
                } else {
                    try? notifier.status("loop not healthy: \(verdict)")
                }
            }
            try? await Task.sleep(for: drainInterval(now: now))
        }
        stop(reason: isScenarioOver ? "end of the simulated day" : "SIGTERM")
    }

    /// Attentive while anyone looks on live, idle otherwise; never so slow that the report
    /// ring (a quarter second of reports, or more) would be half full between two drains.
    func drainInterval(now: Double) -> Duration {
        let watched = lastWatchRequest.map { now - $0 < Self.watchLingerSeconds } ?? false
        if watched || capture != nil || !rawSubscribers.isEmpty { return Self.attentiveDrainInterval }
        let halfRing = Double(loop.reports.capacity) / 2 / max(1, loop.reportsPerSecond)
        let seconds = max(Self.seconds(Self.attentiveDrainInterval), min(Self.seconds(Self.idleDrainInterval), halfRing))
        return .milliseconds(Int(1000 * seconds))
    }

    private static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }

    /// In simulation, the wearer's day has ended: nothing more will be sampled.
    /// The loop stops itself there (`LoopConfiguration.Simulation.endTime`).
    var isScenarioOver: Bool {
        settings.scenarioDuration != nil && !loop.isRunning
    }

    private func start() {
        checkClock()
        if let text = configurationText {
            buffer.addConfiguration(text: text, at: wallNow())
        }
        if settings.simulatedDayStart == nil, let last = try? dayLog.lastRecordedTime() {
            // The daemon was down (or the board off) since the last thing it stored.
            let now = ClockTrust.now().realtime
            if ClockTrust.isSystemClockSynchronized(), now > last {
                buffer.addDated(LogGap(start: last, end: now, reason: .daemonDown))
            }
        }
        buffer.add(LogEvent.daemonStart(version: PosturedVersion.string, at: monotonicNow()))
        planFeedbackIfDue()
        if let kept = try? dayLog.undatedMinuteCount(otherThan: buffer.bootID), kept > 0 {
            logger.warning("the day log keeps minutes from an earlier boot whose clock was never synchronised; no clock can date them", metadata: [
                "undated_minutes": "\(kept)",
            ])
        }
    }

    /// Stops the loop, stores the last (partial) minute and the stop event, releases the lines.
    private func stop(reason: String) {
        try? notifier.stopping()
        buttonCalibration?.cancel()
        loop.stop()
        drain()
        if let minute = aggregator.close() { buffer.add(minute) }
        if let onset = slouchMinutes.open?.onset, let t = lastStep?.t {
            // A slouch still on when the daemon stops ends here, in the log as in the minutes.
            buffer.add(LogEvent.slouch(.ended(onset: onset, end: t), at: t))
            addSlouchPieces(slouchMinutes.ended(end: t, gridOrigin: aggregator.gridOrigin))
        }
        if let t = lastReport?.t {
            // The pelvis still lost when the daemon stops: its gap ends here, not never.
            if let since = faultStart[SensorIndex.pelvis] { buffer.addGap(from: since, to: t, reason: .sensorLost) }
        }
        if let start = boutStart, let t = lastStep?.t {
            buffer.add(LogEvent.boutEnded(SittingBout(start: start, duration: t - start), at: t))
        }
        buffer.add(LogEvent.daemonStop(reason: reason, at: lastStep?.t ?? monotonicNow()))
        flush()
        if configuration.metrics.isEnabled { writeMetrics() }
        noteUnwrittenAtStop()
        indicators.stop()
        for continuation in rawSubscribers.values { continuation.finish() }
        rawSubscribers.removeAll()
        logger.notice("stopped", metadata: [
            "reason": "\(reason)", "day_log": "\(dayLog.path)",
            "longest_supervisor_stall_ms": "\(Int(longestDrainGapSeconds * 1000))", "dropped_events": "\(loop.droppedEvents)",
        ])
    }

    // MARK: - Reports

    func drain() {
        noteDrain()
        // Events first: a nudge reaches the indicators before the reports' bookkeeping.
        loop.drainEvents { handleDecisions(of: $0) }
        var samples: [IMUSample] = []
        let wantSamples = !rawSubscribers.isEmpty
        _ = loop.drainReports { report in
            process(report)
            if wantSamples {
                if let s = report.samples.pelvis { samples.append(s) }
                if let s = report.samples.upperLumbar { samples.append(s) }
            }
        }
        if wantSamples, !samples.isEmpty {
            for (id, continuation) in rawSubscribers {
                guard case .dropped = continuation.yield(samples) else { continue }
                // The recording fell a few seconds behind: end it, saying why, rather than
                // go on with a hole in it.
                let rate = Int(loop.reportsPerSecond) * loop.startup.count
                continuation.finish(throwing: ControlError(.unavailable, "recording stopped: the recording fell "
                    + "\(Self.rawSampleBacklogBatches) batches behind the daemon's \(rate) samples a second"
                    + (settings.simulatedDayStart != nil ? " (a simulation sped up; record at a lower --speed)" : "")))
                rawSubscribers[id] = nil
            }
        }
    }

    private func process(_ report: LoopReport) {
        let previous = lastReport
        lastReport = report
        lateness.add(latenessNanoseconds: report.latenessNanoseconds, wokeAt: report.wokeAtNanoseconds)
        noteSensorHealth(report)
        captureSamples(report)
        calibrateFromScenarioIfDue(report)
        if let dropped = previous.map({ report.sequence &- $0.sequence }), dropped > 1, let t0 = previous?.t {
            buffer.addGap(from: t0, to: report.t, reason: .reportsDropped)
        }
        let contiguous = previous.map { report.sequence &- $0.sequence == 1 && $0.sensors.pelvis.isDelivering } ?? false
        guard let step = report.step else { return }
        if !isReady { becomeReadyIfHealthy(report) }
        // A sample stands for the time since the one before it; the first after start, a
        // gap or dropped reports stands for one period (the gap, recorded, stands for the rest).
        let period = 1 / Double(max(1, loop.configuration.rateHz))
        let dt = contiguous ? lastStep.map { step.t - $0.t } ?? period : period
        let tick = MinuteTick(
            t: step.t, dt: dt, activity: step.activity, angles: step.angles,
            steps: max(0, report.stepCount - lastStepCount), samples: 1,
            overruns: Int(report.overruns &- lastOverruns),
            sensorFaulted: !report.sensors.upperLumbar.isDeliveringOrAbsent)
        lastStepCount = report.stepCount
        lastOverruns = report.overruns
        lastStep = step
        if let minute = aggregator.add(tick) {
            buffer.add(minute)
            minuteClosed = true
            addSlouchPieces(slouchMinutes.settle(
                now: step.t, grace: configuration.policy.slouchRecoveryGrace, gridOrigin: aggregator.gridOrigin))
        }
    }

    private func addSlouchPieces(_ pieces: [MinuteRecord]) {
        for piece in pieces { buffer.add(piece) }
    }

    /// What a step decided, from the event ring (which, unlike the reports, drops nothing).
    private func handleDecisions(of step: EngineStep) {
        if step.activityChanged {
            buffer.add(LogEvent.activity(step.activity, at: step.t))
            logger.info("activity", metadata: ["now": "\(step.activity?.rawValue ?? "unknown")"])
        }
        if let start = step.decision.boutStarted { boutStart = start }
        if step.decision.boutEnded != nil { boutStart = step.decision.boutStarted }
        for event in LogEvent.events(for: step.decision, at: step.t) { buffer.add(event) }
        switch step.decision.slouchChange {
        case .started(let onset)?: slouchMinutes.started(onset: onset)
        case .ended(_, let end)?: addSlouchPieces(slouchMinutes.ended(end: end, gridOrigin: aggregator.gridOrigin))
        case nil: break
        }
        if let reason = step.decision.nudge { deliver(reason, intensity: step.decision.nudgeIntensity, at: step.t) }
        if let suppressed = step.decision.suppressed {
            logger.info("nudge suppressed", metadata: ["reason": "\(suppressed.reason.rawValue)", "cause": "\(suppressed.cause.rawValue)"])
        }
    }

    /// The demo's stand-in for `posturectl calibrate`: the scenario's two poses, captured
    /// before the day (`ScenarioCalibration`) and taken by the loop where the poses end.
    private func calibrateFromScenarioIfDue(_ report: LoopReport) {
        guard let scheduled = settings.scenarioCalibration, !calibrated, report.t >= scheduled.at else { return }
        calibration = scheduled.calibration
        calibrated = true
        buffer.addCalibration(scheduled.calibration, at: buffer.mapping?.wallTime(monotonic: scheduled.at) ?? wallNow())
        logger.notice("calibrated from the scenario's standing and sitting poses", metadata: [
            "sitting_pelvic_tilt": "\(scheduled.calibration.sittingPelvicTilt)",
        ])
    }

    private func deliver(_ reason: NudgeReason, intensity: NudgeIntensity, at t: Double) {
        startNewNudgeDayIfDue(at: t)
        lastNudge = (reason, intensity, t)
        nudgeCounts[reason] += 1
        let played = indicators.nudge(reason, intensity: intensity)
        if settings.nudgesToTerminal {
            let pattern = intensity == .gentle
                ? IndicatorConfiguration.defaultGentlePattern : IndicatorConfiguration.defaultPatterns[reason]
            let gentle = intensity == .gentle ? " (gentle)" : ""
            logger.notice("NUDGE \(reason.rawValue)\(gentle)  [\(Indicators.drawing(pattern))]", metadata: ["at": "\(clockText(t))"])
        } else {
            logger.notice("nudge", metadata: [
                "reason": "\(reason.rawValue)", "intensity": "\(intensity.rawValue)",
                "indicators": "\(played.joined(separator: ", "))",
            ])
        }
    }

    private func becomeReadyIfHealthy(_ report: LoopReport) {
        guard report.sensors.pelvis.isDelivering, report.sensors.upperLumbar.isDeliveringOrAbsent else { return }
        isReady = true
        let sensors = loop.startup.map { "\($0.index): \($0.description)" }.joined(separator: "; ")
        try? notifier.ready(status: "sampling at \(loop.configuration.rateHz) Hz; \(sensors)")
        logger.notice("ready", metadata: [
            "sensors": "\(sensors)", "rate_hz": "\(loop.configuration.rateHz)",
            "pacing": "\(loop.configuration.pacing.rawValue)",
            "calibrated": "\(calibrated)", "day_log": "\(dayLog.path)",
        ])
    }

    private func noteSensorHealth(_ report: LoopReport) {
        for index in 0..<SensorIndex.count {
            let status = report.sensors[index]
            defer { previousHealth[index] = status.health }
            guard status.health != previousHealth[index] else { continue }
            switch status.health {
            case .faulted(let code):
                guard case .faulted = previousHealth[index] else {
                    faultStart[index] = report.t
                    let role = index == SensorIndex.pelvis ? "pelvis" : "upper lumbar"
                    logger.warning("sensor lost", metadata: ["sensor": "\(index) (\(role))", "fault": "\(code)"])
                    buffer.add(LogEvent.sensorFault(sensor: index, message: code.description, at: report.t))
                    try? notifier.status("sensor \(index) lost: \(code)")
                    continue
                }
            case .recovered(let how):
                let since = faultStart[index] ?? report.t
                faultStart[index] = nil
                logger.notice("sensor recovered", metadata: ["sensor": "\(index)", "how": "\(how)", "after_s": "\(report.t - since)"])
                if how == .reopened { noteSensorFound(index) }
                buffer.add(LogEvent.sensorRecovered(sensor: index, at: report.t))
                // Only the pelvis takes the angles and the activity with it: without the upper
                // sensor the minutes go on (no flexion), so its fault is an event, not a gap.
                if index == SensorIndex.pelvis { buffer.addGap(from: since, to: report.t, reason: .sensorLost) }
                try? notifier.status("sampling")
            case .ok, .absent:
                break
            }
        }
    }

    /// A re-detected sensor is named in the log when it is not what was last named there: a
    /// chip that was absent at start-up, or another chip at the address after a replug.
    private func noteSensorFound(_ index: Int) {
        guard let found = loop.sensors.entry(index), found.identity != namedSensors[index] else { return }
        namedSensors[index] = found.identity
        logger.info("sensor", metadata: [
            "sensor": "\(index)", "chip": "\(found.description)", "config": "\(found.configurationSummary ?? "")",
        ])
    }
}

extension SensorStatus {
    /// Delivering, or not configured at all (an absent sensor 1 is not a fault).
    var isDeliveringOrAbsent: Bool { health == .absent || isDelivering }
}

extension Supervisor {
    /// Measures the time since the previous drain; warns (once per new worst) when it came
    /// near the report ring's span, where reports start to be lost.
    func noteDrain() {
        let now = ClockTrust.now().monotonic
        defer { lastDrainMonotonic = now }
        guard let last = lastDrainMonotonic else { return }
        let gap = now - last
        guard gap > longestDrainGapSeconds else { return }
        longestDrainGapSeconds = gap
        let ringSeconds = Double(loop.reports.capacity) / max(1, loop.reportsPerSecond)
        if gap > ringSeconds * 0.75 {
            logger.warning("the supervisor stalled; reports may be lost (nudges are not)", metadata: [
                "stall_s": "\(gap)", "report_ring_s": "\(ringSeconds)",
            ])
        }
    }
}
