public import PostureCore

/// The answer to `status`: everything `posturectl status` shows.
public struct StatusReport: Sendable, Equatable, Codable {
    /// The daemon's version string.
    public var daemonVersion: String
    /// Seconds since the daemon started (monotonic).
    public var uptimeSeconds: Double
    public var sensors: [SensorStatus]
    public var sampling: SamplingStatus
    public var calibrated: Bool
    public var activity: Activity?
    public var angles: AngleReading?
    public var slouching: Bool
    /// Seconds of the current sitting bout; `nil` outside a bout.
    public var boutSeconds: Double?
    /// Seconds of snooze left; `nil` when not snoozed.
    public var snoozeRemainingSeconds: Double?
    /// Delivered nudges since local midnight (or since start while the clock is untrusted).
    public var nudgesToday: NudgeCounts
    public var lastNudge: LastNudge?
    public var store: StoreStatus
    /// Whether the wall clock is synchronised (`docs/daemon.md`, "Time").
    public var clockTrusted: Bool
    /// The node_exporter text file (`docs/metrics.md`); absent when `[metrics]` is off.
    public var metrics: MetricsStatus?
    /// The feedback mode and, in fading mode, today's level and why. Absent from daemons before
    /// fading feedback (issue 14).
    public var feedback: FeedbackStatus?

    public init(
        daemonVersion: String, uptimeSeconds: Double, sensors: [SensorStatus], sampling: SamplingStatus,
        calibrated: Bool, activity: Activity?, angles: AngleReading?, slouching: Bool, boutSeconds: Double?,
        snoozeRemainingSeconds: Double?, nudgesToday: NudgeCounts, lastNudge: LastNudge?, store: StoreStatus,
        clockTrusted: Bool, metrics: MetricsStatus? = nil, feedback: FeedbackStatus? = nil
    ) {
        self.daemonVersion = daemonVersion
        self.uptimeSeconds = uptimeSeconds
        self.sensors = sensors
        self.sampling = sampling
        self.calibrated = calibrated
        self.activity = activity
        self.angles = angles
        self.slouching = slouching
        self.boutSeconds = boutSeconds.finiteValue
        self.snoozeRemainingSeconds = snoozeRemainingSeconds.finiteValue
        self.nudgesToday = nudgesToday
        self.lastNudge = lastNudge
        self.store = store
        self.clockTrusted = clockTrusted
        self.metrics = metrics
        self.feedback = feedback
    }

    enum CodingKeys: String, CodingKey {
        case daemonVersion = "daemon_version"
        case uptimeSeconds = "uptime_s"
        case sensors, sampling, calibrated, activity, angles, slouching, store, metrics
        case boutSeconds = "bout_s"
        case snoozeRemainingSeconds = "snooze_remaining_s"
        case nudgesToday = "nudges_today"
        case lastNudge = "last_nudge"
        case clockTrusted = "clock_trusted"
        case feedback
    }
}

/// One configured sensor.
public struct SensorStatus: Sendable, Equatable, Codable {
    /// 0 pelvis, 1 upper lumbar.
    public var index: Int
    /// The detected chip ("MPU-6050", "LSM6DS3", "simulated MPU-6050"); `nil` before detection.
    public var chip: String?
    /// The bus ("/dev/i2c-1", "simulated").
    public var bus: String?
    /// The 7-bit I2C address.
    public var address: Int?
    public var health: SensorHealth

    public init(index: Int, chip: String?, bus: String?, address: Int?, health: SensorHealth) {
        self.index = index
        self.chip = chip
        self.bus = bus
        self.address = address
        self.health = health
    }

    /// "pelvis" or "upper lumbar", for humans.
    public var roleName: String { index == SensorIndex.pelvis ? "pelvis" : index == SensorIndex.upperLumbar ? "upper lumbar" : "sensor \(index)" }
}

/// How a sensor is doing, as the sampling loop last reported it.
public struct SensorHealth: Sendable, Equatable, Codable {
    public enum State: String, Sendable, Codable {
        case ok, faulted, recovering, absent
    }

    public var state: State
    /// A short machine-readable fault code ("nack", "whoami", "stuck"), when faulted.
    public var code: String?
    /// A human sentence about the fault.
    public var message: String?
    /// Faults since start.
    public var faults: Int

    public init(state: State, code: String? = nil, message: String? = nil, faults: Int = 0) {
        self.state = state
        self.code = code
        self.message = message
        self.faults = faults
    }
}

