public import PostureCore

extension DayLog {
    /// Minutes starting in `[from, to)` (UTC seconds), oldest first.
    public func minutes(from: Double, to: Double) throws(StoreError) -> [DatedMinute] {
        var minutes: [DatedMinute] = []
        try connection.statement(
            "SELECT \(MinuteColumns.list) FROM minutes WHERE start_unix >= ? AND start_unix < ? ORDER BY start_unix"
        ).query([.real(from), .real(to)]) { row in minutes.append(MinuteColumns.read(row)) }
        return minutes
    }

    /// Events in `[from, to)`, in time order (ties in the order written).
    /// An event whose detail is not valid JSON (written by hand?) is kept with an empty detail.
    public func events(from: Double, to: Double) throws(StoreError) -> [LogEvent] {
        var events: [LogEvent] = []
        try connection.statement(
            "SELECT time_unix, kind, detail FROM events WHERE time_unix >= ? AND time_unix < ? ORDER BY time_unix, id"
        ).query([.real(from), .real(to)]) { row in
            let detail = (try? JSONCodec.decode([String: DetailValue].self, from: row.text(2))) ?? [:]
            events.append(LogEvent(time: row.double(0), kind: EventKind(rawValue: row.text(1)), detail: detail))
        }
        return events
    }

    /// Gaps overlapping `[from, to)`, whole (not clipped), oldest first.
    public func gaps(from: Double, to: Double) throws(StoreError) -> [LogGap] {
        var gaps: [LogGap] = []
        try connection.statement(
            "SELECT start_unix, end_unix, reason FROM gaps WHERE end_unix > ? AND start_unix < ? ORDER BY start_unix"
        ).query([.real(from), .real(to)]) { row in
            gaps.append(LogGap(start: row.double(0), end: row.double(1), reason: GapReason(rawValue: row.text(2))))
        }
        return gaps
    }

    /// The calibration stored last, or nil if none. A stored calibration this build cannot
    /// decode (a newer layout) is an error rather than nil, so the daemon says why it is
    /// asking the wearer to calibrate again.
    public func latestCalibration() throws(StoreError) -> Calibration? {
        try calibration(inForceAt: .greatestFiniteMagnitude)?.calibration
    }

    /// The calibration stored last before `time` (UTC seconds): the one the daemon used then.
    public func calibration(inForceAt time: Double) throws(StoreError) -> TimedCalibration? {
        var found: (Double, String)?
        try connection.statement(
            "SELECT time_unix, calibration FROM calibrations WHERE time_unix < ? ORDER BY time_unix DESC, id DESC LIMIT 1"
        ).query([.real(time)]) { row in found = (row.double(0), row.text(1)) }
        guard let found else { return nil }
        do {
            return TimedCalibration(time: found.0, calibration: try JSONCodec.decode(Calibration.self, from: found.1))
        } catch {
            throw StoreError(
                .undecodable, path: path, message: "the stored calibration of \(found.0) cannot be read: \(error)",
                advice: "calibrate again (posturectl calibrate); the stored one is kept")
        }
    }

    /// The configuration text stored last, with its time and SHA-256 (hex).
    public func latestConfiguration() throws(StoreError) -> (time: Double, sha256: String, text: String)? {
        try configuration(inForceAt: .greatestFiniteMagnitude)
    }

    /// The configuration text stored last before `time` (UTC seconds), with its time and SHA-256.
    public func configuration(inForceAt time: Double) throws(StoreError) -> (time: Double, sha256: String, text: String)? {
        var found: (Double, String, String)?
        try connection.statement(
            "SELECT time_unix, sha256, text FROM configurations WHERE time_unix < ? ORDER BY time_unix DESC, id DESC LIMIT 1"
        ).query([.real(time)]) { row in found = (row.double(0), row.text(1), row.text(2)) }
        return found.map { (time: $0.0, sha256: $0.1, text: $0.2) }
    }

    /// The latest time the log has data for: the end of the last stored minute or the last
    /// event, whichever is later; nil for an empty log. At start-up the daemon records a
    /// `daemon_down` gap from here to its own (dated) start.
    public func lastRecordedTime() throws(StoreError) -> Double? {
        var latest: Double?
        try connection.statement(
            "SELECT max(ifnull((SELECT max(start_unix) + 60 FROM minutes), -1e300), ifnull((SELECT max(time_unix) FROM events), -1e300))"
        ).query { row in
            let value = row.double(0)
            latest = value > -1e299 ? value : nil
        }
        return latest
    }
}
