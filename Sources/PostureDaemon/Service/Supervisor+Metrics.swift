import PostureControl
import PostureStore

extension Supervisor {
    /// node_exporter's textfile collector reads `*.prom` at each scrape. The file is written
    /// with each write of the day log (`run`): when a minute closes, the log's resolution,
    /// so once a minute (faster in simulation, as the minutes are), and at stop.
    static let metricsFileName = "postured.prom"

    var metricsPath: String { configuration.metrics.textfileDirectory + "/" + Self.metricsFileName }

    /// Writes the file atomically (`AtomicFile`: `postured.prom.PID`, fsync, rename). A side
    /// feature: a failure (the directory removed, remounted read-only, full) is told once in
    /// the journal, systemd's status line and `posturectl status`, retried a minute later,
    /// and never touches sampling or nudging.
    func writeMetrics() {
        let text = PrometheusText.render(PosturedMetrics.families(day: todayReport(), status: status()))
        do {
            // 0644 whatever the unit's UMask=0007: node_exporter runs as another user.
            try AtomicFile.replace(metricsPath, with: Array(text.utf8), permissions: 0o644)
            metricsWrittenMonotonic = ClockTrust.now().monotonic
            if let error = metricsError {
                metricsError = nil
                logger.notice("the metrics file is written again", metadata: ["path": "\(metricsPath)", "error_was": "\(error)"])
                try? notifier.status(sideFaultStatusLine)
            }
        } catch {
            let message = "\(metricsPath): \(error)"
            guard metricsError != message else { return }
            metricsError = message
            logger.error(
                "cannot write the metrics file (metrics.textfile_directory); sampling and nudging go on, the write is retried each minute",
                metadata: ["path": "\(metricsPath)", "error": "\(error)"])
            try? notifier.status(sideFaultStatusLine)
        }
    }

    /// Today as `posturectl report` sees it, from what the day log has stored; nil while the
    /// clock is not trusted (no minute is dated yet) or the log cannot be read.
    func todayReport() -> DayReport? {
        guard buffer.isClockTrusted else { return nil }
        let today = LocalTimeZone.system.components(wallNow()).date
        return try? dayLog.report(for: today, in: .system)
    }

    func metricsStatus() -> MetricsStatus? {
        guard configuration.metrics.isEnabled else { return nil }
        return MetricsStatus(
            path: metricsPath,
            lastWriteAgoSeconds: metricsWrittenMonotonic.map { ClockTrust.now().monotonic - $0 },
            error: metricsError)
    }
}
