import PostureCore
import PostureStore

/// Dating the day log, and keeping local time right while the daemon runs.
extension Supervisor {
    /// Starts dating the log once the wall clock can be trusted.
    func checkClock() {
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
        buffer.clockChanged(to: mapping, closing: &aggregator)
        sendLocalTimeOffsetIfChanged(mapping)
    }

    /// With the log dated: follows a stepped wall clock, a new local offset and local midnight.
    func watchClock() {
        guard var mapping = buffer.mapping else { return }
        if settings.simulatedDayStart == nil {
            let now = ClockTrust.now()
            if let stepped = ClockWatch.steppedMapping(from: mapping, realtime: now.realtime, monotonic: now.monotonic) {
                logger.notice("system clock stepped: dating what follows by the new time", metadata: [
                    "step_s": "\(stepped.offset - mapping.offset)",
                ])
                mapping = stepped
                buffer.add(LogEvent.clockSynced(offset: mapping.offset, at: now.monotonic))
                buffer.clockChanged(to: mapping, closing: &aggregator)
            }
        }
        ClockTrust.reloadTimeZone()
        sendLocalTimeOffsetIfChanged(mapping)
        startNewNudgeDayIfDue(at: monotonicNow())
        planFeedbackIfDue()
    }

    /// The loop's quiet hours and daily cap run on engine time plus this offset.
    private func sendLocalTimeOffsetIfChanged(_ mapping: WallClockMapping) {
        let utcOffset = ClockTrust.utcOffset(at: mapping.wallTime(monotonic: monotonicNow()))
        guard let local = clockWatch.localOffsetToSend(mapping: mapping, utcOffset: utcOffset) else { return }
        if !loop.send(.setLocalTimeOffset(local)) {
            logger.warning("the sampling loop's command queue is full; the new local time goes with the next check")
            clockWatch = ClockWatch()
            return
        }
        logger.info("local time", metadata: ["utc_offset_s": "\(utcOffset)"])
    }

    /// `nudges today` counts from local midnight (from start while the clock is untrusted).
    func startNewNudgeDayIfDue(at t: Double) {
        guard let mapping = buffer.mapping else { return }
        let utcOffset = ClockTrust.utcOffset(at: mapping.wallTime(monotonic: t))
        if clockWatch.isNewNudgeDay(at: t, mapping: mapping, utcOffset: utcOffset) { nudgeCounts = NudgeCounts() }
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
