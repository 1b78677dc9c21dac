import CAllocationCounter
import Foundation
import PostureCore
import PostureDaemon
import PostureHardware
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

// Issue 4's targets for the daemon at 100 Hz with two sensors, measured (never asserted):
//   CPU under 1% of one core, resident memory under 20 MB and flat over an hour of simulated
//   time, zero allocations per sample on the loop thread, at most one store transaction a minute.
// Every figure comes with a baseline measured in the same run (these machines are noisy).
//
//   PostureBench daemon           # all four; about 2.5 min of wall time with the defaults
//   PostureBench idle-loop SECS   # the baseline process: a bare 100 Hz clock_nanosleep loop
//
// Environment: POSTURED_BENCH_SECONDS (CPU window at --speed 1, default 60),
// POSTURED_BENCH_MEMORY_SECONDS (real seconds at --speed 60, default 75: 75 simulated minutes),
// POSTURED_BENCH_LOOP_SECONDS (in-process loop run for the allocation count, default 10),
// POSTURED_BENCH_CONFIG (default config/postured.toml), POSTURED_BENCH_KEEP=1 keeps the temp dirs.

func runDaemonBenchmark() throws {
    let cpuSeconds = environmentSeconds("POSTURED_BENCH_SECONDS", default: 60)
    let memorySeconds = environmentSeconds("POSTURED_BENCH_MEMORY_SECONDS", default: 75)
    let loopSeconds = environmentSeconds("POSTURED_BENCH_LOOP_SECONDS", default: 10)

    // 3 first: in-process, no child needed.
    let loopCost = runLoopThreadAllocations(seconds: loopSeconds)

    guard let executable = currentExecutablePath() else {
        print("daemon: skipped the postured runs: cannot resolve /proc/self/exe")
        return
    }
    let binDirectory = (executable as NSString).deletingLastPathComponent
    let postured = binDirectory + "/postured"
    guard FileManager.default.isExecutableFile(atPath: postured) else {
        print("daemon: skipped the postured runs: no postured next to PostureBench (\(postured)); run 'swift build -c release'")
        return
    }
    let configPath = ProcessInfo.processInfo.environment["POSTURED_BENCH_CONFIG"] ?? "config/postured.toml"
    guard FileManager.default.fileExists(atPath: configPath) else {
        print("daemon: skipped the postured runs: no configuration at \(configPath) (run from the repository root or set POSTURED_BENCH_CONFIG)")
        return
    }
    let workspace = try TemporaryWorkspace()
    defer { workspace.finish() }
    print("daemon: binaries: \(postured); scratch: \(workspace.path)")

    // 1. CPU at --speed 1, with the idle-loop baseline running over the same window.
    let cpu = try measureCPU(
        postured: postured, benchExecutable: executable, configPath: configPath, workspace: workspace, seconds: cpuSeconds,
        loopCost: loopCost)
    // 2 and 4. Memory and store transactions at --speed 60.
    let memory = try measureMemory(postured: postured, configPath: configPath, workspace: workspace, seconds: memorySeconds)

    // 4. Store transactions, both runs.
    let busiest = [
        printStore(cpu.store, label: "speed 1, \(format(cpu.runSeconds, 0)) s real", realSeconds: cpu.runSeconds),
        printStore(memory.store, label: "speed 60, \(format(memory.runSeconds, 0)) s real", realSeconds: memory.runSeconds),
    ].compactMap { $0 }.max()
    let periodic = cpu.store.periodic + memory.store.periodic
    let minutes = (cpu.store.stopAt + memory.store.stopAt) / 60
    print("daemon: store: both runs: \(periodic) commits while running in \(format(minutes, 2)) real minutes"
        + " (\(format(Double(periodic) / minutes, 2)) per minute), busiest real minute \(busiest.map(String.init) ?? "n/a")"
        + " (target ≤ 1 a minute; start-up and stop commits listed above; every commit counts, one-off ones such as a calibration too)")
}

// MARK: - 1. CPU

private struct CPUResult {
    var runSeconds: Double
    var store: StoreObservation
}