/// The fixed-rate loop's health.
public struct SamplingStatus: Sendable, Equatable, Codable {
    /// The configured sample rate, Hz.
    public var rateHz: Double
    /// Ticks that missed their deadline since start.
    public var overruns: Int
    /// Loop reports dropped because the supervisor fell behind.
    public var droppedReports: Int
    /// Decisions (nudges, activity, slouch and bout changes) lost on their way to the
    /// supervisor: 0 unless it stalled for half an hour. Absent from daemons before 0.10.
    public var droppedEvents: Int?
    /// The longest time between two drains of the loop's reports since start, seconds.
    public var longestSupervisorStallSeconds: Double?
    /// How late the loop woke after its deadlines over the last minute. Absent from daemons
    /// that predate it, and until the first wake.
    public var latenessLastMinute: LatenessSummary?

    public init(
        rateHz: Double, overruns: Int, droppedReports: Int, droppedEvents: Int? = nil,
        longestSupervisorStallSeconds: Double? = nil, latenessLastMinute: LatenessSummary? = nil
    ) {
        self.rateHz = rateHz
        self.overruns = overruns
        self.droppedReports = droppedReports
        self.droppedEvents = droppedEvents
        self.longestSupervisorStallSeconds = longestSupervisorStallSeconds.finiteValue
        self.latenessLastMinute = latenessLastMinute
    }

    enum CodingKeys: String, CodingKey {
        case rateHz = "rate_hz"
        case overruns
        case droppedReports = "dropped_reports"
        case droppedEvents = "dropped_events"
        case longestSupervisorStallSeconds = "longest_supervisor_stall_s"
        case latenessLastMinute = "lateness_last_minute"
    }
}

/// Wake-up lateness of the sampling loop: percentiles (to a quarter octave, never above the
/// maximum) and the exact maximum, microseconds, over `wakes` wakes.
public struct LatenessSummary: Sendable, Equatable, Codable {
    public var p50Microseconds: Double
    public var p99Microseconds: Double
    public var maxMicroseconds: Double
    public var wakes: Int

    public init(p50Microseconds: Double, p99Microseconds: Double, maxMicroseconds: Double, wakes: Int) {
        self.p50Microseconds = p50Microseconds
        self.p99Microseconds = p99Microseconds
        self.maxMicroseconds = maxMicroseconds
        self.wakes = wakes
    }

    enum CodingKeys: String, CodingKey {
        case p50Microseconds = "p50_us"
        case p99Microseconds = "p99_us"
        case maxMicroseconds = "max_us"
        case wakes
    }
}

/// The most recent delivered nudge.
public struct LastNudge: Sendable, Equatable, Codable {
    public var reason: NudgeReason
    /// Seconds ago (monotonic, so valid before the clock is trusted).
    public var agoSeconds: Double
    /// `gentle` or `full`; absent from daemons before fading feedback (then full).
    public var intensity: NudgeIntensity?

    public init(reason: NudgeReason, agoSeconds: Double, intensity: NudgeIntensity? = nil) {
        self.reason = reason
        self.agoSeconds = agoSeconds
        self.intensity = intensity
    }

    enum CodingKeys: String, CodingKey {
        case reason, intensity
        case agoSeconds = "ago_s"
    }
}

/// The day log (`store`).
public typealias StoreStatus = WrittenFileStatus
/// The node_exporter text file (`metrics`, `docs/metrics.md`): a side feature, whose failing
/// writes never stop nudging.
public typealias MetricsStatus = WrittenFileStatus

/// A file the daemon keeps writing.
public struct WrittenFileStatus: Sendable, Equatable, Codable {
    public var path: String
    /// Seconds since the last write (for the day log: the last committed minute); `nil` before the first.
    public var lastWriteAgoSeconds: Double?
    /// The last write error, while writes fail (they are retried each minute).
    public var error: String?

    public init(path: String, lastWriteAgoSeconds: Double?, error: String? = nil) {
        self.path = path
        self.lastWriteAgoSeconds = lastWriteAgoSeconds.finiteValue
        self.error = error
    }

    enum CodingKeys: String, CodingKey {
        case path, error
        case lastWriteAgoSeconds = "last_write_ago_s"
    }
}

/// Feedback as `status` shows it: the mode, and in fading mode the day's level and why.
public struct FeedbackStatus: Sendable, Equatable, Codable {
    public var mode: FeedbackMode
    /// 0 = full feedback; up to `fading_max_level`. Always 0 in constant mode.
    public var level: Int
    /// `FeedbackPlan.Basis`: `constant`, `no_history`, `stepped_up`, `stepped_down`, `held`,
    /// `too_few_nudges`, `no_new_evidence`, `fallback`, `last_known`.
    public var basis: String
    /// The corrected-within-the-window rate the level came from, if any.
    public var rate: Double?
    /// One sentence: the level and why.
    public var explanation: String

    public init(mode: FeedbackMode, level: Int, basis: String, rate: Double?, explanation: String) {
        self.mode = mode
        self.level = level
        self.basis = basis
        self.rate = rate.finiteValue
        self.explanation = explanation
    }
}
