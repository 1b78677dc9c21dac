/// Whether the sampling loop deserves a `WATCHDOG=1`: its last report is recent and sensor 0
/// (the pelvis, without which the engine has nothing) is delivering. The supervisor pings
/// systemd only while this says healthy, so a stuck loop gets the daemon restarted.
public struct LoopHealth: Sendable, Equatable {
    public enum Verdict: Sendable, Equatable {
        case healthy
        /// No report yet since start.
        case noReport
        /// The newest report is older than the limit: the loop is stuck or starved.
        case stale(ageSeconds: Double)
        /// The loop runs but sensor 0 is not delivering.
        case pelvisNotDelivering(SensorHealth)

        public var isHealthy: Bool { self == .healthy }

        public var description: String {
            switch self {
            case .healthy: return "healthy"
            case .noReport: return "no report from the sampling loop yet"
            case .stale(let age): return "the sampling loop's last report is \(Int(age * 1000)) ms old"
            case .pelvisNotDelivering(let h):
                if case .faulted(let code) = h { return "sensor 0 (pelvis) is not delivering: \(code)" }
                return "sensor 0 (pelvis) is not delivering"
            }
        }
    }

    /// A report older than this is stale.
    public var maximumReportAgeSeconds: Double

    public init(maximumReportAgeSeconds: Double = 1) {
        self.maximumReportAgeSeconds = maximumReportAgeSeconds
    }

    /// Allows for the loop's pacing: FIFO batches arrive one watermark period apart.
    public init(configuration: LoopConfiguration) {
        let wake = configuration.pacing == .fifo
            ? Double(configuration.fifoWatermarkFrames) / Double(max(1, configuration.rateHz))
            : 1 / Double(max(1, configuration.rateHz))
        self.init(maximumReportAgeSeconds: max(1, 5 * wake))
    }

    public func evaluate(lastReport: LoopReport?, nowNanoseconds: Int64 = MonotonicClock.nowNanoseconds()) -> Verdict {
        guard let report = lastReport else { return .noReport }
        let age = MonotonicClock.seconds(nowNanoseconds - report.wokeAtNanoseconds)
        if age > maximumReportAgeSeconds { return .stale(ageSeconds: age) }
        let pelvis = report.sensors.pelvis
        return pelvis.isDelivering ? .healthy : .pelvisNotDelivering(pelvis.health)
    }
}
