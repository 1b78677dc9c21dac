public import PostureCore

extension DayLog {
    /// Writes a minute's batch (minutes, events, gaps) in **one** transaction: all of it or,
    /// on any error, none of it, so the caller can keep the batch and retry it later.
    ///
    /// A minute already stored is **merged**, not replaced: times and counts add up, means are
    /// weighted by their samples, extremes widen (`MinuteData.merged`). Two pieces of one
    /// wall-clock minute do happen — the daemon restarting within a minute, or the minute cut
    /// short when the aggregator realigns to the wall clock — and replacing would drop the
    /// first piece. The price: a batch that *committed* must not be appended again (the writer
    /// drops a batch once `append` returns; a batch that threw was rolled back whole, so
    /// retrying it is safe). Gaps are idempotent (unique on start and reason).
    public func append(_ batch: StoreBatch) throws(StoreError) {
        try requireWritable()
        guard !batch.isEmpty else { return }
        try connection.transaction { () throws(StoreError) in
            try storeUndated(batch.undated, bootID: batch.bootID)
            if let mapping = batch.redate { try redateUndated(bootID: batch.bootID, mapping: mapping) }
            for minute in batch.minutes { try upsert(minute) }
            for event in batch.events { try insert(event) }
            for gap in batch.gaps { try insert(gap) }
            for taken in batch.calibrations { try insertCalibration(taken.calibration, at: taken.time) }
            for loaded in batch.configurations { _ = try insertConfiguration(text: loaded.text, at: loaded.time) }
            if let cutoff = batch.pruneBefore { _ = try deleteOlder(than: cutoff) }
        }
    }

    /// Stores a calibration (and a `calibration` event) in one transaction.
    public func saveCalibration(_ calibration: Calibration, at time: Double) throws(StoreError) {
        try requireWritable()
        try connection.transaction { () throws(StoreError) in try insertCalibration(calibration, at: time) }
    }

    private func insertCalibration(_ calibration: Calibration, at time: Double) throws(StoreError) {
        let json: String
        do { json = try JSONCodec.encode(calibration) } catch {
            throw StoreError(.undecodable, path: path, message: "cannot encode the calibration: \(error)", advice: "")
        }
        try connection.statement("INSERT INTO calibrations (time_unix, calibration) VALUES (?, ?)")
            .run([.real(time), .text(json)])
        try insert(LogEvent(time: time, kind: .calibration, detail: ["lumbar_sensor": .bool(calibration.upperLumbar != nil)]))
    }

    /// Stores the configuration text in force (and a `config_loaded` event) unless it is the
    /// same text as the latest stored one. Returns whether it was stored.
    @discardableResult
    public func saveConfiguration(text: String, at time: Double) throws(StoreError) -> Bool {
        try requireWritable()
        return try connection.transaction { () throws(StoreError) -> Bool in try insertConfiguration(text: text, at: time) }
    }

    private func insertConfiguration(text: String, at time: Double) throws(StoreError) -> Bool {
        let digest = SHA256.hex(of: Array(text.utf8))
        var latest: String?
        try connection.statement("SELECT sha256 FROM configurations ORDER BY time_unix DESC, id DESC LIMIT 1")
            .query { row in latest = row.text(0) }
        guard latest != digest else { return false }
        try connection.statement("INSERT INTO configurations (time_unix, sha256, text) VALUES (?, ?, ?)")
            .run([.real(time), .text(digest), .text(text)])
        try insert(LogEvent(time: time, kind: .configLoaded, detail: ["sha256": .string(digest)]))
        return true
    }

    /// What `prune` deleted.
    public struct PruneResult: Sendable, Equatable {
        public var minutes = 0
        public var events = 0
        public var gaps = 0
        public var calibrations = 0
        public var configurations = 0
    }

    /// Retention: deletes everything older than `cutoff` (UTC seconds) in one transaction —
    /// minutes starting before it, events before it, gaps that ended before it — except the
    /// latest calibration and configuration, which stay whatever their age (the daemon needs
    /// its calibration after a long holiday). Freed pages are reused; the file does not shrink.
    @discardableResult
    public func prune(before cutoff: Double) throws(StoreError) -> PruneResult {
        try requireWritable()
        return try connection.transaction { () throws(StoreError) -> PruneResult in try deleteOlder(than: cutoff) }
    }

    private func deleteOlder(than cutoff: Double) throws(StoreError) -> PruneResult {
        var result = PruneResult()
        func delete(_ sql: String) throws(StoreError) -> Int {
            let before = connection.totalChanges
            try connection.statement(sql).run([.real(cutoff)])
            return connection.totalChanges - before
        }
        result.minutes = try delete("DELETE FROM minutes WHERE start_unix < ?")
        result.events = try delete("DELETE FROM events WHERE time_unix < ?")
        result.gaps = try delete("DELETE FROM gaps WHERE end_unix < ?")
        result.calibrations = try delete(
            "DELETE FROM calibrations WHERE time_unix < ? AND id <> (SELECT id FROM calibrations ORDER BY time_unix DESC, id DESC LIMIT 1)")
        result.configurations = try delete(
            "DELETE FROM configurations WHERE time_unix < ? AND id <> (SELECT id FROM configurations ORDER BY time_unix DESC, id DESC LIMIT 1)")
        return result
    }

    /// `prune(before: now − days)`, the daemon's daily retention call.
    @discardableResult
    public func prune(retentionDays days: Int = DayLog.defaultRetentionDays, now: Double) throws(StoreError) -> PruneResult {
        try prune(before: now - Double(max(1, days)) * 86_400)
    }

    // MARK: Rows

    func upsert(_ minute: DatedMinute) throws(StoreError) {
        guard minute.startUnix % 60 == 0 else {
            throw StoreError(
                .sqlite, path: path, message: "minute start \(minute.startUnix) is not on a minute boundary",
                advice: "date minutes with WallClockMapping.date (a bug in the caller)")
        }
        var data = minute.data
        if let stored = try storedMinute(at: minute.startUnix) { data = stored.merged(with: data) }
        try connection.statement(
            "INSERT OR REPLACE INTO minutes (\(MinuteColumns.list)) VALUES (\(MinuteColumns.placeholders))"
        ).run(MinuteColumns.values(minute.startUnix, data))
    }

    private func storedMinute(at start: Int64) throws(StoreError) -> MinuteData? {
        var found: MinuteData?
        try connection.statement("SELECT \(MinuteColumns.list) FROM minutes WHERE start_unix = ?")
            .query([.integer(start)]) { row in found = MinuteColumns.read(row).data }
        return found
    }

    func insert(_ event: LogEvent) throws(StoreError) {
        let detail: String
        do { detail = try JSONCodec.encode(event.detail) } catch {
            throw StoreError(.undecodable, path: path, message: "cannot encode event detail: \(error)", advice: "")
        }
        try connection.statement("INSERT INTO events (time_unix, kind, detail) VALUES (?, ?, ?)")
            .run([.real(event.time), .text(event.kind.rawValue), .text(detail)])
    }

    func insert(_ gap: LogGap) throws(StoreError) {
        let before = connection.totalChanges
        try connection.statement("INSERT OR IGNORE INTO gaps (start_unix, end_unix, reason) VALUES (?, ?, ?)")
            .run([.real(gap.start), .real(gap.end), .text(gap.reason.rawValue)])
        // The timeline event only for a gap not stored before, so re-sending a gap adds nothing.
        if connection.totalChanges > before { try insert(LogEvent.gap(gap)) }
    }
}
