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
    static let flushIntervalSeconds = 60.0
    /// How often an untrusted clock is checked for synchronisation.
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
        /// `--simulate` without a stored calibration: the scenario's standing and sitting
        /// windows (scenario seconds), captured as `posturectl calibrate` would.
        public var scenarioCalibrationWindows: (standing: ClosedRange<Double>, sitting: ClosedRange<Double>)?
        /// `--simulate`: the scenario's length; the daemon stops when the simulated day is over.
        public var scenarioDuration: Double?

        public init(
            configPath: String, socketPath: String, simulatedDayStart: Double?, nudgesToTerminal: Bool,
            scenarioCalibrationWindows: (standing: ClosedRange<Double>, sitting: ClosedRange<Double>)? = nil,
            scenarioDuration: Double? = nil
        ) {
            self.scenarioDuration = scenarioDuration
            self.configPath = configPath
            self.socketPath = socketPath
            self.simulatedDayStart = simulatedDayStart
            self.nudgesToTerminal = nudgesToTerminal
            self.scenarioCalibrationWindows = scenarioCalibrationWindows
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
    var buffer = DayLogBuffer()
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
    var lastNudge: (reason: NudgeReason, t: Double)?
    var nudgeCounts = NudgeCounts()
    var snoozedUntil: Double?
    var capture: PoseCaptureState?
    var scenarioCapture: (standing: PoseCapture, sitting: PoseCapture)?
    var rawSubscribers: [Int: AsyncStream<[IMUSample]>.Continuation] = [:]
    var nextSubscriberID = 0
    var lastWriteMonotonic: Double?
    /// When a watch client last asked for a frame (monotonic seconds).
    var lastWatchRequest: Double?
    var storeError: String?
    let startedMonotonic: Double

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
        if settings.scenarioCalibrationWindows != nil, !calibrated {
            scenarioCapture = (PoseCapture(pose: .standing), PoseCapture(pose: .sitting))
        }
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
            if !buffer.isClockTrusted, now >= nextClockCheck {
                nextClockCheck = now + Self.clockCheckIntervalSeconds
                checkClock()
            }
            if now >= nextFlush {
                nextFlush = now + Self.flushIntervalSeconds
                flush()
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
    var isScenarioOver: Bool {
        guard let end = settings.scenarioDuration, let t = lastReport?.t else { return false }
        return t >= end
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
    }

    /// Stops the loop, stores the last (partial) minute and the stop event, releases the lines.
    private func stop(reason: String) {
        try? notifier.stopping()
        loop.stop()
        drain()
        if let minute = aggregator.close() { buffer.add(minute) }
        if let start = boutStart, let t = lastStep?.t {
            buffer.add(LogEvent.boutEnded(SittingBout(start: start, duration: t - start), at: t))
        }
        buffer.add(LogEvent.daemonStop(reason: reason, at: lastStep?.t ?? monotonicNow()))
        flush()
        indicators.stop()
        for continuation in rawSubscribers.values { continuation.finish() }
        rawSubscribers.removeAll()
        logger.notice("stopped", metadata: ["reason": "\(reason)", "day_log": "\(dayLog.path)"])
    }

    // MARK: - Reports

    func drain() {
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
            for continuation in rawSubscribers.values { continuation.yield(samples) }
        }
    }

    private func process(_ report: LoopReport) {
        let previous = lastReport
        lastReport = report
        noteSensorHealth(report)
        captureSamples(report)
        calibrateFromScenarioIfDue(report)
        if let dropped = previous.map({ report.sequence &- $0.sequence }), dropped > 1, let t0 = previous?.t {
            buffer.addGap(from: t0, to: report.t, reason: .reportsDropped)
        }
        guard let step = report.step else { return }
        if !isReady { becomeReadyIfHealthy(report) }
        let dt = lastStep.map { step.t - $0.t } ?? 0
        let tick = MinuteTick(
            t: step.t, dt: dt, activity: step.activity, isSlouching: report.isSlouching, angles: step.angles,
            steps: max(0, report.stepCount - lastStepCount), samples: 1,
            overruns: Int(report.overruns &- lastOverruns),
            sensorFaulted: !report.sensors.upperLumbar.isDeliveringOrAbsent)
        lastStepCount = report.stepCount
        lastOverruns = report.overruns
        lastStep = step
        if let minute = aggregator.add(tick) { buffer.add(minute) }

        if step.activityChanged {
            buffer.add(LogEvent.activity(step.activity, at: step.t))
            logger.info("activity", metadata: ["now": "\(step.activity?.rawValue ?? "unknown")"])
        }
        if let start = step.decision.boutStarted { boutStart = start }
        if step.decision.boutEnded != nil { boutStart = step.decision.boutStarted }
        for event in LogEvent.events(for: step.decision, at: step.t) { buffer.add(event) }
        if let reason = step.decision.nudge { deliver(reason, at: step.t) }
        if let suppressed = step.decision.suppressed {
            logger.info("nudge suppressed", metadata: ["reason": "\(suppressed.reason.rawValue)", "cause": "\(suppressed.cause.rawValue)"])
        }
    }

    /// The demo's stand-in for `posturectl calibrate`: the scenario starts with the two poses.
    private func calibrateFromScenarioIfDue(_ report: LoopReport) {
        guard var poses = scenarioCapture, let windows = settings.scenarioCalibrationWindows else { return }
        for sample in [report.samples.pelvis, report.samples.upperLumbar].compactMap({ $0 }) {
            if windows.standing.contains(sample.t) { poses.standing.add(sample) }
            if windows.sitting.contains(sample.t) { poses.sitting.add(sample) }
        }
        scenarioCapture = poses
        guard report.t > max(windows.standing.upperBound, windows.sitting.upperBound) else { return }
        scenarioCapture = nil
        do {
            let made = try Calibration(standing: poses.standing.result().get(), sitting: poses.sitting.result().get())
            calibration = made
            calibrated = true
            _ = loop.send(.setCalibration(made))
            buffer.addCalibration(made, at: wallNow())
            logger.notice("calibrated from the scenario's standing and sitting poses", metadata: [
                "sitting_pelvic_tilt": "\(made.sittingPelvicTilt)",
            ])
        } catch {
            logger.error("scenario calibration failed: \(error)")
        }
    }

    private func deliver(_ reason: NudgeReason, at t: Double) {
        lastNudge = (reason, t)
        nudgeCounts[reason] += 1
        let played = indicators.nudge(reason)
        if settings.nudgesToTerminal {
            let drawing = Indicators.drawing(IndicatorConfiguration.defaultPatterns[reason])
            logger.notice("NUDGE \(reason.rawValue)  [\(drawing)]", metadata: ["at": "\(clockText(t))"])
        } else {
            logger.notice("nudge", metadata: ["reason": "\(reason.rawValue)", "indicators": "\(played.joined(separator: ", "))"])
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
                buffer.addGap(from: since, to: report.t, reason: .sensorLost)
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

    // MARK: - Day log

    func flush() {
        let batch = buffer.takeBatch()
        guard !batch.isEmpty else { return }
        do {
            try dayLog.append(batch)
            lastWriteMonotonic = ClockTrust.now().monotonic
            storeError = nil
        } catch {
            buffer.putBack(batch)
            storeError = "\(error)"
            logger.error("cannot write the day log; keeping the data in memory and retrying in a minute", metadata: ["error": "\(error)"])
        }
    }

    private func prune() {
        // Goes out with the next minute's batch: one transaction a minute, prune included.
        let days = Double(max(1, configuration.store.retentionDays))
        buffer.prune(before: wallNow() - days * 86_400)
    }

    /// Starts dating the log once the wall clock can be trusted.
    private func checkClock() {
        guard !buffer.isClockTrusted else { return }
        let mapping: WallClockMapping
        if let dayStart = settings.simulatedDayStart {
            mapping = WallClockMapping(offset: dayStart)
        } else {
            guard ClockTrust.isSystemClockSynchronized() else { return }
            let now = ClockTrust.now()
            mapping = WallClockMapping(realtime: now.realtime, monotonic: now.monotonic)
            buffer.add(LogEvent.clockSynced(offset: mapping.offset, at: now.monotonic))
            logger.info("system clock synchronised: dating the day log")
        }
        buffer.clockSynced(mapping)
        aggregator.align(gridOrigin: mapping.minuteGridOrigin)
        let local = mapping.offset + ClockTrust.utcOffset(at: mapping.wallTime(monotonic: lastStep?.t ?? 0))
        _ = loop.send(.setLocalTimeOffset(local))
    }

    // MARK: - Time helpers

    /// The engine's time now (scenario time in simulation, which starts at 0).
    func monotonicNow() -> Double {
        lastReport?.t ?? (settings.simulatedDayStart != nil ? 0 : ClockTrust.now().monotonic)
    }

    func wallNow() -> Double {
        if let mapping = buffer.mapping { return mapping.wallTime(monotonic: monotonicNow()) }
        return ClockTrust.now().realtime
    }

    func clockText(_ t: Double) -> String {
        guard let mapping = buffer.mapping else { return String(t) }
        let local = mapping.wallTime(monotonic: t) + ClockTrust.utcOffset(at: mapping.wallTime(monotonic: t))
        let seconds = Int(local.rounded(.down)) % 86_400
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "\(two(seconds / 3600)):\(two(seconds / 60 % 60)):\(two(seconds % 60))"
    }
}

extension SensorStatus {
    /// Delivering, or not configured at all (an absent sensor 1 is not a fault).
    var isDeliveringOrAbsent: Bool { health == .absent || isDelivering }
}
