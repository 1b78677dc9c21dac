import CPostureShim
import Synchronization

/// Flags shared between the loop thread and its handle.
final class LoopFlags: Sendable {
    let stop = Atomic<Bool>(false)
    let finished = Atomic<Bool>(false)
}

/// The loop thread's body: pacing around `LoopCore`. Owns the core, the sources and the
/// virtual clock; lives on the loop thread from `start` until it returns.
final class LoopRunner {
    let core: LoopCore
    let timeBase: LoopTimeBase
    let flags: LoopFlags
    let configuration: LoopConfiguration

    init(core: LoopCore, timeBase: LoopTimeBase, flags: LoopFlags) {
        self.core = core
        self.timeBase = timeBase
        self.flags = flags
        configuration = core.configuration
    }

    private var running: Bool { !core.stopRequested && !flags.stop.load(ordering: .relaxed) }

    func run() {
        let origin = MonotonicClock.nowNanoseconds()
        switch configuration.pacing {
        case .timer, .fifo: runOnDeadlines(origin: origin)
        case .dataReady: runOnDataReady(origin: origin)
        }
        flags.finished.store(true, ordering: .releasing)
    }

    /// Absolute deadlines: next = previous + period, computed in integer nanoseconds from the
    /// origin, so they never drift. A tick that ends after one or more whole periods have
    /// gone by skips those deadlines (counted as overruns) instead of running a burst.
    private func runOnDeadlines(origin: Int64) {
        let fifo = configuration.pacing == .fifo
        let samplePeriod = configuration.samplePeriodNanoseconds
        let units = fifo ? Int64(max(1, configuration.fifoWatermarkFrames)) : 1
        let period = samplePeriod * units
        var deadline = origin + period
        var unitsDone: Int64 = 0
        while running {
            MonotonicClock.sleep(untilNanoseconds: deadline)
            let woke = MonotonicClock.nowNanoseconds()
            let lateness = woke - deadline
            switch timeBase {
            case .monotonic:
                let t = Self.tickTime(deadline: deadline, woke: woke, fifo: fifo)
                if fifo { core.fifoTick(t: t, wokeAt: woke, lateness: lateness) } else { core.sampleTick(t: t, wokeAt: woke, lateness: lateness) }
            case .virtual(let clock):
                // Scenario time follows speed × elapsed real time, in whole units; a wake that
                // fell behind (or a speed above one unit per wake) catches up in sub-steps.
                let unitSeconds = Double(period) / 1e9
                let due = Int64(clock.speed * Double(deadline - origin) / Double(period))
                let target = min(due, unitsDone + Int64(configuration.maximumCatchUpUnits))
                while unitsDone < target && running {
                    if let end = configuration.simulation?.endTime, Double(unitsDone + 1) * unitSeconds > end + unitSeconds * 1e-6 {
                        core.requestStop()  // the scenario is over: no unit past its end, at any speed
                        break
                    }
                    unitsDone += 1
                    clock.now = Double(unitsDone) * unitSeconds
                    if fifo { core.fifoTick(t: clock.now, wokeAt: woke, lateness: lateness) } else { core.sampleTick(t: clock.now, wokeAt: woke, lateness: lateness) }
                }
            }
            deadline += period
            let after = MonotonicClock.nowNanoseconds()
            if after >= deadline + period {
                let missed = (after - deadline) / period
                // On the real clock a skipped deadline is a lost sample. In simulation the
                // scenario's clock waits for the loop (the catch-up above), so nothing is lost
                // and nothing is counted: a simulated day does not depend on the host's load.
                if case .monotonic = timeBase { core.countOverruns(missed) }
                deadline += missed * period
            }
        }
    }

    /// The time a tick's data is stamped with. A timer tick's one reading stands for its
    /// deadline (the sample grid, free of wake jitter). A FIFO drain is different: it takes
    /// every frame converted up to the moment it runs, so its time is the wake. Stamped from
    /// the deadline, one 30 ms late wake brought three frames more than the deadline allows;
    /// `FrameClock` then had to squeeze them (10 µs apart) and the timeline was off for seconds.
    static func tickTime(deadline: Int64, woke: Int64, fifo: Bool) -> Double {
        MonotonicClock.seconds(fifo ? max(deadline, woke) : deadline)
    }

    /// Paced by sensor 0's interrupt; the sample time is the kernel's edge timestamp. A wait
    /// that times out (interrupt lost, e.g. a chip reset cleared its enable) polls instead, so
    /// health checks and recovery keep running.
    private func runOnDataReady(origin: Int64) {
        let period = configuration.samplePeriodNanoseconds
        let timeout = Int64(Double(period) * max(1.5, configuration.dataReadyTimeoutPeriods))
        guard let signal = core.sources.first?.dataReady else { return }  // checked by start
        while running {
            var edgeTime: Int64
            var lateness: Int64 = 0
            let edges: DataReadyEdges?
            do { edges = try signal.waitForEdges(timeoutNanoseconds: timeout) } catch {
                edges = nil
                MonotonicClock.sleep(untilNanoseconds: MonotonicClock.nowNanoseconds() + period)
            }
            let woke = MonotonicClock.nowNanoseconds()
            if let edges {
                edgeTime = edges.newestNanoseconds
                lateness = woke - edgeTime
                core.countOverruns(Int64(edges.count - 1))
            } else {
                edgeTime = woke
                core.countMissedEdge()
            }
            let t: Double
            switch timeBase {
            case .monotonic: t = MonotonicClock.seconds(edgeTime)
            case .virtual(let clock):
                clock.now = clock.speed * MonotonicClock.seconds(edgeTime - origin)
                t = clock.now
            }
            core.sampleTick(t: t, wokeAt: woke, lateness: lateness)
        }
    }
}

/// The C entry point of the loop thread: takes ownership of the runner and runs it.
func samplingLoopThreadMain(_ context: UnsafeMutableRawPointer?) -> UnsafeMutableRawPointer? {
    guard let context else { return nil }
    let runner = Unmanaged<LoopRunner>.fromOpaque(context).takeRetainedValue()
    _ = posture_thread_set_name(SamplingLoop.threadName)
    runner.run()
    return nil
}
