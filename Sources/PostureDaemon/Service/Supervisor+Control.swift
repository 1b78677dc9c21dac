import PostureConfig
public import PostureControl
public import PostureCore
import PostureStore

/// A calibration pose being captured from the loop's raw samples.
struct PoseCaptureState {
    var capture: PoseCapture
    /// Engine time the capture began and will end (scenario seconds in simulation).
    var start: Double?
    var duration: Double
    var isDone = false
}

extension Supervisor {
    /// Seconds of countdown before each pose is captured, and of capture: twice the still
    /// stretch a pose needs (`PoseCapture.Limits.minimumStillSeconds`), so that settling
    /// into the pose or one shift of weight still leaves enough.
    static let calibrationCountdownSeconds = 3
    static let calibrationCaptureSeconds = 6.0

    func captureSamples(_ report: LoopReport) {
        guard var state = capture, !state.isDone else { return }
        let start = state.start ?? report.t
        state.start = start
        if let s = report.samples.pelvis { state.capture.add(s) }
        if let s = report.samples.upperLumbar { state.capture.add(s) }
        state.isDone = report.t - start >= state.duration
        capture = state
    }

    // MARK: - Status and watch

    func status() -> StatusReport {
        let report = lastReport
        let sensors = loop.startup.map { startup -> PostureControl.SensorStatus in
            let status = report?.sensors[startup.index]
            let identity = loop.sensors.entry(startup.index)?.identity ?? startup.identity
            return PostureControl.SensorStatus(
                index: startup.index, chip: identity.chip, bus: identity.bus,
                address: identity.address.map(Int.init), health: Self.health(status, startupError: startup.error))
        }
        let t = monotonicNow()
        return StatusReport(
            daemonVersion: PosturedVersion.string,
            uptimeSeconds: ClockTrust.now().monotonic - startedMonotonic,
            sensors: sensors,
            sampling: SamplingStatus(
                rateHz: Double(loop.configuration.rateHz), overruns: Int(report?.overruns ?? 0),
                droppedReports: loop.droppedReports, droppedEvents: loop.droppedEvents,
                longestSupervisorStallSeconds: longestDrainGapSeconds,
                latenessLastMinute: lateness.summary(now: MonotonicClock.nowNanoseconds())),  // a stalled loop ages out
            calibrated: calibrated,
            activity: lastStep?.activity,
            angles: lastStep.map { AngleReading($0.angles) },
            slouching: report?.isSlouching ?? false,
            boutSeconds: boutStart.map { t - $0 },
            snoozeRemainingSeconds: snoozedUntil.flatMap { $0 > t ? $0 - t : nil },
            nudgesToday: nudgeCounts,
            lastNudge: lastNudge.map { LastNudge(reason: $0.reason, agoSeconds: t - $0.t, intensity: $0.intensity) },
            store: StoreStatus(
                path: dayLog.path,
                lastWriteAgoSeconds: lastWriteMonotonic.map { ClockTrust.now().monotonic - $0 },
                error: storeError),
            clockTrusted: buffer.isClockTrusted,
            metrics: metricsStatus(),
            feedback: feedbackPlan.map { plan in
                FeedbackStatus(
                    mode: configuration.policy.feedback.mode, level: plan.level.value, basis: plan.basis.rawValue,
                    rate: plan.rate, explanation: plan.description)
            })
    }

    static func health(_ status: SensorStatus?, startupError: String?) -> PostureControl.SensorHealth {
        guard let status else { return .init(state: .faulted, message: startupError) }
        let faults = Int(status.faults)
        switch status.health {
        case .ok: return .init(state: .ok, faults: faults)
        case .absent: return .init(state: .absent)
        case .recovered(let how): return .init(state: .recovering, message: how.description, faults: faults)
        case .faulted(let code): return .init(state: .faulted, code: "\(code)", message: code.description, faults: faults)
        }
    }

    func latestFrame() -> WatchFrame? {
        lastWatchRequest = ClockTrust.now().monotonic
        guard let step = lastStep else { return nil }
        return WatchFrame(
            t: step.t, angles: AngleReading(step.angles), activity: step.activity,
            slouching: lastReport?.isSlouching ?? false, boutSeconds: boutStart.map { step.t - $0 },
            snoozeRemainingSeconds: snoozedUntil.flatMap { $0 > step.t ? $0 - step.t : nil }, calibrated: calibrated)
    }

    // MARK: - Calibration