private func measureCPU(
    postured: String, benchExecutable: String, configPath: String, workspace: TemporaryWorkspace, seconds: Double,
    loopCost: LoopCost
) throws -> CPUResult {
    let warmUp = 5.0
    let dirs = try workspace.makeRun("cpu")
    let daemon = try launch(
        postured,
        ["--config", configPath, "--simulate", "workday", "--speed", "1", "--state-dir", dirs.state, "--runtime-dir", dirs.runtime,
         "--foreground"],
        log: dirs.log)
    // The same daemon with the other of the two timed pacings ("timer" or "fifo"), same window.
    let configText = try String(contentsOfFile: configPath, encoding: .utf8)
    let configuredPacing = configText.contains("pacing = \"timer\"") ? "timer" : "fifo"
    let otherPacing = configuredPacing == "timer" ? "fifo" : "timer"
    let fifoDirs = try workspace.makeRun("cpu-" + otherPacing)
    let fifoConfig = fifoDirs.root + "/postured-\(otherPacing).toml"
    let fifoText = configText.replacingOccurrences(of: "pacing = \"\(configuredPacing)\"", with: "pacing = \"\(otherPacing)\"")
    try fifoText.write(toFile: fifoConfig, atomically: true, encoding: .utf8)
    let fifoDaemon = fifoText == configText ? nil : try launch(
        postured,
        ["--config", fifoConfig, "--simulate", "workday", "--speed", "1", "--state-dir", fifoDirs.state, "--runtime-dir",
         fifoDirs.runtime, "--foreground"],
        log: fifoDirs.log)
    let baseline = try launch(benchExecutable, ["idle-loop", format(warmUp + seconds + 5, 0)], log: dirs.root + "/idle-loop.log")
    let started = monotonicSeconds()
    var wal = WALCommitCounter(path: dirs.state + "/daylog.sqlite3-wal")
    var rss = RSSSeries()

    poll(until: started + warmUp, wal: &wal, since: started, rss: &rss, pid: daemon.processIdentifier, rssEvery: 2)
    guard let daemonStart = ProcessCPU(pid: daemon.processIdentifier),
        let baselineStart = ProcessCPU(pid: baseline.processIdentifier)
    else {
        stop(daemon)
        stop(baseline)
        print("daemon: cpu: skipped: a child exited during warm-up; see \(dirs.log)")
        return CPUResult(runSeconds: monotonicSeconds() - started, store: wal.observation(stopAt: .infinity))
    }
    let fifoStart = fifoDaemon.flatMap { ProcessCPU(pid: $0.processIdentifier) }
    let windowStart = monotonicSeconds()
    poll(until: windowStart + seconds, wal: &wal, since: started, rss: &rss, pid: daemon.processIdentifier, rssEvery: 2)
    let daemonEnd = ProcessCPU(pid: daemon.processIdentifier)
    let fifoEnd = fifoDaemon.flatMap { ProcessCPU(pid: $0.processIdentifier) }
    let baselineEnd = ProcessCPU(pid: baseline.processIdentifier)
    let baselineRSS = residentKiB(pid: baseline.processIdentifier)
    let windowSeconds = monotonicSeconds() - windowStart
    let stopAt = monotonicSeconds() - started
    stop(baseline)
    stop(daemon)
    if let fifoDaemon { stop(fifoDaemon) }
    wal.poll(now: monotonicSeconds() - started)
    let runSeconds = monotonicSeconds() - started

    guard let daemonEnd, let baselineEnd else {
        print("daemon: cpu: skipped: a child exited during the window; see \(dirs.log)")
        return CPUResult(runSeconds: runSeconds, store: wal.observation(stopAt: stopAt))
    }
    let daemonPercent = 100 * (daemonEnd.seconds - daemonStart.seconds) / windowSeconds
    let baselinePercent = 100 * (baselineEnd.seconds - baselineStart.seconds) / windowSeconds
    let ticks = Int(windowSeconds * 100)
    print("daemon: cpu (postured --simulate workday --speed 1, 100 Hz, two sensors, pacing = \"\(configuredPacing)\" as configured, \(format(windowSeconds, 1)) s window after \(format(warmUp, 0)) s warm-up; "
        + "utime+stime from /proc/PID/stat): \(format(daemonPercent, 3))% of one core; "
        + "baseline idle 100 Hz clock_nanosleep loop: \(format(baselinePercent, 3))%; "
        + "ratio \(ratio(daemonPercent, baselinePercent)) (target < 1%)")
    recordRow("7 daemon CPU at 100 Hz, two simulated sensors, \(format(windowSeconds, 0)) s", measured: "\(format(daemonPercent, 3))% of one core",
              baseline: "idle 100 Hz clock_nanosleep loop \(format(baselinePercent, 3))%", ratio: ratio(daemonPercent, baselinePercent),
              target: "< 1% (the simulated chips included)", command: "PostureBench daemon")
    // Per thread, from schedstat (nanoseconds, finer than the 10 ms ticks of /proc/PID/stat).
    let byThread = daemonEnd.threadNanoseconds(since: daemonStart)
    let threadLine = byThread.prefix(6).map { "\($0.name) \(format(100 * Double($0.nanoseconds) / 1e9 / windowSeconds, 3))%" }
        .joined(separator: ", ")
    let allThreads = byThread.reduce(0) { $0 + $1.nanoseconds }
    let baselineThreads = baselineEnd.threadNanoseconds(since: baselineStart).reduce(0) { $0 + $1.nanoseconds }
    let daemonFine = 100 * Double(allThreads) / 1e9 / windowSeconds
    let baselineFine = 100 * Double(baselineThreads) / 1e9 / windowSeconds
    let loopFine = 100 * Double(byThread.first { $0.name == SamplingLoop.threadName }?.nanoseconds ?? 0) / 1e9 / windowSeconds
    print("daemon: cpu by thread (schedstat, ns resolution, live threads): \(threadLine)")
    print("daemon: cpu (schedstat): daemon \(format(daemonFine, 3))%, of which \(SamplingLoop.threadName) \(format(loopFine, 3))%;"
        + " idle loop \(format(baselineFine, 3))%; ratio daemon/idle \(ratio(daemonFine, baselineFine)),"
        + " loop thread/idle \(ratio(loopFine, baselineFine))")

    // The simulation's share: the wearer model and the simulated chips (and the drivers'
    // register decoding above them) for the same ticks and scenario time, in-process.
    if let (simulation, simulationAllocations) = simulationCost(ticks: ticks, startingAt: warmUp) {
        let simulationPercent = 100 * simulation / windowSeconds
        let rest = max(0, daemonPercent - simulationPercent)
        print("daemon: cpu note: in simulation the daemon also runs the wearer model and the simulated chips, work a real board"
            + " does not do (it does real I2C transfers instead), so the figure above overstates the real daemon's cost")
        print("daemon: cpu of the simulation alone (both simulated sources read for the same \(ticks) ticks, tight loop, warm caches:"
            + " a lower bound of its share): \(format(simulationPercent, 3))% of one core (\(format(simulation / Double(ticks) * 1e6, 1)) µs per tick;"
            + " \(format(Double(simulationAllocations) / Double(ticks), 2)) allocations per tick)")
        print("daemon: cpu minus the simulation (estimate, upper bound): \(format(rest, 3))% of one core;"
            + " ratio to the idle loop \(ratio(rest, baselinePercent)) (target < 1%)")
    }
    if let own = loopCost.ownNanosecondsPerTick, let simulated = loopCost.simulatedNanosecondsPerTick {
        // From the two in-process loops above: the same SamplingLoop with and without the simulation.
        let share = 100 * max(0, simulated - own) * 100 / 1e9
        print("daemon: cpu of the simulation from the in-process loops ((\(format(simulated / 1000, 2)) − \(format(own / 1000, 2))) µs per tick"
            + " × 100 Hz): \(format(share, 3))% of one core; daemon minus that: \(format(max(0, daemonPercent - share), 3))%;"
            + " under timer pacing the loop's own per-tick work (\(format(own / 1000, 2)) µs, hot caches) is \(format(100 * own * 100 / 1e9, 3))%"
            + " of one core, and the rest of its thread's time is the cost of waking 100 times a second on this machine")
    }
    if let fifoStart, let fifoEnd {
        let fifoPercent = 100 * (fifoEnd.seconds - fifoStart.seconds) / windowSeconds
        let fifoThreads = fifoEnd.threadNanoseconds(since: fifoStart)
        let fifoFine = 100 * Double(fifoThreads.reduce(0) { $0 + $1.nanoseconds }) / 1e9 / windowSeconds
        let fifoLoop = 100 * Double(fifoThreads.first { $0.name == SamplingLoop.threadName }?.nanoseconds ?? 0) / 1e9 / windowSeconds
        print("daemon: cpu with the other pacing, pacing = \"\(otherPacing)\" (\(otherPacing == "fifo" ? "watermark 10 frames: 10" : "one sample each: 100") wakes a second; same window, same"
            + " scenario): \(format(fifoPercent, 3))% of one core (/proc/PID/stat), \(format(fifoFine, 3))% (schedstat), of which"
            + " \(SamplingLoop.threadName) \(format(fifoLoop, 3))%; ratio to the idle loop \(ratio(fifoPercent, baselinePercent))")
    } else if fifoDaemon != nil {
        print("daemon: cpu with pacing = \"\(otherPacing)\": skipped: that daemon exited early; see \(fifoDirs.log)")
    }
    print("daemon: rss at --speed 1: \(rss.summary); idle-loop baseline \(format(Double(baselineRSS ?? 0) / 1024, 1)) MB")
    recordRow("7 daemon resident memory at --speed 1", measured: rss.summary, baseline: "idle loop \(format(Double(baselineRSS ?? 0) / 1024, 1)) MB",
              target: "< 20 MB", command: "PostureBench daemon")
    return CPUResult(runSeconds: runSeconds, store: wal.observation(stopAt: stopAt))
}

