import PostureCore
import PostureHardware

/// One tick of work, independent of how the loop is paced: poll commands, read or drain the
/// sensors (retrying faulted ones on their back-off), run the amortised health check, step
/// the engine, publish reports. The pacing loops in `LoopRunner` call it; tests can call it
/// directly with chosen times, on one thread, to check fault handling deterministically.
///
/// After `init` nothing here allocates, locks, logs or touches the disk on the success path.
/// The exceptions are bounded and documented: a failing driver call builds its error (with
/// strings) inside PostureHardware, and recovery by `open()` re-detects the chip; both run
/// only on the retry schedule.
final class LoopCore {
    private(set) var engine: PostureEngine
    let sources: [any SensorSource]
    private(set) var slots: [SensorSlot]
    let reports: SPSCRing<LoopReport>
    /// The steps that decided something (nudge, activity, slouch, bout): never dropped with a report.
    let events: SPSCRing<EngineStep>
    let commands: SPSCRing<LoopCommand>
    /// Replaced policy configurations, handed back so their storage is freed off this thread.
    let retired: SPSCRing<PolicyConfiguration>
    let configuration: LoopConfiguration
    /// Where a re-detected sensor is published for the supervisor (`nil` in unit tests).
    let directory: SensorDirectory?

    private(set) var overruns: UInt64 = 0
    private(set) var missedEdges: UInt64 = 0
    private(set) var sequence: UInt64 = 0
    private(set) var stopRequested = false
    /// The newest report time published. Under FIFO pacing a report without frames (a fault,
    /// or nothing new) carries the drain time, and the next drain's frames are stamped back
    /// from their own drain time; report times are kept from going back across the two.
    private var lastReportTime = -Double.infinity
    private var localTimeOffset: Double?
    private var scheduledCalibration: LoopConfiguration.ScheduledCalibration?
    private var lastLocalTimeOfDay: Double?
    private var healthCursor = 0
    private let healthIntervalNanoseconds: Int64
    /// Faults older than this fall back to `open()` (reopen the bus, detect) when the cheap
    /// `checkHealth()` fails: the chip may have come back elsewhere or the adapter re-enumerated.
    static let reopenAfterNanoseconds: Int64 = 2_000_000_000

    // FIFO pacing scratch, allocated once. One wake drains at most this many watermarks'
    // worth of frames: after a bus outage the chip may hold seconds of samples, and draining
    // them in one long burst can outlast a bridge's transfer timeout (hid-cp2112 allows
    // 50 ms), which would fault the sensor again at once. Short bursts over a few wakes
    // catch up instead (two watermarks drained per watermark filled).
    static let fifoDrainWatermarks = 2
    static func fifoCapacity(watermarkFrames: Int) -> Int { max(16, fifoDrainWatermarks * watermarkFrames) }
    /// A FIFO drained every watermark can go at most one watermark (plus a late wake) without
    /// frames while the chip converts. Nothing for this many watermarks, and at least
    /// `fifoStallMinimumSeconds`, is a FIFO that stopped: the chip answers, the canaries may
    /// read right, and yet no sample will ever come.
    static let fifoStallWatermarks = 5.0
    static let fifoStallMinimumSeconds = 0.5
    private let fifoStallSeconds: Double
    private let frames: [UnsafeMutableBufferPointer<IMUReading>]
    private let frameTimes: [UnsafeMutableBufferPointer<Double>]
    private var frameCounts: [Int]

    init(
        engine: PostureEngine, sources: [any SensorSource], openErrors: [SensorFaultCode?], configuration: LoopConfiguration,
        reports: SPSCRing<LoopReport>, events: SPSCRing<EngineStep>, commands: SPSCRing<LoopCommand>,
        retired: SPSCRing<PolicyConfiguration>, directory: SensorDirectory? = nil, now: Int64
    ) {
        self.directory = directory
        self.engine = engine
        scheduledCalibration = configuration.simulation?.calibration
        self.sources = sources
        self.configuration = configuration
        self.reports = reports
        self.events = events
        self.commands = commands
        self.retired = retired
        slots = sources.indices.map { i in
            let code = i < openErrors.count ? openErrors[i] : nil
            return SensorSlot(opened: code == nil, code: code, now: now)
        }
        healthIntervalNanoseconds = Int64(max(0.01, configuration.healthCheckIntervalSeconds) * 1e9)
        let fifo = configuration.pacing == .fifo
        let capacity = fifo ? Self.fifoCapacity(watermarkFrames: configuration.fifoWatermarkFrames) : 1
        frames = sources.map { _ in
            let b = UnsafeMutableBufferPointer<IMUReading>.allocate(capacity: capacity)
            b.initialize(repeating: .zero)
            return b
        }
        frameTimes = sources.map { _ in
            let b = UnsafeMutableBufferPointer<Double>.allocate(capacity: capacity)
            b.initialize(repeating: 0)
            return b
        }
        frameCounts = sources.map { _ in 0 }
        fifoStallSeconds = max(
            Self.fifoStallMinimumSeconds,
            Self.fifoStallWatermarks * Double(configuration.fifoWatermarkFrames) / Double(max(1, configuration.rateHz)))
        // Spread the first health checks over the first interval.
        for i in slots.indices {
            slots[i].screen.configure(sources[i].configuration)
            slots[i].nextHealthCheckNanoseconds = now + healthIntervalNanoseconds * Int64(i + 1) / Int64(max(1, slots.count))
        }
    }

