/// Whether the daemon deserves a `WATCHDOG=1`: the sampling loop's last report is recent, and
/// the supervisor, which drained it, is alive to tell. The supervisor pings systemd only while
/// this says healthy, so a stuck loop or supervisor gets the daemon restarted.
///
/// The sensors are deliberately not part of it. A restart cannot mend a cable: with
/// `WatchdogSec=10s` and `Restart=on-failure`, a watchdog that wanted a delivering pelvis
/// sensor turned every fault longer than 10 s into SIGABRT, a restart and a lost minute, over
/// and over. The loop keeps running (and reporting) through a fault, retrying the chip; the
/// fault is told in `status`, the journal and the day log (a `sensor_lost` gap) instead.
public struct LoopHealth: Sendable, Equatable {
    public enum Verdict: Sendable, Equatable {
        case healthy
        /// No report yet since start.
        case noReport
        /// The newest report is older than the limit: the loop is stuck or starved.
        case stale(ageSeconds: Double)

        public var isHealthy: Bool { self == .healthy }

        public var description: String {
            switch self {
            case .healthy: return "healthy"
            case .noReport: return "no report from the sampling loop yet"
            case .stale(let age): return "the sampling loop's last report is \(Int(age * 1000)) ms old"
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
        return age > maximumReportAgeSeconds ? .stale(ageSeconds: age) : .healthy
    }
}