/// Thread CPU seconds to read both simulated sources for `ticks` ticks from scenario time `t0`,
/// and the allocations made meanwhile (this thread is the only one working then).
private func simulationCost(ticks: Int, startingAt t0: Double) -> (seconds: Double, allocations: Int)? {
    let loop = LoopConfiguration()
    guard let set = try? SourceFactory.simulated(scenarioNamed: "workday", seed: 1, speed: 1, loop: loop),
        case .virtual(let clock) = set.timeBase
    else { return nil }
    for source in set.sources { _ = try? source.open() }
    let period = 1.0 / Double(loop.rateHz)
    var checksum = 0.0
    let start = threadCPUSeconds()
    let allocationsBefore = posture_allocation_count()
    for i in 0..<ticks {
        clock.now = t0 + Double(i) * period
        for source in set.sources {
            if let reading = try? source.read() { checksum += reading.accel.x }
        }
    }
    let cost = threadCPUSeconds() - start
    let allocations = posture_allocation_count() - allocationsBefore
    if checksum.isNaN { print("daemon: (checksum \(checksum))") }
    return (cost, allocations)
}

// MARK: - 2. Memory (and 4. store, same run)

private struct MemoryResult {
    var runSeconds: Double
    var store: StoreObservation
}

private func measureMemory(postured: String, configPath: String, workspace: TemporaryWorkspace, seconds: Double) throws
    -> MemoryResult
{
    let speed = 60.0
    let dirs = try workspace.makeRun("memory")
    let daemon = try launch(
        postured,
        ["--config", configPath, "--simulate", "workday", "--speed", "60", "--state-dir", dirs.state, "--runtime-dir",
         dirs.runtime, "--foreground"],
        log: dirs.log)
    let started = monotonicSeconds()
    var wal = WALCommitCounter(path: dirs.state + "/daylog.sqlite3-wal")
    var rss = RSSSeries()
    poll(until: started + seconds, wal: &wal, since: started, rss: &rss, pid: daemon.processIdentifier, rssEvery: 2)
    let stopAt = monotonicSeconds() - started
    let exitedEarly = !daemon.isRunning
    let mappings = residentByMapping(pid: daemon.processIdentifier)
    stop(daemon)
    wal.poll(now: monotonicSeconds() - started)
    let runSeconds = monotonicSeconds() - started
    if exitedEarly { print("daemon: memory: postured exited before \(format(seconds, 0)) s (status \(daemon.terminationStatus)); see \(dirs.log)") }

    let simulatedHours = stopAt * speed / 3600
    let warmUp = min(10.0, stopAt / 4)  // 10 s real = 10 simulated minutes
    let settled = rss.samples.filter { $0.t >= warmUp }
    let slope = linearSlope(settled.map { ($0.t, Double($0.kib) / 1024) })  // MB per real second
    let perSimulatedHour = slope * 3600 / speed
    let growth = Double((settled.last?.kib ?? 0) - (settled.first?.kib ?? 0)) / 1024
    print("daemon: rss (postured --simulate workday --speed 60, \(format(simulatedHours, 2)) simulated hours in \(format(stopAt, 0)) s,"
        + " VmRSS every 2 s): \(rss.summary); after \(format(warmUp * speed / 60, 0)) simulated min warm-up: growth"
        + " \(format(growth, 2)) MB, slope \(format(perSimulatedHour, 3)) MB per simulated hour"
        + " (targets: < 20 MB, flat = growth < ~1 MB/h)")
    if let breakdown = rssBreakdown(pid: daemon.processIdentifier) ?? rss.lastBreakdown {
        print("daemon: rss at the end, by kind: \(breakdown) (RssFile: mapped binaries and libraries, shared with other processes using them)")
    }
    if !mappings.isEmpty {
        print("daemon: rss at the end, largest mappings (/proc/PID/smaps): "
            + mappings.prefix(8).map { "\($0.name) \(format(Double($0.kib) / 1024, 2)) MB" }.joined(separator: ", "))
    }
    if let baseline = idleLoopRSS() {
        print("daemon: rss baseline, idle-loop process (PostureBench idle-loop): \(format(Double(baseline) / 1024, 1)) MB;"
            + " ratio max/baseline \(ratio(Double(rss.maxKiB), Double(baseline)))")
    }
    return MemoryResult(runSeconds: runSeconds, store: wal.observation(stopAt: stopAt))
}

