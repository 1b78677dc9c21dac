public import PostureCore
/// Why the log has no data for a while.
public struct GapReason: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    /// The daemon was not running (from the last stored time to its start).
    public static let daemonDown = GapReason(rawValue: "daemon_down")
    /// The pelvis sensor was faulted: no angles, no activity.
    public static let sensorLost = GapReason(rawValue: "sensor_lost")
    /// The sampling loop's report ring overflowed, or the loop stalled.
    public static let reportsDropped = GapReason(rawValue: "reports_dropped")
    /// The day log could not be written for longer than the daemon keeps minutes in memory
    /// (`DayLogBuffer.shed`): the oldest waiting minutes were dropped.
    public static let storeUnavailable = GapReason(rawValue: "store_unavailable")
    /// Minutes held while the clock was untrusted were more than the buffer keeps.
    /// Written by postured before 0.10, which held undated minutes in memory up to a limit.
    public static let unsyncedOverflow = GapReason(rawValue: "clock_unsynced_overflow")

    public var description: String { rawValue }
}

/// A stretch of wall-clock time with no data: recorded as such, never filled in.
public struct LogGap: Sendable, Equatable {
    /// UTC seconds since 1970.
    public var start: Double
    public var end: Double
    public var reason: GapReason

    public init(start: Double, end: Double, reason: GapReason) {
        self.start = start
        self.end = Swift.max(start, end)
        self.reason = reason
    }

    public var duration: Double { end - start }

    /// The part inside `range`, or nil if none.
    public func clipped(to range: Range<Double>) -> LogGap? {
        let s = Swift.max(start, range.lowerBound)
        let e = Swift.min(end, range.upperBound)
        return e > s ? LogGap(start: s, end: e, reason: reason) : nil
    }
}

/// What the supervisor writes once a minute, in one transaction: the day log's minutes,
/// events and gaps, any calibration or configuration taken since the last write, and the
/// daily retention cut. SD cards wear out: everything goes in the one transaction.
public struct StoreBatch: Sendable, Equatable {
    public var minutes: [DatedMinute]
    public var events: [LogEvent]
    public var gaps: [LogGap]
    public var calibrations: [TimedCalibration]
    public var configurations: [TimedConfiguration]
    /// Retention: delete what is older than this (UTC seconds), if set.
    public var pruneBefore: Double?
    /// The boot the undated items belong to (and the one `redate` dates).
    public var bootID = ""
    /// Recorded while the clock was untrusted: stored undated, never held in memory only.
    public var undated = UndatedItems()
    /// The clock became trusted in `bootID`: date everything stored undated for it.
    public var redate: WallClockMapping?

    public init(
        minutes: [DatedMinute] = [], events: [LogEvent] = [], gaps: [LogGap] = [],
        calibrations: [TimedCalibration] = [], configurations: [TimedConfiguration] = [], pruneBefore: Double? = nil
    ) {
        self.minutes = minutes
        self.events = events
        self.gaps = gaps
        self.calibrations = calibrations
        self.configurations = configurations
        self.pruneBefore = pruneBefore
    }

    public var isEmpty: Bool {
        minutes.isEmpty && events.isEmpty && gaps.isEmpty && calibrations.isEmpty && configurations.isEmpty
            && pruneBefore == nil && undated.isEmpty && redate == nil
    }

    /// `earlier` followed by `self` (a failed batch put back ahead of what came since).
    public func appended(after earlier: StoreBatch) -> StoreBatch {
        var both = StoreBatch(
            minutes: earlier.minutes + minutes, events: earlier.events + events, gaps: earlier.gaps + gaps,
            calibrations: earlier.calibrations + calibrations, configurations: earlier.configurations + configurations,
            pruneBefore: [earlier.pruneBefore, pruneBefore].compactMap { $0 }.max())
        both.bootID = bootID.isEmpty ? earlier.bootID : bootID
        both.undated = undated.appended(after: earlier.undated)
        both.redate = redate ?? earlier.redate
        return both
    }
}

/// A calibration taken at `time` (UTC seconds).
public struct TimedCalibration: Sendable, Equatable {
    public var time: Double
    public var calibration: Calibration

    public init(time: Double, calibration: Calibration) {
        self.time = time
        self.calibration = calibration
    }
}

/// The configuration text in force from `time` (UTC seconds).
public struct TimedConfiguration: Sendable, Equatable {
    public var time: Double
    public var text: String

    public init(time: Double, text: String) {
        self.time = time
        self.text = text
    }
}
