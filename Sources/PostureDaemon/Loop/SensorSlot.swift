/// The loop's bookkeeping for one sensor: health, retry schedule, FIFO timeline.
struct SensorSlot {
    var status: SensorStatus
    var backoff = RetryBackoff()
    var nextHealthCheckNanoseconds: Int64 = 0
    var frameClock = FrameClock()
    /// Engine time of the newest drain that brought frames, or of the first drain since the
    /// sensor (re)started delivering: what the FIFO stall watch measures from.
    var lastFramesTime: Double?
    /// Clipped readings and gyro spikes are kept from the engine (`ReadingScreen`).
    var screen = ReadingScreen()

    init(opened: Bool, code: SensorFaultCode?, now: Int64) {
        status = SensorStatus(health: .ok)
        if !opened { fault(code ?? .notConfigured, now: now) }
    }

    var isFaulted: Bool {
        if case .faulted = status.health { return true }
        return false
    }

    /// A read, drain or check failed at `now`.
    mutating func fault(_ code: SensorFaultCode, now: Int64) {
        if !isFaulted {
            status.faults &+= 1
            status.faultedSinceNanoseconds = now
            backoff.start(now: now)
        } else {
            backoff.failed(now: now)
        }
        status.health = .faulted(code)
        status.lastFault = code
        frameClock.reset()
        lastFramesTime = nil
        screen.forget()
    }

    /// Delivering again (or a reset chip was caught and cured in one go).
    mutating func recovered(_ how: SensorRecovery) {
        status.health = .recovered(how)
        status.recoveries &+= 1
        status.faultedSinceNanoseconds = nil
        lastFramesTime = nil
    }

    /// `recovered` lasts one tick.
    mutating func settle() {
        if case .recovered = status.health { status.health = .ok }
    }
}