/// RSS of a short-lived idle-loop child, sampled after a second of running.
private func idleLoopRSS() -> Int? {
    guard let executable = currentExecutablePath(),
        let child = try? launch(executable, ["idle-loop", "3"], log: nil)
    else { return nil }
    Thread.sleep(forTimeInterval: 1.5)
    let kib = residentKiB(pid: child.processIdentifier)
    stop(child)
    return kib
}

private struct RSSSeries {
    var samples: [(t: Double, kib: Int)] = []
    /// RssAnon/RssFile/RssShmem of the last sample (the process is gone when the run ends).
    var lastBreakdown: String?
    var maxKiB: Int { samples.map(\.kib).max() ?? 0 }
    var summary: String {
        guard let first = samples.first, let last = samples.last else { return "no samples" }
        return "start \(mb(first.kib)) MB (at \(format(first.t, 0)) s), max \(mb(maxKiB)) MB, end \(mb(last.kib)) MB (\(samples.count) samples)"
    }
    private func mb(_ kib: Int) -> String { format(Double(kib) / 1024, 2) }
}

// MARK: - 4. Store transactions, from outside: commit frames in the WAL

private struct StoreObservation {
    /// Seconds after launch at which new commit frames were first seen.
    var commitTimes: [Double]
    var generations: Int
    var stopAt: Double
    var walPresent: Bool
    /// Commits seen after start-up (5 s) and before SIGTERM: the minute flushes, and anything
    /// else written while running (e.g. a calibration), all of which count against the target.
    var periodic: Int { commitTimes.filter { $0 > 5 && $0 < stopAt }.count }
}

/// Counts commits by reading the write-ahead log the daemon writes (its database is in WAL
/// mode): every write transaction appends frames, the last of which is a commit frame (a
/// nonzero "database size after commit" field); frames of the current WAL generation carry
/// the header's salts. Polled every 50 ms, and parsed only when size or mtime changed; a
/// checkpoint followed by a WAL reset starts a new generation (new salts), whose commits are
/// added to the previous ones. Transactions that change no page write no frames and are not
/// counted: what is counted is exactly what reaches the SD card.
private struct WALCommitCounter {
    let path: String
    private var lastStamp: [Int] = []
    private var commitsByGeneration: [UInt64: Int] = [:]
    private(set) var commitTimes: [Double] = []
    private(set) var seen = false

    init(path: String) { self.path = path }

    var total: Int { commitsByGeneration.values.reduce(0, +) }

    mutating func poll(now: Double) {
        var info = stat()
        guard stat(path, &info) == 0 else { return }
        seen = true
        let stamp = [Int(info.st_size), info.st_mtim.tv_sec, info.st_mtim.tv_nsec]
        guard stamp != lastStamp else { return }
        lastStamp = stamp
        guard let (generation, commits) = Self.parse(path: path) else { return }
        let before = total
        commitsByGeneration[generation] = max(commitsByGeneration[generation] ?? 0, commits)
        for _ in 0..<max(0, total - before) { commitTimes.append(now) }
    }

    func observation(stopAt: Double) -> StoreObservation {
        StoreObservation(commitTimes: commitTimes, generations: commitsByGeneration.count, stopAt: stopAt, walPresent: seen)
    }

