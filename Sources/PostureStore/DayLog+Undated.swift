/// The undated tables (schema version 2): what was recorded before the wall clock could be
/// trusted, keyed by boot and monotonic time, and its dating once the clock is trusted.
///
/// Before, those minutes waited in the daemon's memory: a Pi with no network never trusts
/// its clock, and a power loss then lost everything since boot (up to three days). Now they
/// are stored as they close, in the minute's transaction like everything else. Dating is one
/// transaction too: every undated row of the boot is dated with the boot's mapping, merged
/// into the dated tables and deleted, so a crash halfway neither loses nor doubles a minute.
/// Rows of a boot that ended before its clock was ever trusted stay undated: nothing can date
/// them (the monotonic clock restarts at boot), and they are never mixed into a wrong day.
extension DayLog {
    private static let undatedMinuteColumns = MinuteColumns.names.dropFirst().joined(separator: ", ")

    func storeUndated(_ items: UndatedItems, bootID: String) throws(StoreError) {
        guard !items.isEmpty else { return }
        let placeholders = Array(repeating: "?", count: MinuteColumns.names.count - 1).joined(separator: ", ")
        for minute in items.minutes {
            let values = Array(MinuteColumns.values(0, minute.data).dropFirst())
            try connection.statement(
                "INSERT INTO undated_minutes (boot_id, start_mono, end_mono, \(Self.undatedMinuteColumns)) VALUES (?, ?, ?, \(placeholders))"
            ).run([.text(bootID), .real(minute.start), .real(minute.end)] + values)
        }
        for event in items.events {
            let detail: String
            do { detail = try JSONCodec.encode(event.detail) } catch {
                throw StoreError(.undecodable, path: path, message: "cannot encode event detail: \(error)", advice: "")
            }
            try connection.statement("INSERT INTO undated_events (boot_id, time_mono, kind, detail) VALUES (?, ?, ?, ?)")
                .run([.text(bootID), .real(event.time), .text(event.kind.rawValue), .text(detail)])
        }
        for gap in items.gaps {
            try connection.statement("INSERT INTO undated_gaps (boot_id, start_mono, end_mono, reason) VALUES (?, ?, ?, ?)")
                .run([.text(bootID), .real(gap.start), .real(gap.end), .text(gap.reason.rawValue)])
        }
    }

    func redateUndated(bootID: String, mapping: WallClockMapping) throws(StoreError) {
        var minutes: [MinuteRecord] = []
        try connection.statement(
            "SELECT 0, \(Self.undatedMinuteColumns), start_mono, end_mono FROM undated_minutes WHERE boot_id = ? ORDER BY start_mono, id"
        ).query([.text(bootID)]) { row in
            let last = Int32(MinuteColumns.names.count)
            minutes.append(MinuteRecord(start: row.double(last), end: row.double(last + 1), data: MinuteColumns.read(row).data))
        }
        var events: [LogEvent] = []
        try connection.statement("SELECT time_mono, kind, detail FROM undated_events WHERE boot_id = ? ORDER BY time_mono, id")
            .query([.text(bootID)]) { row in
                let detail = (try? JSONCodec.decode([String: DetailValue].self, from: row.text(2))) ?? [:]
                events.append(LogEvent(time: mapping.wallTime(monotonic: row.double(0)), kind: EventKind(rawValue: row.text(1)), detail: detail))
            }
        var gaps: [LogGap] = []
        try connection.statement("SELECT start_mono, end_mono, reason FROM undated_gaps WHERE boot_id = ? ORDER BY start_mono, id")
            .query([.text(bootID)]) { row in
                gaps.append(LogGap(
                    start: mapping.wallTime(monotonic: row.double(0)), end: mapping.wallTime(monotonic: row.double(1)),
                    reason: GapReason(rawValue: row.text(2))))
            }
        for minute in minutes { try upsert(mapping.date(minute)) }
        for event in events { try insert(event) }
        for gap in gaps { try insert(gap) }
        for table in ["undated_minutes", "undated_events", "undated_gaps"] {
            try connection.statement("DELETE FROM \(table) WHERE boot_id = ?").run([.text(bootID)])
        }
    }

    /// Undated minutes of boots other than `bootID`: kept, but no clock can date them.
    public func undatedMinuteCount(otherThan bootID: String) throws(StoreError) -> Int {
        var count = 0
        try connection.statement("SELECT count(*) FROM undated_minutes WHERE boot_id <> ?")
            .query([.text(bootID)]) { row in count = row.int(0) }
        return count
    }
}
