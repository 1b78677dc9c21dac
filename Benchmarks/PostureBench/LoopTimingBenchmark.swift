import Foundation

/// Row 6 (issue 13): the daemon's sampling loop at 100 Hz and 1 kHz, timer and FIFO pacing, on
/// the simulated chips (`postured --simulate workday --speed 1`), for a window each: wake-up
/// lateness p50, p99 and maximum from `status` (its last minute), and missed periods
/// (overruns); beside `cyclictest` (Debian `rt-tests`) at the same period and priority over the
/// same window, the least a timer loop on this kernel can do.
///
/// Each daemon runs 5 s longer than its window, so that at 60 s the window (the status's last
/// minute) leaves the start-up out; shorter windows include it.
/// Environment: POSTURED_BENCH_TIMING_SECONDS (each window, default 60, at most 60: `status`
/// keeps a minute), POSTURED_BENCH_RT_PRIORITY (default 0: SCHED_OTHER, the shipped default;
/// 1–99: SCHED_FIFO for both, as `realtime_priority` and `cyclictest -p`).
func runLoopTimingBenchmark() throws {
    let seconds = min(60, ProcessInfo.processInfo.environment["POSTURED_BENCH_TIMING_SECONDS"].flatMap { Double($0) } ?? 60)
    let priority = ProcessInfo.processInfo.environment["POSTURED_BENCH_RT_PRIORITY"].flatMap { Int($0) } ?? 0
    let bin = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent().path
    let postured = bin + "/postured"
    guard FileManager.default.isExecutableFile(atPath: postured) else {
        print("loop timing: skipped: no postured next to PostureBench (swift build -c release --product postured)")
        return
    }
    guard let shipped = try? String(contentsOfFile: "config/postured.toml", encoding: .utf8) else {
        print("loop timing: skipped: run from the repository root (config/postured.toml)")
        return
    }
    let work = NSTemporaryDirectory() + "postured-loop-timing-\(getpid())"
    try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: work) }
    // posturectl is postured called by that name.
    try? FileManager.default.createSymbolicLink(atPath: work + "/posturectl", withDestinationPath: postured)
    let cyclictest = ["/usr/bin/cyclictest", "/usr/sbin/cyclictest"].first { FileManager.default.isExecutableFile(atPath: $0) }

    print("loop timing: \(Int(seconds)) s a run, priority \(priority == 0 ? "SCHED_OTHER" : "SCHED_FIFO \(priority)"), 2 simulated sensors")
    for rate in [100, 1000] {
        let periodMicroseconds = 1_000_000 / rate
        for pacing in ["timer", "fifo"] {
            let config = shipped
                .replacingOccurrences(of: "rate_hz = 100", with: "rate_hz = \(rate)")
                .replacingOccurrences(of: "pacing = \"fifo\"", with: "pacing = \"\(pacing)\"")
                .replacingOccurrences(of: "realtime_priority = 0", with: "realtime_priority = \(priority)")
            let run = work + "/\(rate)-\(pacing)"
            try FileManager.default.createDirectory(atPath: run + "/state", withIntermediateDirectories: true)
            try FileManager.default.createDirectory(atPath: run + "/runtime", withIntermediateDirectories: true)
            try config.write(toFile: run + "/postured.toml", atomically: false, encoding: .utf8)
            let daemon = Process()
            daemon.executableURL = URL(fileURLWithPath: postured)
            daemon.arguments = ["--config", run + "/postured.toml", "--simulate", "workday", "--speed", "1",
                                "--state-dir", run + "/state", "--runtime-dir", run + "/runtime"]
            daemon.standardOutput = FileHandle.nullDevice
            daemon.standardError = FileHandle.nullDevice
            try daemon.run()
            // A few seconds of start-up (chip configuration, first minute) stay out of the window:
            // the window is the status's last minute, so run it 5 s longer than the window.
            // cyclictest runs over the same window, beside the daemon, so both see the same
            // machine (a noisy neighbour slows both, and the ratio stays fair).
            Thread.sleep(forTimeInterval: 5)
            let baselineRun = cyclictest.flatMap { startCyclictest($0, periodMicroseconds: periodMicroseconds, seconds: seconds, priority: priority) }
            Thread.sleep(forTimeInterval: seconds)
            let status = daemon.isRunning ? queryStatus(work + "/posturectl", socket: run + "/runtime/control.sock") : nil
            let baseline = baselineRun.flatMap(finishCyclictest)
            daemon.terminate()
            daemon.waitUntilExit()
            let label = "\(rate) Hz, \(pacing)"
            guard let sampling = status?["sampling"] as? [String: Any], let late = sampling["lateness_last_minute"] as? [String: Any],
                  let p50 = late["p50_us"] as? Double, let p99 = late["p99_us"] as? Double, let maximum = late["max_us"] as? Double
            else {
                print("loop timing: \(label): no lateness in status (the daemon exited or refused the configuration)")
                continue
            }
            // In simulation the loop's overrun counter stays at 0 by design (the scenario's clock
            // waits for the loop), so a missed period is a wake later than one period.
            let missed = maximum >= Double(periodMicroseconds) ? "a wake a period or more late" : "0 missed (max < period)"
            var line = String(format: "loop timing: %@: lateness p50 %.0f µs, p99 %.0f µs, max %.0f µs; %@", label, p50, p99, maximum, missed)
            var baselineText = "cyclictest not installed (apt-get install rt-tests)"
            var ratioText = "–"
            if let baseline {
                baselineText = String(format: "cyclictest p50 %.0f, p99 %.0f, max %.0f µs", baseline.p50, baseline.p99, baseline.max)
                ratioText = String(format: "p99 %.2fx", p99 / max(baseline.p99, 1))
                line += "; " + baselineText + "; " + ratioText
            }
            print(line)
            recordRow("6 loop lateness, \(label), \(Int(seconds)) s", measured: String(format: "p50 %.0f, p99 %.0f, max %.0f µs; %@", p50, p99, maximum, missed),
                      baseline: baselineText, ratio: ratioText, target: rate == 1000 ? "p99 ≤ 1.2x cyclictest, 0 missed" : "p99 ≤ 1.2x cyclictest",
                      command: "PostureBench loop")
        }
    }
}