    /// (salts of the current generation, commit frames in it).
    static func parse(path: String) -> (UInt64, Int)? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var header = [UInt8](repeating: 0, count: 32)
        guard pread(fd, &header, 32, 0) == 32 else { return nil }
        let magic = bigEndian(header, 0)
        guard magic == 0x377F_0682 || magic == 0x377F_0683 else { return nil }
        var pageSize = Int(bigEndian(header, 8))
        if pageSize == 1 { pageSize = 65536 }
        guard pageSize >= 512 else { return nil }
        let salt1 = bigEndian(header, 16), salt2 = bigEndian(header, 20)
        var offset = 32
        var commits = 0
        var frame = [UInt8](repeating: 0, count: 24)
        while pread(fd, &frame, 24, off_t(offset)) == 24 {
            guard bigEndian(frame, 8) == salt1, bigEndian(frame, 12) == salt2 else { break }
            if bigEndian(frame, 4) != 0 { commits += 1 }
            offset += 24 + pageSize
        }
        return (UInt64(salt1) << 32 | UInt64(salt2), commits)
    }

    private static func bigEndian(_ bytes: [UInt8], _ at: Int) -> UInt32 {
        UInt32(bytes[at]) << 24 | UInt32(bytes[at + 1]) << 16 | UInt32(bytes[at + 2]) << 8 | UInt32(bytes[at + 3])
    }
}

/// Prints one run's commits; returns the most commits seen in any 60 s while running.
@discardableResult
private func printStore(_ store: StoreObservation, label: String, realSeconds: Double) -> Int? {
    guard store.walPresent else {
        print("daemon: store (\(label)): no WAL file appeared; nothing measured")
        return nil
    }
    let times = store.commitTimes.map { format($0, 1) }.joined(separator: ", ")
    let startup = store.commitTimes.filter { $0 <= 5 }.count
    let atStop = store.commitTimes.filter { $0 >= store.stopAt }.count
    let running = store.commitTimes.filter { $0 > 5 && $0 < store.stopAt }
    let busiest = running.map { t in running.filter { $0 >= t && $0 < t + 60 }.count }.max() ?? 0
    let gaps = zip(running.dropFirst(), running).map { format($0 - $1, 1) }.joined(separator: ", ")
    print("daemon: store (\(label); commit frames in the -wal file, polled every 50 ms): \(store.commitTimes.count) commits"
        + " at [\(times)] s after launch (SIGTERM at \(format(store.stopAt, 1)) s): \(startup) at start-up, \(running.count) while"
        + " running, \(atStop) at stop; busiest 60 s while running: \(busiest) (target ≤ 1)"
        + (gaps.isEmpty ? "" : "; gaps between them [\(gaps)] s"))
    return busiest
}

// MARK: - 3. Loop-thread allocations, in-process

/// Loop-thread CPU per tick, nanoseconds, from the in-process loops (hot caches).
private struct LoopCost {
    var ownNanosecondsPerTick: Double?
    var simulatedNanosecondsPerTick: Double?
}

private func runLoopThreadAllocations(seconds: Double) -> LoopCost {
    // Positive (and negative) control: a named thread that first does arithmetic only, then
    // allocates; the per-thread counter must see 0 and then ≥ 1.
    let controlName = "bench-control"
    let ready = DispatchSemaphore(value: 0), phase1 = DispatchSemaphore(value: 0), phase1Done = DispatchSemaphore(value: 0)
    let phase2 = DispatchSemaphore(value: 0), phase2Done = DispatchSemaphore(value: 0)
    let kept = KeptArray()
    let control = Thread {
        _ = posture_allocation_set_current_thread_name(controlName)
        ready.signal()
        phase1.wait()
        var x = 1
        for i in 0..<1000 { x = x &* 31 &+ i }
        phase1Done.signal()
        phase2.wait()
        let array = [Int](repeating: x, count: 3 + (x & 7))
        kept.value.withLock { $0 = array }
        phase2Done.signal()
    }
    control.start()
    ready.wait()
    let matched = posture_allocation_watch_thread_named(controlName)
    phase1.signal()
    phase1Done.wait()
    let quiet = posture_allocation_watched_count()
    phase2.signal()
    phase2Done.wait()
    let seen = posture_allocation_watched_count()
    posture_allocation_watch_stop()
    print("daemon: loop-thread allocations: counter check on a thread named \"\(controlName)\" (\(matched) matched):"
        + " \(quiet) counted while it computed (must be 0), \(seen - quiet) when it allocated one array (must be ≥ 1;"
        + " \(kept.value.withLock { $0.count }) elements)")

    // The daemon's own per-tick code: the real SamplingLoop (LoopCore, PostureEngine, the
    // rings) at 100 Hz, --speed 10, with two sources that replay readings recorded beforehand
    // from the simulated chips, so nothing but the daemon's code runs on the loop thread.
    // This thread plays the supervisor: it drains the reports every 10 ms.
    let warmUp = min(2.0, seconds / 4)
    var cost = LoopCost()
    if let own = measureLoop(recorded: true, pacing: .timer, seconds: seconds, warmUp: warmUp) {
        cost.ownNanosecondsPerTick = own.nanosecondsPerTick.isFinite ? own.nanosecondsPerTick : nil
        print("daemon: loop-thread allocations (SamplingLoop, pacing = \"timer\", two sensors replaying recorded simulated readings, 100 Hz at"
            + " --speed 10, \(format(seconds - warmUp, 1)) s after \(format(warmUp, 1)) s warm-up): \(own.allocations) allocations on"
            + " \"\(SamplingLoop.threadName)\" (tid \(own.tid)) over \(own.ticks) samples = \(own.perTick) per sample (target 0);"
            + " \(format(own.nanosecondsPerTick / 1000, 2)) µs of loop-thread CPU per sample (schedstat);"
            + " other threads meanwhile: \(own.otherThreads) (the draining thread); dropped reports \(own.dropped)")
    }
    if let batched = measureLoop(recorded: true, pacing: .fifo, seconds: seconds, warmUp: warmUp) {
        print("daemon: loop-thread allocations (the same with pacing = \"fifo\", 10 frames per wake): \(batched.allocations)"
            + " allocations over \(batched.ticks) samples = \(batched.perTick) per sample (target 0);"
            + " \(format(batched.nanosecondsPerTick / 1000, 2)) µs of loop-thread CPU per sample; dropped reports \(batched.dropped)")
    }
    // As postured --simulate runs it: the simulated chips and wearer model on the loop thread too.
    if let simulated = measureLoop(recorded: false, pacing: .timer, seconds: seconds / 2, warmUp: warmUp / 2) {
        cost.simulatedNanosecondsPerTick = simulated.nanosecondsPerTick.isFinite ? simulated.nanosecondsPerTick : nil
        print("daemon: loop-thread allocations with the simulation on the loop thread (SourceFactory.simulated workday, as"
            + " postured --simulate; \(format(seconds / 2 - warmUp / 2, 1)) s): \(simulated.allocations) over \(simulated.ticks) ticks ="
            + " \(format(simulated.perTick, 3)) per tick (\(format(simulated.nanosecondsPerTick / 1000, 2)) µs per tick): made by"
            + " PostureSim (the simulated chips and wearer model; a real board does not run them), not counted against the target")
    }
    return cost
}