    deinit {
        for b in frames { b.deallocate() }
        for b in frameTimes { b.deallocate() }
    }

    func countOverruns(_ n: Int64) { overruns &+= UInt64(max(0, n)) }
    func countMissedEdge() { missedEdges &+= 1 }

    // MARK: commands

    func pollCommands() {
        while let command = commands.pop() {
            switch command {
            case .snooze(let until): engine.snooze(until: until)
            case .resume: engine.resume()
            case .setCalibration(let calibration, let since): engine.setCalibration(calibration, sittingSince: since)
            case .setPolicy(let policy):
                let previous = engine.configuration.policy  // keeps its storage alive past setPolicy
                engine.setPolicy(policy)
                retired.push(previous)  // if that ring is full, it is released here: rare and small
            case .setFeedbackLevel(let level): engine.setFeedbackLevel(level)
            case .setLocalTimeOffset(let offset):
                localTimeOffset = offset
                lastLocalTimeOfDay = nil
            case .stop: stopRequested = true
            }
        }
    }

    func requestStop() { stopRequested = true }

    /// Applies a scheduled calibration once engine time reaches it (before the sample at `t`).
    private func applyScheduledCalibration(at t: Double) {
        guard let scheduled = scheduledCalibration, t >= scheduled.at else { return }
        engine.setCalibration(scheduled.calibration)
        scheduledCalibration = nil
    }

    // MARK: one sample per sensor (timer and data-ready pacing)

    /// Reads every sensor once, stamped `t` (engine seconds), and steps the engine.
    func sampleTick(t: Double, wokeAt now: Int64, lateness: Int64) {
        pollCommands()
        var samples = TickSamples()
        for i in sources.indices {
            slots[i].settle()
            guard ensureDelivering(i, now: now) else { continue }
            do {
                let reading = try sources[i].read()
                if reading.accel == .zero && reading.gyro == .zero {
                    // Exactly zero on all six axes is no physical reading (at rest the accel
                    // reads 1 g): the chip was reset and sleeps with cleared registers. Treat
                    // it as lost now rather than feed the engine a second of free fall
                    // before the periodic check notices; the retry reconfigures it.
                    slots[i].fault(.chipReset, now: now)
                    continue
                }
                guard admit(reading, sensor: i, t: t, now: now) else { continue }
                samples[i] = reading.sample(t: t, sensor: i)
                slots[i].status.samples &+= 1
            } catch {
                slots[i].fault(SensorFaultCode(error), now: now)
            }
        }
        healthCheck(now: now)
        applyScheduledCalibration(at: t)
        if let lumbar = samples.upperLumbar { _ = engine.process(lumbar, localTimeOfDay: nil) }
        var step: EngineStep?
        if let pelvis = samples.pelvis { step = engine.process(pelvis, localTimeOfDay: localTimeOfDay(at: t)) }
        publish(t: t, now: now, lateness: lateness, step: step, samples: samples)
    }

    // MARK: FIFO batches

