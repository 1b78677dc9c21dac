/// What happened, as stored in `events.kind`. A struct rather than an enum so a log written by
/// a newer postured (with kinds this build does not know) still reads: unknown kinds are kept.
public struct EventKind: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    public static let nudge = EventKind(rawValue: "nudge")
    public static let nudgeSuppressed = EventKind(rawValue: "nudge_suppressed")
    public static let activity = EventKind(rawValue: "activity")
    public static let slouchStart = EventKind(rawValue: "slouch_start")
    public static let slouchEnd = EventKind(rawValue: "slouch_end")
    public static let boutEnd = EventKind(rawValue: "bout_end")
    public static let calibration = EventKind(rawValue: "calibration")
    public static let snooze = EventKind(rawValue: "snooze")
    public static let resume = EventKind(rawValue: "resume")
    public static let sensorFault = EventKind(rawValue: "sensor_fault")
    public static let sensorRecovered = EventKind(rawValue: "sensor_recovered")
    public static let daemonStart = EventKind(rawValue: "daemon_start")
    public static let daemonStop = EventKind(rawValue: "daemon_stop")
    public static let gap = EventKind(rawValue: "gap")
    public static let clockSynced = EventKind(rawValue: "clock_synced")
    public static let configLoaded = EventKind(rawValue: "config_loaded")
    /// The day log could not be written (a full or read-only file system); stored once it can.
    public static let storeFault = EventKind(rawValue: "store_fault")
    /// Writing works again: what waited in memory went out with this event.
    public static let storeRecovered = EventKind(rawValue: "store_recovered")
    /// The day's fading-feedback level and what it came from (`feedback = "fading"` only).
    public static let feedback = EventKind(rawValue: "feedback")

    /// Every kind this build writes.
    public static let known: [EventKind] = [
        .nudge, .nudgeSuppressed, .activity, .slouchStart, .slouchEnd, .boutEnd, .calibration, .snooze, .resume,
        .sensorFault, .sensorRecovered, .daemonStart, .daemonStop, .gap, .clockSynced, .configLoaded,
        .storeFault, .storeRecovered, .feedback,
    ]

    public var description: String { rawValue }
}

/// One value of an event's `detail` object (flat JSON: no nesting needed).
public enum DetailValue: Sendable, Equatable, Codable {
    case string(String)
    case number(Double)
    case bool(Bool)
    case null

    public var string: String? { if case .string(let s) = self { s } else { nil } }
    public var number: Double? { if case .number(let n) = self { n } else { nil } }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else {
            self = .string(try container.decode(String.self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .string(let s): try container.encode(s)
        case .number(let n): if n.isFinite { try container.encode(n) } else { try container.encodeNil() }
        case .bool(let b): try container.encode(b)
        case .null: try container.encodeNil()
        }
    }
}

/// One row of `events`: a time, a kind and a small JSON object of details.
///
/// Events made by the constructors in `LogEvent+Kinds.swift` carry **monotonic** time until
/// `DayLogBuffer` dates them; events read from the log carry UTC seconds since 1970.
/// Durations and times relative to the event are stored as offsets in seconds (`*_offset_s`),
/// so they stay right whichever clock the event is dated with.
public struct LogEvent: Sendable, Equatable {
    public var time: Double
    public var kind: EventKind
    public var detail: [String: DetailValue]

    public init(time: Double, kind: EventKind, detail: [String: DetailValue] = [:]) {
        self.time = time
        self.kind = kind
        self.detail = detail
    }

    public func number(_ key: String) -> Double? { detail[key]?.number }
    public func string(_ key: String) -> String? { detail[key]?.string }
}