private struct LoopMeasurement {
    var tid: Int32
    var allocations: Int
    var ticks: Int
    var dropped: Int
    var otherThreads: Int
    var nanosecondsPerTick: Double
    var perTick: Double { ticks > 0 ? Double(allocations) / Double(ticks) : .nan }
}

private func measureLoop(recorded: Bool, pacing: LoopConfiguration.Pacing, seconds: Double, warmUp: Double) -> LoopMeasurement? {
    let configuration = LoopConfiguration(pacing: pacing)
    guard let calibration = Calibration.assumed(sensorCount: 2) else {
        print("daemon: loop-thread allocations: skipped: no assumed calibration")
        return nil
    }
    let engine = PostureEngine(calibration: calibration)
    let loop: SamplingLoop
    do {
        var sources = try SourceFactory.simulated(scenarioNamed: "workday", seed: 1, speed: 10, loop: configuration)
        if recorded, case .virtual(let clock) = sources.timeBase {
            sources = SourceSet(
                sources: try RecordedSensorSource.record(sources.sources, clock: clock, ticks: 6000, rateHz: configuration.rateHz),
                timeBase: sources.timeBase, scenario: sources.scenario)
        }
        loop = try SamplingLoop.start(configuration: configuration, engine: engine, sources: sources)
    } catch {
        print("daemon: loop-thread allocations: skipped: \(error)")
        return nil
    }
    defer { loop.stop() }
    var lastSequence: UInt64 = 0
    func drain(for duration: Double) {
        let end = monotonicSeconds() + duration
        while monotonicSeconds() < end {
            loop.drainReports { lastSequence = $0.sequence }
            Thread.sleep(forTimeInterval: 0.01)
        }
        loop.drainReports { lastSequence = $0.sequence }
    }
    drain(for: warmUp)
    let watched = posture_allocation_watch_thread_named(SamplingLoop.threadName)
    guard watched == 1 else {
        print("daemon: loop-thread allocations: skipped: \(watched) threads named \(SamplingLoop.threadName)")
        return nil
    }
    let tid = posture_allocation_watched_thread_id()
    let firstSequence = lastSequence
    let processBefore = posture_allocation_count()
    let cpuBefore = threadScheduledNanoseconds(pid: getpid(), tid: tid)
    let droppedBefore = loop.droppedReports
    drain(for: seconds - warmUp)
    posture_allocation_watch_stop()
    let allocations = posture_allocation_watched_count()
    let cpuAfter = threadScheduledNanoseconds(pid: getpid(), tid: tid)
    let processAllocations = posture_allocation_count() - processBefore
    // Ticks that ran up to the watch's end; sequence numbers count every tick's report,
    // dropped ones included. (The few ticks between the last drain before the watch and its
    // start are counted as ticks but their allocations are not: ≤ one wake, 10 ticks.)
    loop.drainReports { lastSequence = $0.sequence }
    let ticks = Int(lastSequence &- firstSequence)
    let nanoseconds = cpuBefore.flatMap { before in cpuAfter.map { Double($0 - before) } } ?? .nan
    return LoopMeasurement(
        tid: tid, allocations: allocations, ticks: ticks, dropped: loop.droppedReports - droppedBefore,
        otherThreads: processAllocations - allocations, nanosecondsPerTick: ticks > 0 ? nanoseconds / Double(ticks) : .nan)
}

/// One sensor replaying readings recorded from a simulated source, round and round: the
/// loop's tick then runs only the daemon's code (`read` indexes an array, `checkHealth` says
/// healthy). Opening, description and identity are the wrapped source's.
private final class RecordedSensorSource: SensorSource {
    private let wrapped: any SensorSource
    private let readings: [IMUReading]
    private var next = 0
    /// FIFO pacing: frames "converted" since the last drain, at `rateHz` of `clock` time.
    private let clock: VirtualClock
    private let rateHz: Double
    private var drainedUntil: Double?