    /// Drains every sensor's FIFO at `t`, stamps the frames, and steps the engine per pelvis
    /// frame, interleaving upper-lumbar frames by time. One report per pelvis frame, or one
    /// report without a step when sensor 0 gave none (faulted, or nothing new).
    func fifoTick(t: Double, wokeAt now: Int64, lateness: Int64) {
        pollCommands()
        for i in sources.indices {
            slots[i].settle()
            frameCounts[i] = 0
            guard ensureDelivering(i, now: now) else { continue }
            do {
                let drain = try sources[i].drainFIFO(into: frames[i])
                if drain.overflowed {
                    slots[i].status.fifoOverflows &+= 1
                    slots[i].frameClock.reset()
                }
                let period = 1 / (sources[i].configuration?.rateHz ?? Double(configuration.rateHz))
                slots[i].frameClock.stamp(count: drain.frames, drainTime: t, period: period, into: frameTimes[i])
                frameCounts[i] = drain.frames
                slots[i].status.samples &+= UInt64(drain.frames)
                if drain.frames > 0 || slots[i].lastFramesTime == nil {
                    slots[i].lastFramesTime = t
                } else if let since = slots[i].lastFramesTime, t - since > fifoStallSeconds {
                    fifoStopped(i, t: t, now: now)
                }
            } catch {
                slots[i].fault(SensorFaultCode(error), now: now)
            }
        }
        healthCheck(now: now)

        let pelvisCount = frameCounts[0]
        let lumbarCount = sources.count > 1 ? frameCounts[1] : 0
        var j = 0
        for k in 0..<pelvisCount {
            let tk = frameTimes[0][k]
            applyScheduledCalibration(at: tk)
            var samples = TickSamples()
            while j < lumbarCount, frameTimes[1][j] <= tk {
                if admit(frames[1][j], sensor: SensorIndex.upperLumbar, t: frameTimes[1][j], now: now) {
                    let lumbar = frames[1][j].sample(t: frameTimes[1][j], sensor: SensorIndex.upperLumbar)
                    _ = engine.process(lumbar, localTimeOfDay: nil)
                    samples.upperLumbar = lumbar
                }
                j += 1
            }
            guard admit(frames[0][k], sensor: SensorIndex.pelvis, t: tk, now: now) else {
                publish(t: tk, now: now, lateness: lateness, step: nil, samples: samples)
                continue
            }
            let pelvis = frames[0][k].sample(t: tk, sensor: SensorIndex.pelvis)
            samples.pelvis = pelvis
            let step = engine.process(pelvis, localTimeOfDay: localTimeOfDay(at: tk))
            publish(t: tk, now: now, lateness: lateness, step: step, samples: samples)
        }
        var trailing: IMUSample?
        while j < lumbarCount {
            if admit(frames[1][j], sensor: SensorIndex.upperLumbar, t: frameTimes[1][j], now: now) {
                let lumbar = frames[1][j].sample(t: frameTimes[1][j], sensor: SensorIndex.upperLumbar)
                _ = engine.process(lumbar, localTimeOfDay: nil)
                trailing = lumbar
            }
            j += 1
        }
        if pelvisCount == 0 {
            publish(t: t, now: now, lateness: lateness, step: nil, samples: TickSamples(upperLumbar: trailing))
        }
    }

    // MARK: faults

    /// Screens a reading (`ReadingScreen`): false if it is kept from the engine. A sensor
    /// clipped for a second is faulted, and recovers when a reading is back in range.
    private func admit(_ reading: IMUReading, sensor i: Int, t: Double, now: Int64) -> Bool {
        guard !slots[i].isFaulted else { return false }
        switch slots[i].screen.screen(reading, t: t) {
        case .plausible:
            return true
        case .clipped:
            slots[i].status.rejectedSamples &+= 1
            if slots[i].screen.isStuck(at: t) { slots[i].fault(.stuckAtFullScale, now: now) }
            return false
        case .spike:
            slots[i].status.rejectedSamples &+= 1
            return false
        }
    }

    /// A sensor stuck at full scale answers and keeps its configuration: it is back when a
    /// reading is inside the range again (that reading is not delivered: the next one is).
    private func stuckSensorIsBack(_ i: Int, now: Int64) -> Bool {
        var probe = ReadingScreen()
        probe.configure(sources[i].configuration)
        let reading: IMUReading
        do { reading = try sources[i].read() } catch {
            // Rails read the same every time, which the driver calls frozen: still stuck.
            // Anything else (unplugged meanwhile) goes to that fault's own recovery.
            let code = SensorFaultCode(error)
            slots[i].fault(code == .dataFrozen ? .stuckAtFullScale : code, now: now)
            return false
        }
        guard probe.screen(reading, t: 0) != .clipped else {
            slots[i].fault(.stuckAtFullScale, now: now)
            return false
        }
        slots[i].recovered(.resumed)
        slots[i].nextHealthCheckNanoseconds = now + healthIntervalNanoseconds
        return false
    }