    func calibrate(progress: @escaping @Sendable (CalibrationProgress) -> Void) async throws(ControlError) -> CalibrationReport {
        guard !calibrating else { throw ControlError(.busy, "a calibration is already running") }
        calibrating = true
        defer {
            calibrating = false
            capture = nil
        }
        let standing = try await capturePose(.standing, progress: progress)
        let sitting = try await capturePose(.sitting, progress: progress)
        let made: Calibration
        do {
            made = try Calibration(
                standing: standing, sitting: sitting,
                pelvisPrior: configuration.mountingPrior(sensor: SensorIndex.pelvis, .undeclared),
                upperLumbarPrior: configuration.mountingPrior(sensor: SensorIndex.upperLumbar, .undeclared))
        } catch {
            progress(CalibrationProgress(phase: error.pose, state: .failed, remainingSeconds: 0, progress: 0, message: "\(error)"))
            throw ControlError(.failed, "calibration failed: \(error); nothing changed, the previous calibration is still in use")
        }
        calibration = made
        calibrated = true
        _ = loop.send(.setCalibration(made, sittingSince: sitting.stillStretch?.start))
        buffer.addCalibration(made, at: wallNow())
        logger.notice("calibrated", metadata: [
            "sitting_pelvic_tilt": "\(made.sittingPelvicTilt)",
            "sitting_lumbar_flexion": "\(made.sittingLumbarFlexion.map { "\($0)" } ?? "null")",
        ])
        for warning in made.warnings { logger.warning("calibration: \(warning)") }
        return CalibrationReport(made, savedTo: dayLog.path)
    }

    private func capturePose(
        _ pose: CalibrationPose, progress: @escaping @Sendable (CalibrationProgress) -> Void
    ) async throws(ControlError) -> CapturedPose {
        let instruction = pose == .standing
            ? "Stand tall and still: feet under the hips, weight even, eyes ahead."
            : "Sit upright and still: feet flat, weight on both sit bones, chest up."
        progress(CalibrationProgress(phase: pose, state: .prompt, remainingSeconds: 0, progress: 0, message: instruction))
        for remaining in stride(from: Self.calibrationCountdownSeconds, to: 0, by: -1) {
            progress(CalibrationProgress(
                phase: pose, state: .countdown, remainingSeconds: Double(remaining), progress: 0, message: "\(remaining)…"))
            try await pause(.seconds(1))
        }
        capture = PoseCaptureState(capture: PoseCapture(pose: pose), duration: Self.calibrationCaptureSeconds)
        while let state = capture, !state.isDone {
            let elapsed = state.start.map { monotonicNow() - $0 } ?? 0
            let fraction = min(1, max(0, elapsed / state.duration))
            progress(CalibrationProgress(
                phase: pose, state: .capturing, remainingSeconds: max(0, state.duration - elapsed), progress: fraction,
                message: "Hold still…"))
            try await pause(.milliseconds(100))
        }
        guard let state = capture else { throw ControlError(.failed, "calibration was interrupted") }
        capture = nil
        let outcome = Self.confirmation(of: state.capture.result(), pose: pose)
        progress(outcome.progress)
        return try outcome.pose.get()
    }

    /// What the wearer is told once a pose has been captured, right away, so that a failed
    /// standing pose stops the calibration before sitting is asked for: captured (how still,
    /// for how long) or failed (why, and what to do).
    static func confirmation(
        of result: Result<CapturedPose, CalibrationError>, pose: CalibrationPose
    ) -> (progress: CalibrationProgress, pose: Result<CapturedPose, ControlError>) {
        switch result {
        case .success(let captured):
            let stillness = captured.stillStretch
            let message = (pose == .standing ? "Standing" : "Sitting") + " pose captured" + (stillness.map { ": \($0.summary)" } ?? "")
            return (
                CalibrationProgress(
                    phase: pose, state: .done, remainingSeconds: 0, progress: 1, message: message,
                    stillness: stillness.map(PoseStillness.init)),
                .success(captured))
        case .failure(let error):
            var stillest: PoseStillness?
            if case .moved(_, let stretch, _) = error { stillest = PoseStillness(stretch) }
            return (
                CalibrationProgress(
                    phase: pose, state: .failed, remainingSeconds: 0, progress: 0, message: "\(error)", stillness: stillest),
                .failure(ControlError(.failed, "\(error); nothing changed, the previous calibration is still in use")))
        }
    }

    /// Sleeps, turning a cancelled client (it disconnected) into a clean failure.
    private func pause(_ duration: Duration) async throws(ControlError) {
        do { try await Task.sleep(for: duration) } catch {
            throw ControlError(.failed, "calibration cancelled; the previous calibration is still in use")
        }
    }

    // MARK: - Snooze, resume, test nudge

    func snooze(seconds: Double?) -> SnoozeResult {
        let duration = seconds ?? configuration.policy.defaultSnoozeDuration
        let until = monotonicNow() + duration
        snoozedUntil = until
        _ = loop.send(.snooze(until: until))
        buffer.add(LogEvent.snooze(seconds: duration, at: monotonicNow()))
        logger.info("snoozed", metadata: ["seconds": "\(duration)"])
        return SnoozeResult(remainingSeconds: duration)
    }

    func resume() -> ResumeResult {
        let wasSnoozed = snoozedUntil.map { $0 > monotonicNow() } ?? false
        snoozedUntil = nil
        _ = loop.send(.resume)
        // Only an ended snooze is in the log: "nudges resumed" when none were held would be untrue.
        if wasSnoozed {
            buffer.add(LogEvent.resume(at: monotonicNow()))
            logger.info("resumed")
        }
        return ResumeResult(wasSnoozed: wasSnoozed)
    }