    private init(wrapping source: any SensorSource, readings: [IMUReading], clock: VirtualClock, rateHz: Double) {
        wrapped = source
        self.readings = readings.isEmpty ? [.zero] : readings
        self.clock = clock
        self.rateHz = rateHz
    }

    /// Opens `sources` and records `ticks` readings of each at `rateHz` of scenario time.
    static func record(_ sources: [any SensorSource], clock: VirtualClock, ticks: Int, rateHz: Int) throws(SensorSourceError)
        -> [any SensorSource]
    {
        for source in sources { try source.open() }
        var recorded = [[IMUReading]](repeating: [], count: sources.count)
        for i in 0..<ticks {
            clock.now = Double(i + 1) / Double(rateHz)
            for (s, source) in sources.enumerated() {
                if let reading = try? source.read() { recorded[s].append(reading) }
            }
        }
        clock.now = 0
        return zip(sources, recorded).map { RecordedSensorSource(wrapping: $0, readings: $1, clock: clock, rateHz: Double(rateHz)) }
    }

    var index: Int { wrapped.index }
    var description: String { wrapped.description }
    var configuration: IMUConfiguration? { wrapped.configuration }
    var identity: SensorIdentity { wrapped.identity }
    var dataReady: (any DataReadySignal)? { nil }

    @discardableResult func open() throws(SensorSourceError) -> IMUConfiguration {
        if let configuration = wrapped.configuration { return configuration }
        return try wrapped.open()
    }

    func read() throws(IMUError) -> IMUReading {
        let reading = readings[next]
        next = next + 1 == readings.count ? 0 : next + 1
        return reading
    }

    func drainFIFO(into frames: UnsafeMutableBufferPointer<IMUReading>) throws(IMUError) -> FIFODrain {
        let now = clock.now
        let since = drainedUntil ?? now
        let n = min(frames.count, max(0, Int((now - since) * rateHz)))
        drainedUntil = since + Double(n) / rateHz
        for k in 0..<n { frames[k] = try read() }
        return FIFODrain(frames: n, overflowed: false)
    }

    func checkHealth() throws(IMUError) -> HealthStatus { .healthy }
}

/// Where the control thread puts its array, so the allocation cannot be optimised away.
private final class KeptArray: Sendable {
    let value = Mutex<[Int]>([])
}

// MARK: - The baseline process

/// `PostureBench idle-loop SECONDS`: wakes at 100 Hz on absolute CLOCK_MONOTONIC deadlines
/// and does nothing else: the floor any 100 Hz process pays for its timer wake-ups.
func runIdleLoop(seconds: Double) {
    var deadline = timespec()
    clock_gettime(CLOCK_MONOTONIC, &deadline)
    let ticks = Int(max(0, seconds) * 100)
    for _ in 0..<ticks {
        deadline.tv_nsec += 10_000_000
        if deadline.tv_nsec >= 1_000_000_000 {
            deadline.tv_nsec -= 1_000_000_000
            deadline.tv_sec += 1
        }
        while clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &deadline, nil) == EINTR {}
    }
}

// MARK: - Children and /proc

private final class TemporaryWorkspace {
    let path: String
    let keep: Bool