    /// True if sensor `i` should be read this tick: healthy, or faulted and found answering
    /// with its configuration intact. A chip that had to be reconfigured (or reopened) is
    /// reported `recovered` but read from the next tick: it has no fresh conversion yet.
    private func ensureDelivering(_ i: Int, now: Int64) -> Bool {
        guard slots[i].isFaulted else { return true }
        guard slots[i].backoff.isDue(now: now) else { return false }
        if slots[i].status.lastFault == .stuckAtFullScale { return stuckSensorIsBack(i, now: now) }
        let source = sources[i]
        var how: SensorRecovery?
        // A stalled FIFO passes the cheap check (the chip answers, the canaries may be
        // intact); only configuring the chip again restarts it.
        if source.configuration != nil, slots[i].status.lastFault != .fifoStalled {
            // Cheap first, on every retry: canaries tell a transient glitch (resume) from a
            // chip that lost power (reconfigure); either way a successful check means it
            // answers again, and re-detecting a chip that answers would only risk the driver.
            do {
                how = SensorRecovery(try source.checkHealth())
            } catch {
                // Young faults wait for the next retry; old ones may be a replugged adapter
                // (a new device) or a chip that came back elsewhere: reopen and detect.
                guard slots[i].backoff.age(now: now) >= Self.reopenAfterNanoseconds else {
                    slots[i].fault(SensorFaultCode(error), now: now)
                    return false
                }
            }
        }
        if how == nil {
            do {
                try source.open()
                how = .reopened
                directory?.update(i, from: source)
            } catch {
                slots[i].fault(error.faultCode, now: now)
                return false
            }
        }
        guard let how else { return false }
        slots[i].recovered(how)
        slots[i].screen.configure(source.configuration)
        slots[i].nextHealthCheckNanoseconds = now + healthIntervalNanoseconds
        return how == .resumed
    }

    /// At most one sensor per tick, each about once per `healthCheckIntervalSeconds`: catches
    /// a brown-out (configuration lost) or frozen conversions the reads alone would not.
    private func healthCheck(now: Int64) {
        for step in 0..<slots.count {
            let i = (healthCursor + step) % slots.count
            guard !slots[i].isFaulted, now >= slots[i].nextHealthCheckNanoseconds else { continue }
            healthCursor = (i + 1) % slots.count
            slots[i].nextHealthCheckNanoseconds = now + healthIntervalNanoseconds
            do {
                noteReconfigured(i, try sources[i].checkHealth())
            } catch {
                slots[i].fault(SensorFaultCode(error), now: now)
            }
            return
        }
    }

    /// A FIFO that stopped filling is most often a chip that lost power: its FIFO is off
    /// after a reset. The canaries tell (the check reconfigures it, and the fault is named
    /// a reset, which it is); with its configuration intact only a reopen restarts it.
    private func fifoStopped(_ i: Int, t: Double, now: Int64) {
        do {
            let health = try sources[i].checkHealth()
            guard health == .healthy else {
                noteReconfigured(i, health)
                slots[i].lastFramesTime = t
                return
            }
        } catch {
            slots[i].fault(SensorFaultCode(error), now: now)
            return
        }
        slots[i].fault(.fifoStalled, now: now)  // recovery reconfigures it (`ensureDelivering`)
    }

    /// Counts a fault the health check found and mended in one go (reset or frozen data).
    private func noteReconfigured(_ i: Int, _ health: HealthStatus) {
        let fault: SensorFaultCode, how: SensorRecovery
        switch health {
        case .healthy: return
        case .reconfiguredAfterReset: (fault, how) = (.chipReset, .reconfiguredAfterReset)
        case .reconfiguredAfterFrozenData: (fault, how) = (.dataFrozen, .reconfiguredAfterFrozenData)
        }
        slots[i].status.faults &+= 1
        slots[i].status.lastFault = fault
        slots[i].recovered(how)
        slots[i].frameClock.reset()
    }

    // MARK: output

    private func localTimeOfDay(at t: Double) -> Double? {
        guard let offset = localTimeOffset else { return nil }
        var x = (t + offset).truncatingRemainder(dividingBy: 86_400)
        if x < 0 { x += 86_400 }
        if let last = lastLocalTimeOfDay, x < last - 43_200 { engine.startNewDay() }  // passed midnight
        lastLocalTimeOfDay = x
        return x
    }

    private func publish(t: Double, now: Int64, lateness: Int64, step: EngineStep?, samples: TickSamples) {
        var sensors = SensorStatusPair()
        sensors.pelvis = slots[0].status
        if slots.count > 1 { sensors.upperLumbar = slots[1].status }
        lastReportTime = max(lastReportTime, t)
        let report = LoopReport(
            sequence: sequence, t: lastReportTime, wokeAtNanoseconds: now, latenessNanoseconds: lateness, step: step,
            isSlouching: engine.isSlouching, samples: samples, sensors: sensors, overruns: overruns,
            missedEdges: missedEdges, stepCount: engine.stepCount, localTimeOfDay: lastLocalTimeOfDay)
        sequence &+= 1
        reports.push(report)
        if let step, step.activityChanged || step.decision != .empty { events.push(step) }
    }
}

extension SensorRecovery {
    init(_ health: HealthStatus) {
        switch health {
        case .healthy: self = .resumed
        case .reconfiguredAfterReset: self = .reconfiguredAfterReset
        case .reconfiguredAfterFrozenData: self = .reconfiguredAfterFrozenData
        }
    }
}
