public import PostureConfig
public import PostureCore

/// How the sampling loop runs. Built from `[sampling]` (`init(sampling:)`) or by tests.
public struct LoopConfiguration: Sendable, Equatable {
    public typealias Pacing = SamplingConfiguration.Pacing

    /// Samples per second per sensor.
    public var rateHz: Int
    public var pacing: Pacing
    /// 0: normal scheduling; 1…99: SCHED_FIFO at that priority.
    public var realtimePriority: Int
    /// mlockall(MCL_CURRENT | MCL_FUTURE) before the thread starts.
    public var lockMemory: Bool
    /// FIFO pacing: frames per wake (the chip's watermark). 10 at 100 Hz: 10 wakes a second.
    public var fifoWatermarkFrames: Int
    /// Capacity of the `reports` ring; `nil` sizes it for a quarter second of reports at the
    /// effective rate (× speed in simulation), so a supervisor draining at 20 Hz never drops.
    public var reportCapacity: Int?
    /// How often each sensor's `checkHealth` runs (one sensor per tick, amortised).
    public var healthCheckIntervalSeconds: Double
    /// Data-ready pacing: how long to wait for an edge, in sample periods, before polling.
    public var dataReadyTimeoutPeriods: Double
    /// Simulation: at most this many engine units per wake when catching up.
    public var maximumCatchUpUnits: Int
    /// Stack of the loop thread. Small, because with `lockMemory` all of it is locked.
    public var stackBytes: Int
    /// `--simulate`: what happens at set scenario times, whatever the speed.
    public var simulation: Simulation?

    /// A calibration that takes effect at engine time `at`.
    public struct ScheduledCalibration: Sendable, Equatable {
        public var calibration: Calibration
        public var at: Double

        public init(calibration: Calibration, at: Double) {
            self.calibration = calibration
            self.at = at
        }
    }

    /// A simulated day is the same day at every speed: it ends where the scenario ends, and
    /// its calibration takes effect where the scenario's poses end, both in scenario time.
    public struct Simulation: Sendable, Equatable {
        /// The loop stops before the first unit past this scenario time.
        public var endTime: Double?
        public var calibration: ScheduledCalibration?

        public init(endTime: Double?, calibration: ScheduledCalibration?) {
            self.endTime = endTime
            self.calibration = calibration
        }
    }

    public init(
        rateHz: Int = 100, pacing: Pacing = .fifo, realtimePriority: Int = 0, lockMemory: Bool = false,
        fifoWatermarkFrames: Int = 10, reportCapacity: Int? = nil, healthCheckIntervalSeconds: Double = 1,
        dataReadyTimeoutPeriods: Double = 3, maximumCatchUpUnits: Int = 4096, stackBytes: Int = 1 << 20
    ) {
        self.rateHz = rateHz
        self.pacing = pacing
        self.realtimePriority = realtimePriority
        self.lockMemory = lockMemory
        self.fifoWatermarkFrames = fifoWatermarkFrames
        self.reportCapacity = reportCapacity
        self.healthCheckIntervalSeconds = healthCheckIntervalSeconds
        self.dataReadyTimeoutPeriods = dataReadyTimeoutPeriods
        self.maximumCatchUpUnits = maximumCatchUpUnits
        self.stackBytes = stackBytes
    }

    public init(sampling: SamplingConfiguration) {
        self.init(
            rateHz: sampling.rateHz, pacing: sampling.pacing, realtimePriority: sampling.realtimePriority,
            lockMemory: sampling.lockMemory)
    }

    /// Sample period, nanoseconds.
    var samplePeriodNanoseconds: Int64 { MonotonicClock.nanosecondsPerSecond / Int64(max(1, rateHz)) }
}
