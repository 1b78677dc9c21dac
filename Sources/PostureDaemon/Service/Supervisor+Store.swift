import PostureStore

extension Supervisor {
    /// What waits in memory for a day log that cannot be written: a day of minutes (a few
    /// hundred bytes each) and the events of several busy days. Beyond that the oldest minutes
    /// are dropped and a `store_unavailable` gap says so.
    static let heldMinuteLimit = 1_440
    static let heldEventLimit = 20_000

    /// Writes what the buffer holds in one transaction. A write that fails (a full card, a
    /// file system the kernel remounted read-only after an I/O error) rolls back whole: the
    /// batch goes back into the buffer and is retried with the next one, so nothing already
    /// stored is touched and nothing waiting is lost until the memory bound. Sampling and
    /// nudging go on meanwhile. The fault is told once (journal, systemd status, `status`),
    /// its end once, and both are stored as events when writing works again.
    func flush() {
        let batch = buffer.takeBatch()
        guard !batch.isEmpty else { return }
        do {
            try dayLog.append(batch)
            lastWriteMonotonic = ClockTrust.now().monotonic
            if storeFailingSince != nil { noteStoreRecovered(written: batch) }
        } catch {
            buffer.putBack(batch)
            noteStoreFailed(error)
            minutesShed += buffer.shed(keepingAtMost: Self.heldMinuteLimit, eventLimit: Self.heldEventLimit)
        }
    }

    private func noteStoreFailed(_ error: StoreError) {
        storeError = "\(error)"
        guard storeFailingSince == nil else { return }
        storeFailingSince = ClockTrust.now().monotonic
        buffer.add(LogEvent.storeFault(message: "\(error)", at: monotonicNow()))
        logger.error("cannot write the day log; sampling and nudging go on, minutes wait in memory and the write is retried as each one closes", metadata: [
            "error": "\(error)", "memory_keeps_minutes": "\(Self.heldMinuteLimit)",
        ])
        try? notifier.status(sideFaultStatusLine)
    }

    /// systemd's status line from the storage faults in force, the graver first (the day log,
    /// then the metrics file), else the ordinary line: one fault's recovery never hides another.
    var sideFaultStatusLine: String {
        if let storeError { return "day log not writable: \(storeError)" }
        if let metricsError { return "metrics file not writable: \(metricsError)" }
        return "sampling"
    }

    /// The batch that just went out held what waited; its recovery event goes with the next.
    private func noteStoreRecovered(written batch: StoreBatch) {
        let failedFor = ClockTrust.now().monotonic - (storeFailingSince ?? 0)
        let held = batch.minutes.count + batch.undated.minutes.count
        buffer.add(LogEvent.storeRecovered(afterSeconds: failedFor, heldMinutes: held, at: monotonicNow()))
        logger.notice("the day log is writable again", metadata: [
            "failed_for_s": "\(Int(failedFor))", "minutes_written": "\(held)", "minutes_dropped": "\(minutesShed)",
        ])
        storeError = nil
        storeFailingSince = nil
        try? notifier.status(sideFaultStatusLine)
        minutesShed = 0
    }

    func prune() {
        // Goes out with the next minute's batch: one transaction a minute, prune included.
        let days = Double(max(1, configuration.store.retentionDays))
        buffer.prune(before: wallNow() - days * 86_400)
    }

    /// At stop: what could not be written is said, since it is lost with the process.
    func noteUnwrittenAtStop() {
        let unwritten = buffer.heldMinuteCount
        guard storeFailingSince != nil, unwritten > 0 else { return }
        logger.error("stopping with the day log not writable: the minutes waiting in memory are lost", metadata: [
            "minutes_lost": "\(unwritten + minutesShed)", "error": "\(storeError ?? "")",
        ])
    }
}
