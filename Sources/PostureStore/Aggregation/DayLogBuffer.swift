public import PostureCore

/// The supervisor's queue between the engine (monotonic time) and `DayLog.append` (wall time).
///
/// Minutes, events and gaps go in with monotonic times. Once the clock is trusted they are
/// dated as they come; before that they go out undated (`StoreBatch.undated`, stored with
/// the boot they belong to), and `clockSynced` dates what is still here and has the log
/// date what it stored for this boot (`StoreBatch.redate`), in the next transaction.
/// `takeBatch()` hands over everything, once a minute, for one transaction. Nothing waits in
/// memory for the clock: a Pi that never synchronises still keeps every minute on disk.
public struct DayLogBuffer: Sendable {
    /// The boot the monotonic times belong to (`/proc/sys/kernel/random/boot_id`).
    public let bootID: String
    public private(set) var mapping: WallClockMapping?
    private var ready = StoreBatch()

    public init(bootID: String = "") {
        self.bootID = bootID
        ready.bootID = bootID
    }

    public var isClockTrusted: Bool { mapping != nil }
    /// Undated minutes, events and gaps waiting for the next batch.
    public var heldCount: Int { ready.undated.minutes.count + ready.undated.events.count + ready.undated.gaps.count }

    public mutating func add(_ minute: MinuteRecord) {
        if let mapping { ready.minutes.append(mapping.date(minute)) } else { ready.undated.minutes.append(minute) }
    }

    /// `event.time` is monotonic (as the `LogEvent` constructors make it).
    public mutating func add(_ event: LogEvent) {
        if let mapping { ready.events.append(Self.dated(event, mapping)) } else { ready.undated.events.append(event) }
    }

    /// A gap in monotonic time (sensor lost, reports dropped).
    public mutating func addGap(from start: Double, to end: Double, reason: GapReason) {
        if let mapping {
            ready.gaps.append(LogGap(start: mapping.wallTime(monotonic: start), end: mapping.wallTime(monotonic: end), reason: reason))
        } else {
            ready.undated.gaps.append(MonotonicGap(start: start, end: end, reason: reason))
        }
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

    /// The clock is trusted from now on: dates what is here, and has the next batch date what
    /// was stored undated in this boot. A later call (the clock was stepped) changes the
    /// mapping for what comes after; what was dated stays dated.
    public mutating func clockSynced(_ mapping: WallClockMapping) {
        defer { self.mapping = mapping }
        guard self.mapping == nil else { return }
        let waiting = ready.undated
        ready.undated = UndatedItems()
        ready.redate = mapping
        ready.minutes.append(contentsOf: waiting.minutes.map(mapping.date))
        ready.events.append(contentsOf: waiting.events.map { Self.dated($0, mapping) })
        ready.gaps.append(contentsOf: waiting.gaps.map {
            LogGap(start: mapping.wallTime(monotonic: $0.start), end: mapping.wallTime(monotonic: $0.end), reason: $0.reason)
        })
    }

    /// The clock became trusted, or a trusted clock was stepped: the minute `aggregator` has
    /// open is closed where its data ends and dated by the clock it was observed on (before the
    /// first sync that is `mapping` too, with the rest of the boot), what follows is dated by
    /// `mapping`, and the minute grid moves to its wall minutes.
    public mutating func clockChanged(to mapping: WallClockMapping, closing aggregator: inout MinuteAggregator) {
        if let minute = aggregator.align(gridOrigin: mapping.minuteGridOrigin) { add(minute) }
        clockSynced(mapping)
    }

    /// Everything so far, for one `DayLog.append`; the buffer forgets it. If the append
    /// fails, give the batch back with `putBack` so it goes out with the next one.
    public mutating func takeBatch() -> StoreBatch {
        defer {
            ready = StoreBatch()
            ready.bootID = bootID
        }
        return ready
    }

    /// Returns a batch whose append failed (rolled back), ahead of anything since. Its undated
    /// items stay undated: stored before any `redate` of the merged batch, they are dated by it.
    public mutating func putBack(_ batch: StoreBatch) {
        ready = ready.appended(after: batch)
    }

    /// Minutes waiting for the next batch, dated or not.
    public var heldMinuteCount: Int { ready.minutes.count + ready.undated.minutes.count }

    /// Bounds what waits for a store that keeps failing (a full card, a file system the kernel
    /// made read-only): beyond `limit` minutes the oldest are dropped, and the time they
    /// covered becomes a `store_unavailable` gap that goes out with the rest once writing
    /// works, so memory stays bounded and the log says what it lacks. Events (nudges and the
    /// like: a few hundred a day) beyond `eventLimit` are dropped oldest first. Returns the
    /// number of minutes dropped.
    @discardableResult
    public mutating func shed(keepingAtMost limit: Int, eventLimit: Int) -> Int {
        var excess = heldMinuteCount - max(0, limit)
        let dropped = max(0, excess)
        // Undated minutes are the older ones: once the clock is trusted, new minutes are dated.
        if excess > 0, !ready.undated.minutes.isEmpty {
            let cut = min(excess, ready.undated.minutes.count)
            let gone = ready.undated.minutes.prefix(cut)
            if let first = gone.first, let last = gone.last {
                Self.extend(&ready.undated.gaps, MonotonicGap(start: first.start, end: last.end, reason: .storeUnavailable))
            }
            ready.undated.minutes.removeFirst(cut)
            excess -= cut
        }
        if excess > 0 {
            let gone = ready.minutes.prefix(excess)
            if let first = gone.first, let last = gone.last {
                let gap = LogGap(start: Double(first.startUnix), end: Double(last.startUnix) + 60, reason: .storeUnavailable)
                if let i = ready.gaps.lastIndex(where: { $0.reason == .storeUnavailable }), ready.gaps[i].end >= gap.start {
                    ready.gaps[i].end = max(ready.gaps[i].end, gap.end)
                } else {
                    ready.gaps.append(gap)
                }
            }
            ready.minutes.removeFirst(excess)
        }
        if ready.events.count > eventLimit { ready.events.removeFirst(ready.events.count - eventLimit) }
        if ready.undated.events.count > eventLimit { ready.undated.events.removeFirst(ready.undated.events.count - eventLimit) }
        return dropped
    }

    /// One gap for a run of shed minutes, not one a minute: the gap unique on (start, reason)
    /// grows while the store stays unavailable.
    private static func extend(_ gaps: inout [MonotonicGap], _ gap: MonotonicGap) {
        if let i = gaps.lastIndex(where: { $0.reason == .storeUnavailable }), gaps[i].end >= gap.start - 1 {
            gaps[i].end = max(gaps[i].end, gap.end)
        } else {
            gaps.append(gap)
        }
    }

    private static func dated(_ event: LogEvent, _ mapping: WallClockMapping) -> LogEvent {
        var dated = event
        dated.time = mapping.wallTime(monotonic: event.time)
        return dated
    }
}