/// `posturectl --json status` as a dictionary (its `result`), or nil.
private func queryStatus(_ posturectl: String, socket: String) -> [String: Any]? {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: posturectl)
    process.arguments = ["--json", "--socket", socket, "status"]
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = FileHandle.nullDevice
    guard (try? process.run()) != nil else { return nil }
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
    return object?["result"] as? [String: Any]
}

/// `cyclictest` at the period and priority for `seconds`, one thread, memory locked; it prints
/// its latency histogram (1 µs buckets) only when it ends.
private func startCyclictest(_ path: String, periodMicroseconds: Int, seconds: Double, priority: Int) -> (Process, Pipe)? {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: path)
    process.arguments = ["-q", "-m", "-t", "1", "-p", "\(priority)", "-i", "\(periodMicroseconds)", "-D", "\(Int(seconds))", "-h", "100000"]
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = FileHandle.nullDevice
    guard (try? process.run()) != nil else { return nil }
    return (process, pipe)
}

/// Waits for a started `cyclictest` and reads p50 and p99 from its histogram, and its exact maximum.
private func finishCyclictest(_ run: (Process, Pipe)) -> (p50: Double, p99: Double, max: Double)? {
    let (process, pipe) = run
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    var histogram: [(Int, Int)] = []
    var maximum: Double?
    var overflows = 0
    for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
        let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
        if line.hasPrefix("# Max Latencies:"), let value = fields.last.flatMap({ Double($0) }) { maximum = value }
        if line.hasPrefix("# Histogram Overflows:"), let value = fields.last.flatMap({ Int($0) }) { overflows = value }
        if !line.hasPrefix("#"), fields.count == 2, let bucket = Int(fields[0]), let count = Int(fields[1]) { histogram.append((bucket, count)) }
    }
    let total = histogram.reduce(overflows) { $0 + $1.1 }
    guard total > 0, let maximum else { return nil }
    func percentile(_ fraction: Double) -> Double {
        let rank = Int((fraction * Double(total)).rounded(.up))
        var seen = 0
        for (bucket, count) in histogram {
            seen += count
            if seen >= rank { return Double(bucket) }
        }
        return maximum
    }
    return (percentile(0.5), percentile(0.99), maximum)
}
