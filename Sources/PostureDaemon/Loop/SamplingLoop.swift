import CPostureShim
import Glibc
public import PostureCore
import Synchronization

/// The daemon's fixed-rate sampling loop on its own thread ("postured-loop").
///
/// `start` opens the sensors (a sensor that fails starts faulted and is retried; the loop
/// runs anyway), locks memory and creates the thread with SCHED_FIFO when configured, and
/// returns. From then on the thread talks to the world only through three rings:
/// `reports` (one `LoopReport` per tick, lossy: a slow supervisor loses reports, recorded as
/// a gap), `events` (the engine steps that decided something: nudges, activity, slouch and
/// bout changes; sized so it cannot fill while the daemon lives, see `eventCapacity`) and
/// `commands` (the supervisor is its single producer).
///
/// Sendable by construction: every stored property is an immutable `Sendable` value.
public final class SamplingLoop: Sendable {
    public static let threadName = "postured-loop"

    public let configuration: LoopConfiguration
    public let reports: SPSCRing<LoopReport>
    public let commands: SPSCRing<LoopCommand>
    public let events: SPSCRing<EngineStep>
    /// What each sensor was at start-up, for the supervisor's first log lines.
    public let startup: [SensorStartup]
    /// Each sensor as last found: the start-up result, updated when the loop re-detects it.
    public let sensors: SensorDirectory
    /// SCHED_FIFO priority the thread runs at (0: normal scheduling).
    public let realtimePriority: Int
    public let memoryLocked: Bool
    /// Reports the loop publishes a second: the rate, times the speed in simulation.
    public let reportsPerSecond: Double
    private let retired: SPSCRing<PolicyConfiguration>
    private let flags: LoopFlags
    private let thread: posture_thread_handle
    private let joined = Atomic<Bool>(false)

    /// How one sensor came up.
    public struct SensorStartup: Sendable, Equatable {
        public var index: Int
        /// "sensor 0 (pelvis): MPU-6050 at 0x68 on /dev/i2c-1".
        public var description: String
        /// The configured chip, or the reason it could not be opened (it is retried).
        public var configurationSummary: String?
        public var error: String?
        /// Chip, bus and address as found at start-up.
        public var identity: SensorIdentity
    }

    private init(
        configuration: LoopConfiguration, reports: SPSCRing<LoopReport>, events: SPSCRing<EngineStep>,
        commands: SPSCRing<LoopCommand>, retired: SPSCRing<PolicyConfiguration>, startup: [SensorStartup], directory: SensorDirectory, flags: LoopFlags,
        thread: posture_thread_handle, memoryLocked: Bool, reportsPerSecond: Double
    ) {
        self.reportsPerSecond = reportsPerSecond
        self.configuration = configuration
        self.reports = reports
        self.events = events
        self.commands = commands
        self.retired = retired
        self.startup = startup
        self.sensors = directory
        self.flags = flags
        self.thread = thread
        self.memoryLocked = memoryLocked
        realtimePriority = configuration.realtimePriority
    }

    deinit {
        stop()
    }

