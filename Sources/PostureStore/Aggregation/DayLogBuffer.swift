public import PostureCore

/// The supervisor's queue between the engine (monotonic time) and `DayLog.append` (wall time).
///
/// Minutes, events and gaps go in with monotonic times. While the clock is untrusted they are
/// held; `clockSynced` dates everything held with that mapping, and later additions are dated
/// as they come. `takeBatch()` hands over what is dated, once a minute, for one transaction.
///
/// Held items are bounded (a Pi may run for days without network): past `minuteCapacity`
/// the oldest minutes are dropped and their span becomes one `clock_unsynced_overflow` gap at
/// sync time; past `eventCapacity` the oldest events are dropped and counted.
public struct DayLogBuffer: Sendable {
    public let minuteCapacity: Int
    public let eventCapacity: Int
    public private(set) var mapping: WallClockMapping?
    /// Items lost to the capacity limits while the clock was untrusted.
    public private(set) var droppedMinutes = 0
    public private(set) var droppedEvents = 0

    private var heldMinutes: [MinuteRecord] = []
    private var heldEvents: [LogEvent] = []
    private var heldGaps: [(start: Double, end: Double, reason: GapReason)] = []
    /// Monotonic span of the dropped minutes, reported as a gap once dated.
    private var droppedSpan: (start: Double, end: Double)?
    private var ready = StoreBatch()

    public init(minuteCapacity: Int = 3 * 1440, eventCapacity: Int = 20_000) {
        self.minuteCapacity = Swift.max(1, minuteCapacity)
        self.eventCapacity = Swift.max(1, eventCapacity)
    }

    public var isClockTrusted: Bool { mapping != nil }
    /// Minutes and events waiting for the clock.
    public var heldCount: Int { heldMinutes.count + heldEvents.count + heldGaps.count }

    public mutating func add(_ minute: MinuteRecord) {
        if let mapping { ready.minutes.append(mapping.date(minute)); return }
        if heldMinutes.count >= minuteCapacity {
            let oldest = heldMinutes.removeFirst()
            droppedMinutes += 1
            droppedSpan = (droppedSpan?.start ?? oldest.start, oldest.end)
        }
        heldMinutes.append(minute)
    }

    /// `event.time` is monotonic (as the `LogEvent` constructors make it).
    public mutating func add(_ event: LogEvent) {
        if let mapping { ready.events.append(Self.dated(event, mapping)); return }
        if heldEvents.count >= eventCapacity {
            heldEvents.removeFirst()
            droppedEvents += 1
        }
        heldEvents.append(event)
    }

    /// A gap in monotonic time (sensor lost, reports dropped).
    public mutating func addGap(from start: Double, to end: Double, reason: GapReason) {
        if let mapping {
            ready.gaps.append(LogGap(start: mapping.wallTime(monotonic: start), end: mapping.wallTime(monotonic: end), reason: reason))
            return
        }
        heldGaps.append((start, end, reason))
    }

    /// A gap already in wall-clock time (the `daemon_down` gap from `DayLog.lastRecordedTime`).
    public mutating func addDated(_ gap: LogGap) { ready.gaps.append(gap) }

    /// A calibration taken at wall-clock `time`: stored with the next minute's batch.
    public mutating func addCalibration(_ calibration: Calibration, at time: Double) {
        ready.calibrations.append(TimedCalibration(time: time, calibration: calibration))
    }

    /// The configuration text in force from wall-clock `time` (stored unless unchanged).
    public mutating func addConfiguration(text: String, at time: Double) {
        ready.configurations.append(TimedConfiguration(time: time, text: text))
    }

    /// Retention: the next batch also deletes what is older than `cutoff` (UTC seconds).
    public mutating func prune(before cutoff: Double) {
        ready.pruneBefore = max(ready.pruneBefore ?? cutoff, cutoff)
    }

    /// The clock is trusted from now on: dates everything held. A later call (the clock was
    /// stepped) changes the mapping for what comes after; what was dated stays dated.
    public mutating func clockSynced(_ mapping: WallClockMapping) {
        self.mapping = mapping
        if let span = droppedSpan {
            ready.gaps.append(
                LogGap(start: mapping.wallTime(monotonic: span.start), end: mapping.wallTime(monotonic: span.end), reason: .unsyncedOverflow))
            droppedSpan = nil
        }
        ready.minutes.append(contentsOf: heldMinutes.map(mapping.date))
        ready.events.append(contentsOf: heldEvents.map { Self.dated($0, mapping) })
        ready.gaps.append(contentsOf: heldGaps.map {
            LogGap(start: mapping.wallTime(monotonic: $0.start), end: mapping.wallTime(monotonic: $0.end), reason: $0.reason)
        })
        heldMinutes.removeAll()
        heldEvents.removeAll()
        heldGaps.removeAll()
    }

    /// Everything dated so far, for one `DayLog.append`; the buffer forgets it. If the append
    /// fails, give the batch back with `putBack` so it goes out with the next one.
    public mutating func takeBatch() -> StoreBatch {
        defer { ready = StoreBatch() }
        return ready
    }

    /// Returns a batch whose append failed (rolled back), ahead of anything dated since.
    public mutating func putBack(_ batch: StoreBatch) {
        ready = ready.appended(after: batch)
    }

    private static func dated(_ event: LogEvent, _ mapping: WallClockMapping) -> LogEvent {
        var dated = event
        dated.time = mapping.wallTime(monotonic: event.time)
        return dated
    }
}