    func testNudge(reason: NudgeReason?) -> TestNudgeResult {
        let chosen = reason ?? .slouch
        let played = indicators.nudge(chosen)
        logger.info("test nudge", metadata: ["reason": "\(chosen.rawValue)", "indicators": "\(played)"])
        return TestNudgeResult(reason: chosen, indicators: played)
    }

    // MARK: - Reload (SIGHUP or `posturectl reload`)

    /// Re-reads the configuration file; a bad file changes nothing.
    func reload() throws(ControlError) -> ReloadResult {
        try? notifier.reloading()
        defer { try? notifier.ready() }
        let loaded: PostureConfiguration
        switch CheckConfig.load(path: settings.configPath) {
        case .success(let c): loaded = c
        case .failure(let errors):
            let text = CheckConfig.render(errors)
            logger.error("reload refused; keeping the running configuration\n\(text)")
            throw ControlError(.failed, "the new configuration has problems; the running one is kept:\n\(text)")
        }
        var changed: [String] = []
        var warnings: [String] = []
        if loaded.policy != configuration.policy {
            changed.append("policy")
            _ = loop.send(.setPolicy(loaded.policy))
        }
        let feedbackChanged = loaded.policy.feedback != configuration.policy.feedback
        if loaded.log != configuration.log {
            changed.append("log")
            logLevel.set(loaded.log.level)
        }
        if loaded.indicators != configuration.indicators {
            indicators.stop()
            do {
                indicators = try Indicators.open(loaded.indicators, logger: logger)
                changed.append("indicators")
            } catch {
                warnings.append("indicators not changed: \(error)")
                indicators = (try? Indicators.open(configuration.indicators, logger: logger)) ?? .none
            }
        }
        if loaded.metrics != configuration.metrics {
            // Written with the next minute; a fault of the old directory is forgotten, and the
            // old file goes, so node_exporter does not serve frozen figures as current.
            changed.append("metrics")
            if configuration.metrics.isEnabled { AtomicFile.removeIfPresent(metricsPath) }
            if metricsError != nil {
                metricsError = nil
                try? notifier.status(sideFaultStatusLine)
            }
        }
        if loaded.sensors != configuration.sensors || loaded.sampling != configuration.sampling {
            warnings.append("sensor and sampling changes take effect when postured restarts (systemctl restart postured)")
        }
        if loaded.store != configuration.store || loaded.control != configuration.control {
            warnings.append("store and control changes take effect when postured restarts")
        }
        if loaded.button != configuration.button {
            warnings.append("button changes take effect when postured restarts")
        }
        var applied = loaded
        if !warnings.isEmpty {
            // Keep what could not be applied, so status stays truthful.
            applied.sensors = configuration.sensors
            applied.sampling = configuration.sampling
            applied.store = configuration.store
            applied.control = configuration.control
            applied.button = configuration.button
        }
        configuration = applied
        if feedbackChanged { replanFeedback() }
        if case .success(let text) = TextFile.contents(of: settings.configPath) {
            buffer.addConfiguration(text: text, at: wallNow())
        }
        logger.notice("configuration reloaded", metadata: ["changed": "\(changed)", "warnings": "\(warnings)"])
        return ReloadResult(path: settings.configPath, changed: changed, warnings: warnings)
    }

    // MARK: - Raw samples (posturectl record)

    /// Batches a recording may fall behind by (one per drain, 50 ms apart: about 3 s).
    static let rawSampleBacklogBatches = 64

    func rawSamples() -> AsyncThrowingStream<[IMUSample], any Error> {
        let id = nextSubscriberID
        nextSubscriberID += 1
        let (stream, continuation) = AsyncThrowingStream<[IMUSample], any Error>.makeStream(
            bufferingPolicy: .bufferingOldest(Self.rawSampleBacklogBatches))
        continuation.onTermination = { [weak self] _ in
            Task { await self?.removeSubscriber(id) }
        }
        rawSubscribers[id] = continuation
        return stream
    }

    private func removeSubscriber(_ id: Int) { rawSubscribers[id] = nil }
}

/// The control server's view of the daemon: every verb goes to the supervisor actor.
public struct DaemonControl: ControlHandler {
    let supervisor: Supervisor

    public init(supervisor: Supervisor) { self.supervisor = supervisor }

    public func status() async -> StatusReport { await supervisor.status() }
    public func latestFrame() async -> WatchFrame? { await supervisor.latestFrame() }
    public func calibrate(
        progress: @escaping @Sendable (CalibrationProgress) -> Void
    ) async throws(ControlError) -> CalibrationReport {
        try await supervisor.calibrate(progress: progress)
    }
    public func snooze(seconds: Double?) async throws(ControlError) -> SnoozeResult { await supervisor.snooze(seconds: seconds) }
    public func resume() async throws(ControlError) -> ResumeResult { await supervisor.resume() }
    public func testNudge(reason: NudgeReason?) async throws(ControlError) -> TestNudgeResult {
        await supervisor.testNudge(reason: reason)
    }
    public func reload() async throws(ControlError) -> ReloadResult { try await supervisor.reload() }
    public func rawSamples() async throws(ControlError) -> AsyncThrowingStream<[IMUSample], any Error> {
        await supervisor.rawSamples()
    }
}