    init() throws {
        var template = Array((NSTemporaryDirectory() + "/postured-bench-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else { throw BenchmarkError("cannot create a temporary directory (errno \(errno))") }
        path = String(cString: made)
        keep = ProcessInfo.processInfo.environment["POSTURED_BENCH_KEEP"] == "1"
    }

    func makeRun(_ name: String) throws -> (root: String, state: String, runtime: String, log: String) {
        let root = path + "/" + name
        for dir in [root, root + "/state", root + "/runtime"] {
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        }
        return (root, root + "/state", root + "/runtime", root + "/postured.log")
    }

    func finish() {
        if keep {
            print("daemon: kept \(path) (POSTURED_BENCH_KEEP=1)")
        } else {
            try? FileManager.default.removeItem(atPath: path)
        }
    }
}

struct BenchmarkError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// `log` nil: the output is discarded. (Never `FileManager.createFile(atPath:)` on a path that
/// may be a device: it writes by renaming a new file over the path, and as root it once replaced
/// /dev/null with a regular file, which broke apt's and every later `> /dev/null`.)
private func launch(_ executable: String, _ arguments: [String], log: String?) throws -> Process {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    let output: FileHandle
    if let log {
        let descriptor = open(log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        output = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
    } else {
        output = FileHandle.nullDevice
    }
    process.standardOutput = output
    process.standardError = output
    process.standardInput = FileHandle.nullDevice
    try process.run()
    return process
}

/// SIGTERM (the daemon's graceful stop), then wait for it.
private func stop(_ process: Process) {
    if process.isRunning { process.terminate() }
    process.waitUntilExit()
}

/// Sleeps in 50 ms steps until `deadline`, polling the WAL each step and RSS every `rssEvery` s.
private func poll(until deadline: Double, wal: inout WALCommitCounter, since origin: Double, rss: inout RSSSeries, pid: Int32,
                  rssEvery: Double) {
    // The first sample a second after launch (before that the child is still loading).
    var nextRSS = rss.samples.last.map { origin + $0.t + rssEvery } ?? origin + 1
    while true {
        let now = monotonicSeconds()
        wal.poll(now: now - origin)
        if now >= nextRSS {
            if let kib = residentKiB(pid: pid) {
                rss.samples.append((now - origin, kib))
                rss.lastBreakdown = rssBreakdown(pid: pid)
            }
            nextRSS += rssEvery
        }
        if now >= deadline { return }
        Thread.sleep(forTimeInterval: min(0.05, deadline - now))
    }
}

/// A process's CPU time (utime + stime of all its threads, live and exited) and its live
/// threads' scheduled nanoseconds.
private struct ProcessCPU {
    var seconds: Double
    var threads: [Int32: (name: String, nanoseconds: Int64)]

    init?(pid: Int32) {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return nil }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        // After "pid (comm)": state is field 3, utime 14, stime 15.
        guard fields.count > 12, let utime = Double(fields[11]), let stime = Double(fields[12]) else { return nil }
        seconds = (utime + stime) / Double(sysconf(Int32(_SC_CLK_TCK)))
        threads = [:]
        let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task")) ?? []
        for task in tasks {
            guard let tid = Int32(task), let ns = threadScheduledNanoseconds(pid: pid, tid: tid) else { continue }
            let name = (try? String(contentsOfFile: "/proc/\(pid)/task/\(task)/comm", encoding: .utf8))?
                .trimmingCharacters(in: .whitespacesAndNewlines) ?? "?"
            threads[tid] = (name, ns)
        }
    }

    /// Scheduled time per thread name since `start`, largest first (threads born meanwhile count from 0).
    func threadNanoseconds(since start: ProcessCPU) -> [(name: String, nanoseconds: Int64)] {
        var byName: [String: Int64] = [:]
        for (tid, thread) in threads {
            byName[thread.name, default: 0] += thread.nanoseconds - (start.threads[tid]?.nanoseconds ?? 0)
        }
        return byName.map { ($0.key, $0.value) }.sorted { $0.nanoseconds > $1.nanoseconds }
    }
}

private func threadScheduledNanoseconds(pid: Int32, tid: Int32) -> Int64? {
    guard let text = try? String(contentsOfFile: "/proc/\(pid)/task/\(tid)/schedstat", encoding: .utf8),
        let first = text.split(separator: " ").first
    else { return nil }
    return Int64(first)
}

private func rssBreakdown(pid: Int32) -> String? {
    guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
    let parts = status.split(separator: "\n").filter { $0.hasPrefix("RssAnon:") || $0.hasPrefix("RssFile:") || $0.hasPrefix("RssShmem:") }
    return parts.map { line -> String in
        let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
        let kib = Double(fields.dropFirst().first ?? "") ?? 0
        return "\(fields.first ?? "") \(format(kib / 1024, 2)) MB"
    }.joined(separator: ", ")
}

/// A /proc file read to its end (they report size 0, so read until EOF).
private func readWholeFile(_ path: String) -> String? {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 65536)
    while true {
        let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if n < 0 && errno == EINTR { continue }
        guard n > 0 else { break }
        bytes.append(contentsOf: chunk[0..<n])
    }
    return String(decoding: bytes, as: UTF8.self)
}

/// Resident KiB per mapped file (anonymous mappings as "[anon]"), largest first.
private func residentByMapping(pid: Int32) -> [(name: String, kib: Int)] {
    guard let smaps = readWholeFile("/proc/\(pid)/smaps") else { return [] }
    var byName: [String: Int] = [:]
    var current = "[anon]"
    for line in smaps.split(separator: "\n") {
        let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
        guard let first = fields.first else { continue }
        if first.contains("-"), first.first?.isHexDigit == true {  // "start-end perms offset dev inode [path]"
            current = fields.count >= 6 ? String((fields.last ?? "").split(separator: "/").last ?? "") : "[anon]"
        } else if first == "Rss:", fields.count >= 2, let kib = Int(fields[1]) {
            byName[current, default: 0] += kib
        }
    }
    return byName.map { ($0.key, $0.value) }.filter { $0.1 > 0 }.sorted { $0.1 > $1.1 }
}

private func residentKiB(pid: Int32) -> Int? {
    guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
    for line in status.split(separator: "\n") where line.hasPrefix("VmRSS:") {
        return Int(line.dropFirst(6).split(whereSeparator: { $0 == " " || $0 == "\t" }).first ?? "")
    }
    return nil
}

private func currentExecutablePath() -> String? {
    try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
}

private func monotonicSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

private func threadCPUSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

private func environmentSeconds(_ name: String, default value: Double) -> Double {
    guard let text = ProcessInfo.processInfo.environment[name] else { return value }
    guard let seconds = Double(text), seconds.isFinite, seconds > 0 else {
        print("daemon: ignoring \(name)=\(text): expected a positive number of seconds; using \(format(value, 0))")
        return value
    }
    return seconds
}

/// Least-squares slope of y over x (0 with fewer than two points).
private func linearSlope(_ points: [(Double, Double)]) -> Double {
    guard points.count >= 2 else { return 0 }
    let n = Double(points.count)
    let mx = points.reduce(0) { $0 + $1.0 } / n, my = points.reduce(0) { $0 + $1.1 } / n
    let sxx = points.reduce(0) { $0 + ($1.0 - mx) * ($1.0 - mx) }
    let sxy = points.reduce(0) { $0 + ($1.0 - mx) * ($1.1 - my) }
    return sxx > 0 ? sxy / sxx : 0
}

private func ratio(_ a: Double, _ b: Double) -> String { b > 0 ? format(a / b, 2) + "×" : "n/a (baseline 0)" }

private func format(_ value: Double, _ decimals: Int) -> String { String(format: "%.\(decimals)f", value) }