    /// Starts the loop.
    ///
    /// - Parameters:
    ///   - sources: from `SourceFactory`: sensor 0 (pelvis) first, then optionally sensor 1,
    ///     and the time base (`.monotonic` for hardware, `.virtual(clock)` in simulation).
    ///     Given up by the caller (`sending`): from now on they belong to the loop thread.
    /// - Throws: `LoopStartError` with a message that says what to change.
    public static func start(
        configuration: LoopConfiguration, engine: PostureEngine, sources set: sending SourceSet
    ) throws(LoopStartError) -> SamplingLoop {
        let sources = set.sources, timeBase = set.timeBase
        guard (1...SensorIndex.count).contains(sources.count) else {
            throw .invalid("expected 1 or 2 sensors, got \(sources.count)")
        }
        guard configuration.rateHz > 0 else { throw .invalid("rate_hz must be positive") }
        guard (0...99).contains(configuration.realtimePriority) else {
            throw .invalid("realtime_priority must be 0…99, got \(configuration.realtimePriority)")
        }
        if configuration.pacing == .dataReady {
            if case .virtual(let clock) = timeBase, clock.speed != 1 {
                throw .invalid("pacing = \"data-ready\" needs real time; use pacing = \"timer\" with --speed")
            }
        }

        // Open the sensors here, where allocation and logging are fine.
        var startup: [SensorStartup] = []
        var openErrors: [SensorFaultCode?] = []
        for (i, source) in sources.enumerated() {
            do {
                let c = try source.open()
                startup.append(SensorStartup(
                    index: i, description: source.description, configurationSummary: c.summary, error: nil,
                    identity: source.identity))
                openErrors.append(nil)
            } catch {
                startup.append(SensorStartup(
                    index: i, description: source.description, configurationSummary: nil, error: error.description,
                    identity: source.identity))
                openErrors.append(error.faultCode)
            }
        }
        if configuration.pacing == .dataReady && sources[0].dataReady == nil {
            throw .invalid("pacing = \"data-ready\" needs sensor 0's data_ready line (and the chip found at start-up)")
        }

        if configuration.lockMemory {
            let rc = posture_lock_memory()
            if rc < 0 { throw .memoryLockFailed(errno: -rc) }
        }

        let capacity = configuration.reportCapacity ?? defaultReportCapacity(configuration, timeBase: timeBase)
        let reports = SPSCRing<LoopReport>(capacity: capacity)
        let events = SPSCRing<EngineStep>(capacity: Self.eventCapacity)
        let commands = SPSCRing<LoopCommand>(capacity: 64)
        let retired = SPSCRing<PolicyConfiguration>(capacity: 16)
        let flags = LoopFlags()
        let directory = SensorDirectory(startup)
        let core = LoopCore(
            engine: engine, sources: sources, openErrors: openErrors, configuration: configuration, reports: reports,
            events: events, commands: commands, retired: retired, directory: directory, now: MonotonicClock.nowNanoseconds())
        let runner = LoopRunner(core: core, timeBase: timeBase, flags: flags)

        let context = Unmanaged.passRetained(runner).toOpaque()
        var handle: posture_thread_handle = 0
        let rc = posture_thread_start(
            samplingLoopThreadMain, context, configuration.stackBytes, Int32(configuration.realtimePriority), &handle)
        if rc < 0 {
            Unmanaged<LoopRunner>.fromOpaque(context).release()  // the thread never took it
            if -rc == EPERM && configuration.realtimePriority > 0 {
                throw .realtimeNotPermitted(priority: configuration.realtimePriority)
            }
            throw .threadCreationFailed(errno: -rc)
        }
        return SamplingLoop(
            configuration: configuration, reports: reports, events: events, commands: commands, retired: retired, startup: startup,
            directory: directory, flags: flags, thread: handle, memoryLocked: configuration.lockMemory,
            reportsPerSecond: reportsPerSecond(configuration, timeBase: timeBase))
    }

    /// Why the event ring cannot fill. The policy and the classifier space their decisions:
    /// an activity change needs its dwell (at least 0.5 s), a slouch its hold, a nudge its
    /// repeat interval, a bout a break. Even at 4 events a second, 8192 slots are 34 minutes
    /// of a supervisor that drains nothing, while the systemd watchdog (`WatchdogSec=10s`)
    /// restarts one stalled for 10 s; a simulated day at speed 600 makes a few hundred events
    /// in all. About 1 MB, allocated once. A push that failed anyway is counted (`droppedEvents`).
    public static let eventCapacity = 8192

    /// A quarter second of reports at the effective rate (× speed in simulation), at least 256.
    static func defaultReportCapacity(_ configuration: LoopConfiguration, timeBase: LoopTimeBase) -> Int {
        max(256, Int(min(reportsPerSecond(configuration, timeBase: timeBase) / 4, Double(1 << 20))))
    }

    static func reportsPerSecond(_ configuration: LoopConfiguration, timeBase: LoopTimeBase) -> Double {
        var speed = 1.0
        if case .virtual(let clock) = timeBase { speed = clock.speed }
        return Double(configuration.rateHz) * speed
    }

    /// Asks the thread to stop and waits for it (at most about one period, or one
    /// data-ready timeout). Idempotent; concurrent callers after the first return at once.
    public func stop() {
        flags.stop.store(true, ordering: .relaxed)
        guard !joined.exchange(true, ordering: .acquiringAndReleasing) else { return }
        _ = posture_thread_join(thread)
    }

    /// True until the thread has returned (after `stop()` or `LoopCommand.stop`).
    public var isRunning: Bool { !flags.finished.load(ordering: .acquiring) }

    /// Sends a command; false if the ring is full (the loop polls it every tick, so only a
    /// flood can fill it). Single producer: call from the supervisor only.
    @discardableResult
    public func send(_ command: LoopCommand) -> Bool { commands.push(command) }

    /// Pops up to `limit` reports, and frees replaced policy configurations the loop handed
    /// back. Single consumer: call from the supervisor only.
    @discardableResult
    public func drainReports(limit: Int = .max, _ body: (LoopReport) throws -> Void) rethrows -> Int {
        retired.drain { _ in }
        return try reports.drain(limit: limit) { try body($0) }
    }

    /// Reports refused because the ring was full (the supervisor fell behind).
    public var droppedReports: Int { reports.dropped }
    public var droppedEvents: Int { events.dropped }

    /// Pops the engine steps that decided something, oldest first.
    public func drainEvents(_ body: (EngineStep) throws -> Void) rethrows {
        _ = try events.drain { try body($0) }
    }
}
