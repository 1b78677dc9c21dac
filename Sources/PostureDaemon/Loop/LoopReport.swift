public import PostureCore

/// What the sampling thread tells the rest of the daemon after every tick.
///
/// A fixed-size plain value (no strings, arrays or references: `_isPOD` holds, a test checks
/// it), so pushing it through `SPSCRing` copies bytes and never retains, releases or allocates.
public struct LoopReport: Sendable, Equatable {
    /// Report number since start; a gap in the consumer's sequence means reports were dropped.
    public var sequence: UInt64
    /// Engine time of this tick, seconds: CLOCK_MONOTONIC on hardware (the deadline, the
    /// kernel's edge time or a FIFO frame's reconstructed time), scenario time in simulation.
    /// Never less than the previous report's (a step's own time is `step.t`).
    public var t: Double
    /// CLOCK_MONOTONIC nanoseconds at which the loop woke for this tick (for staleness checks).
    public var wokeAtNanoseconds: Int64
    /// How late the wake was: now − deadline (timer), now − edge time (data ready). Diagnostic.
    public var latenessNanoseconds: Int64
    /// The engine's step, `nil` when sensor 0 delivered no sample this tick (a gap: faulted,
    /// or an empty FIFO): nothing is invented.
    public var step: EngineStep?
    public var isSlouching: Bool
    /// The raw samples the engine saw this tick, sensor frame (calibration capture, `record`).
    public var samples: TickSamples
    /// Health of sensor 0 and sensor 1.
    public var sensors: SensorStatusPair
    /// Deadlines missed since start (the loop skipped them rather than drift), plus extra
    /// data-ready edges that arrived before the loop read the previous sample.
    public var overruns: UInt64
    /// Data-ready waits that timed out (the loop then polled the sensors).
    public var missedEdges: UInt64
    /// Walking steps counted by the engine so far.
    public var stepCount: Int
    /// Seconds after local midnight the policy was given, `nil` while the wall clock is not trusted.
    public var localTimeOfDay: Double?
}

/// At most one sample per sensor per tick.
public struct TickSamples: Sendable, Equatable {
    public var pelvis: IMUSample?
    public var upperLumbar: IMUSample?

    public init(pelvis: IMUSample? = nil, upperLumbar: IMUSample? = nil) {
        self.pelvis = pelvis
        self.upperLumbar = upperLumbar
    }

    public subscript(sensor: Int) -> IMUSample? {
        get { sensor == SensorIndex.pelvis ? pelvis : (sensor == SensorIndex.upperLumbar ? upperLumbar : nil) }
        set {
            if sensor == SensorIndex.pelvis { pelvis = newValue } else if sensor == SensorIndex.upperLumbar { upperLumbar = newValue }
        }
    }
}

/// Per-sensor status, fixed size (two sensors at most, per the architecture note).
public struct SensorStatusPair: Sendable, Equatable {
    public var pelvis: SensorStatus
    public var upperLumbar: SensorStatus

    public init(pelvis: SensorStatus = .absent, upperLumbar: SensorStatus = .absent) {
        self.pelvis = pelvis
        self.upperLumbar = upperLumbar
    }

    public subscript(sensor: Int) -> SensorStatus {
        get { sensor == SensorIndex.upperLumbar ? upperLumbar : pelvis }
        set { if sensor == SensorIndex.upperLumbar { upperLumbar = newValue } else { pelvis = newValue } }
    }
}

/// One sensor as the loop sees it. The counters let a consumer that missed reports (ring
/// full) still notice every fault and recovery.
public struct SensorStatus: Sendable, Equatable {
    public var health: SensorHealth
    /// Transitions into `faulted` since start.
    public var faults: UInt32
    /// Recoveries since start (from a fault, or a reset/frozen chip caught by the health check).
    public var recoveries: UInt32
    /// The most recent fault, kept after recovery for status displays.
    public var lastFault: SensorFaultCode?
    /// CLOCK_MONOTONIC nanoseconds at which the current fault began; `nil` when not faulted.
    public var faultedSinceNanoseconds: Int64?
    /// FIFO overflows (samples lost inside the chip) since start.
    public var fifoOverflows: UInt32
    /// Samples delivered to the engine since start.
    public var samples: UInt64
    /// Readings kept from the engine since start: clipped at full scale, or gyro spikes (`ReadingScreen`).
    public var rejectedSamples: UInt64

    public static let absent = SensorStatus(health: .absent)

    public init(health: SensorHealth) {
        self.health = health
        faults = 0
        recoveries = 0
        lastFault = nil
        faultedSinceNanoseconds = nil
        fifoOverflows = 0
        samples = 0
        rejectedSamples = 0
    }

    public var isDelivering: Bool {
        switch health {
        case .ok, .recovered: true
        case .absent, .faulted: false
        }
    }
}

public enum SensorHealth: Sendable, Equatable {
    /// No sensor configured at this index.
    case absent
    case ok
    /// Not delivering; retried on the back-off schedule.
    case faulted(SensorFaultCode)
    /// Delivering again as of this tick (the next tick says `ok`).
    case recovered(SensorRecovery)
}

/// Why a sensor stopped delivering: the error's kind, without its text (fixed size). The
/// loop's start-up result and the source's description give the human detail.
public enum SensorFaultCode: UInt8, Sendable, Equatable, CaseIterable, CustomStringConvertible {
    case noAcknowledge, timeout, ioError, busNotFound, permissionDenied
    case noChipFound, unknownChip, chipMismatch
    case dataFrozen, chipReset, configurationNotApplied, notConfigured, invalidSettings, selfTestFailed
    case dataReadyLine
    /// Under FIFO pacing the chip answers but its FIFO has stopped filling (FIFO enable
    /// cleared, e.g. by a brown-out that left the canaries alone).
    case fifoStalled
    /// Clipped at full scale on an axis for a second without a break: no body does that.
    case stuckAtFullScale

    public var description: String {
        switch self {
        case .noAcknowledge: "no acknowledge (disconnected or unpowered?)"
        case .timeout: "bus timeout"
        case .ioError: "bus I/O error"
        case .busNotFound: "I2C bus not found"
        case .permissionDenied: "permission denied on the I2C bus"
        case .noChipFound: "no IMU found at the configured addresses"
        case .unknownChip: "unknown chip identity"
        case .chipMismatch: "a different chip than configured"
        case .dataFrozen: "data frozen"
        case .chipReset: "chip reset (brown-out?)"
        case .configurationNotApplied: "configuration did not stick"
        case .notConfigured: "not configured"
        case .invalidSettings: "invalid settings"
        case .selfTestFailed: "self-test failed"
        case .dataReadyLine: "data-ready line error"
        case .fifoStalled: "FIFO stopped filling"
        case .stuckAtFullScale: "readings stuck at full scale"
        }
    }
}

/// How a sensor came back.
public enum SensorRecovery: UInt8, Sendable, Equatable, CustomStringConvertible {
    /// It answers again with its configuration intact (a transient bus fault).
    case resumed
    /// It had lost its configuration (brown-out, reconnect) and was reconfigured.
    case reconfiguredAfterReset
    /// Its data had frozen; it was reset and reconfigured.
    case reconfiguredAfterFrozenData
    /// The bus was reopened and the chip detected and configured again.
    case reopened

    public var description: String {
        switch self {
        case .resumed: "resumed"
        case .reconfiguredAfterReset: "reconfigured after a reset"
        case .reconfiguredAfterFrozenData: "reset and reconfigured after frozen data"
        case .reopened: "reopened and reconfigured"
        }
    }
}
