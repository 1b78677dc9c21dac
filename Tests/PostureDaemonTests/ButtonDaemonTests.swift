import Foundation
import Logging
import PostureConfig
import PostureControl
import PostureCore
@testable import PostureDaemon
import PostureHardware
@testable import PostureSim
import PostureStore
import Synchronization
import XCTest

/// The button through the real supervisor (issue 14): a scripted button source on the real
/// button thread (`ButtonWatcher`, software debounce, the classifier), the real relay, the
/// real supervisor and sampling loop on register-level simulated chips, and an indicator on a
/// recording line. A long press calibrates with the indicator as the only prompt; a double
/// press says "tracking", a short one snoozes, the next resumes.
///
/// Nothing here races the machine's load: the wearer sits down when the sitting prompt
/// begins, not at a scenario second, and a double press is scheduled whole, its edges at
/// exact offsets, not by the test's sleeps between two presses.
final class ButtonDaemonTests: XCTestCase {
    /// The real supervisor and sampling loop on simulated chips, an LED on a recording line,
    /// and a scripted button on the real button thread and relay.
    private struct Rig {
        let supervisor: Supervisor
        let wearer: WearerOnCue
        let led: RecordingLine
        let button: ScriptedButton
        let configuration: PostureConfiguration
        let stop: () -> Void
    }

    private func startRig() async throws -> Rig {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("button-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)

        let wearer = WearerOnCue(seed: 3)
        var configuration = PostureConfiguration()
        configuration.indicators = [IndicatorConfiguration(kind: .led, gpio: GPIOLineSpec(chip: "test", line: .offset(1)))]
        let loopConfiguration = LoopConfiguration(sampling: configuration.sampling)
        let calibration = try XCTUnwrap(Calibration.assumed(sensorCount: 2))
        let loop = try SamplingLoop.start(
            configuration: loopConfiguration, engine: PostureEngine(configuration: EngineConfiguration(), calibration: calibration),
            sources: wearer.sources(loop: loopConfiguration))
        let led = RecordingLine()
        let supervisor = Supervisor(
            settings: Supervisor.Settings(
                configPath: directory.appendingPathComponent("absent.toml").path, socketPath: "", simulatedDayStart: nil,
                nudgesToTerminal: false),
            loop: loop, notifier: try SystemdNotifier(socket: nil), logger: Logger(label: "button-test"),
            logLevel: LogLevelSwitch(), configuration: configuration, configurationText: nil,
            dayLog: try DayLog.open(stateDirectory: directory.path, mode: .readWrite),
            indicators: try Indicators.playing(on: [(configuration.indicators[0], led)]), calibration: calibration,
            calibrated: false)
        let running = Task { await supervisor.run(isShuttingDown: { false }) }
        let button = ScriptedButton()
        let (watcher, signals) = try ButtonRelay.start(timing: .standard) { button }
        let relay = Task { await ButtonRelay.forward(signals, to: supervisor) }
        let rig = Rig(
            supervisor: supervisor, wearer: wearer, led: led, button: button, configuration: configuration,
            stop: {
                watcher.stop()
                relay.cancel()
                running.cancel()
                try? FileManager.default.removeItem(at: directory)
            })
        try await waitUntil("both sensors deliver", timeout: 10) {
            await supervisor.lastReport.map { $0.sensors.pelvis.isDelivering && $0.sensors.upperLumbar.isDelivering } ?? false
        }
        return rig
    }

    func testTheButtonCalibratesSnoozesAndResumesThroughTheSupervisor() async throws {
        let rig = try await startRig()
        defer { rig.stop() }
        let (supervisor, wearer, led, button, configuration) = (rig.supervisor, rig.wearer, rig.led, rig.button, rig.configuration)
        // Long press: held 2.5 s (it fires at 2 s), with contact chatter the thread debounces.
        button.press(for: 2.5, chatter: true)
        // The standing pose is captured while the wearer stands; the next pattern is the
        // prompt to sit (the countdown then leaves 3 s before the capture): the wearer sits
        // down as soon as it begins, however long the daemon took to get there.
        try await waitUntil("the prompt after the standing pose", timeout: 40) { led.patternsBegun() >= 2 }
        wearer.sitDown()
        try await waitUntil("the calibration ends", timeout: 40) { led.patterns().count >= 3 }
        let calibrated = await supervisor.calibrated
        XCTAssertTrue(calibrated, "the long press calibrated; indicator patterns \(led.patterns())")
        XCTAssertEqual(led.cues(), [.standTall, .sitUpright, .calibrated], "the prompts, in order: \(led.patterns())")

        button.press(sequence: [0.1, 0.2, 0.1])
        try await waitUntil("the answer to a double press", timeout: 5) { led.patterns().count >= 4 }
        XCTAssertEqual(led.cues().last, .tracking)

        button.press(for: 0.15, chatter: true)
        try await waitUntil("the answer to a short press", timeout: 5) { led.patterns().count >= 5 }
        XCTAssertEqual(led.cues().last, .snoozed)
        let snooze = await supervisor.status().snoozeRemainingSeconds
        XCTAssertEqual(snooze ?? 0, configuration.policy.defaultSnoozeDuration, accuracy: 5, "snoozed as posturectl snooze does")

        button.press(sequence: [0.1, 0.2, 0.1])
        try await waitUntil("the answer to a double press while snoozed", timeout: 5) { led.patterns().count >= 6 }
        XCTAssertEqual(led.cues().last, .trackingSnoozed)

        button.press(for: 0.15)
        try await waitUntil("the answer to the next short press", timeout: 5) { led.patterns().count >= 7 }
        XCTAssertEqual(led.cues().last, .resumed)
        let resumed = await supervisor.status().snoozeRemainingSeconds
        XCTAssertNil(resumed, "resumed")
        XCTAssertEqual(led.cues().count, 7, "one answer per gesture, nothing else: \(led.patterns())")
    }

    /// `posturectl calibrate` counts down before it captures anything; a long press then must
    /// not start a second calibration that takes the first one's poses (or ends it).
    func testALongPressDuringAControlSocketCalibrationIsRefusedNotInterleaved() async throws {
        let rig = try await startRig()
        defer { rig.stop() }
        let states = ProgressStates()
        let supervisor = rig.supervisor
        let socketCalibration = Task { try await supervisor.calibrate { progress in states.add(progress.state) } }
        defer { socketCalibration.cancel() }
        try await waitUntil("the socket's calibration counts down", timeout: 10) { states.all.contains(.countdown) }

        rig.button.press(for: 2.5)
        try await waitUntil("the button's answer", timeout: 10) { rig.led.patterns().count >= 1 }
        XCTAssertEqual(rig.led.cues(), [.calibrationFailed], "refused, and told so: \(rig.led.patterns())")
        XCTAssertFalse(states.all.contains(.failed), "the socket's calibration runs on: \(states.all)")
    }

    private func waitUntil(_ what: String, timeout: Double, _ condition: () async -> Bool) async throws {
        let deadline = Date().addingTimeInterval(timeout)
        while await !condition() {
            guard Date() < deadline else { throw ButtonTestError("timed out waiting for \(what)") }
            try await Task.sleep(for: .milliseconds(50))
        }
    }
}

/// The states a calibration reported, from its progress callback's thread.
private final class ProgressStates: Sendable {
    private let states = Mutex<[CalibrationProgress.State]>([])
    func add(_ state: CalibrationProgress.State) { states.withLock { $0.append(state) } }
    var all: [CalibrationProgress.State] { states.withLock { $0 } }
}

private struct ButtonTestError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// A button pressed by the test: edges stamped with CLOCK_MONOTONIC as the kernel stamps
/// them, not debounced (so the thread's software debounce runs, as on libgpiod v1).
final class ScriptedButton: ButtonEdgeSource, Sendable {
    private let pending = Mutex<[GPIOEdge]>([])
    private let scheduled = Mutex<[(at: UInt64, pressed: Bool)]>([])

    var kernelDebounced: Bool { false }

    /// Presses now and releases `seconds` later; with `chatter`, each edge bounces twice first.
    func press(for seconds: Double, chatter: Bool = false) {
        press(sequence: [seconds], chatter: chatter)
    }

    /// Presses now for `durations[0]` s, releases for `durations[1]`, presses for
    /// `durations[2]`… and releases: every edge stamped in this one call at its exact offset,
    /// so a test task slowed by a loaded machine cannot stretch a gap past the double-press
    /// window (the edges carry their kernel-like timestamps whenever they are read).
    func press(sequence durations: [Double], chatter: Bool = false) {
        var t = Self.monotonicNanoseconds()
        var levels: [(UInt64, Bool)] = []
        for (i, seconds) in durations.enumerated() {
            levels.append((t, i % 2 == 0))
            t += UInt64(max(0, seconds) * 1e9)
        }
        levels.append((t, false))
        var edges: [(UInt64, Bool)] = []
        for (t, level) in levels {
            if chatter { edges += [(t, level), (t + 1_000_000, !level), (t + 2_000_000, level)] } else { edges.append((t, level)) }
        }
        scheduled.withLock { $0 += edges.map { (at: $0.0, pressed: $0.1) } }
    }

    func wait(timeout: Duration?) throws(GPIOError) -> Bool {
        let end = Self.monotonicNanoseconds() + UInt64((timeout ?? .seconds(1)) / .nanoseconds(1))
        while true {
            let now = Self.monotonicNanoseconds()
            let due = scheduled.withLock { list -> [GPIOEdge] in
                let ready = list.filter { $0.at <= now }
                list.removeAll { $0.at <= now }
                return ready.map { GPIOEdge(timestampNanoseconds: $0.at, rising: $0.pressed) }
            }
            if !due.isEmpty { pending.withLock { $0 += due } }
            if pending.withLock({ !$0.isEmpty }) { return true }
            if now >= end { return false }
            usleep(2000)
        }
    }

    func readEdges(_ body: (GPIOEdge) -> Void) throws(GPIOError) -> Int {
        let edges = pending.withLock { list in defer { list.removeAll() }; return list }
        edges.forEach(body)
        return edges.count
    }

    static func monotonicNanoseconds() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return UInt64(now.tv_sec) * 1_000_000_000 + UInt64(now.tv_nsec)
    }
}

/// An indicator line that records when it switched, and reads the patterns back.
final class RecordingLine: OutputLine {
    private let changes = Mutex<[(t: UInt64, on: Bool)]>([])

    func set(_ on: Bool) throws {
        let t = ScriptedButton.monotonicNanoseconds()
        changes.withLock { $0.append((t, on)) }
    }

    /// The on/off durations (ms) of each pattern played to its end: patterns are apart by the
    /// player's 500 ms gap, longer than any off step of the default cues.
    func patterns() -> [[Int]] {
        let now = ScriptedButton.monotonicNanoseconds()
        let list = changes.withLock { $0 } + [(t: now, on: true)]  // "now" closes a pattern quiet long enough
        var patterns: [[Int]] = []
        var current: [Int] = []
        for (a, b) in zip(list, list.dropFirst()) {
            let ms = Int((b.t - a.t) / 1_000_000)
            if !a.on, ms > 450 {
                patterns.append(current)
                current = []
            } else if b.t != now {
                current.append(ms)
            }
        }
        return patterns
    }

    /// How many patterns have begun: the first, and each switch on after a quiet gap that
    /// closes a pattern (the one playing counts before it ends).
    func patternsBegun() -> Int {
        let list = changes.withLock { $0 }
        var begun = 0
        var lastOff: UInt64?
        for change in list {
            if change.on, begun == 0 || lastOff.map({ change.t - $0 > 450_000_000 }) == true { begun += 1 }
            lastOff = change.on ? nil : change.t
        }
        return begun
    }

    /// The cue each pattern matches (on and off steps within 100 ms), nil for none.
    func cues() -> [IndicatorCue?] {
        patterns().map { durations in
            IndicatorCue.allCases.first { cue in
                guard let steps = IndicatorCue.defaultPatterns[cue]?.steps, steps.count == durations.count else { return false }
                return zip(steps, durations).allSatisfy { abs($0.milliseconds - $1) <= 100 }
            }
        }
    }
}

/// The test's wearer: stands tall until `sitDown()`, then sits upright (a 0.5 s transition)
/// from the next sample a chip computes, on the loop's own scenario clock; so the sitting
/// pose follows the daemon's prompt, not a time fixed in advance that a slow start could
/// overtake or miss.
final class WearerOnCue: Sendable {
    private let seed: UInt64
    private let standing: SimulatedWearer
    private let state = Mutex<(asked: Bool, sitting: SimulatedWearer?)>((false, nil))

    init(seed: UInt64) {
        self.seed = seed
        standing = SimulatedWearer(timeline: PostureTimeline([PostureSegment(.standTall, duration: 3600)], seed: seed), seed: seed)
    }

    func sitDown() { state.withLock { $0.asked = true } }

    /// The wearer at scenario second `t`: once asked to sit, one whose timeline stands until
    /// the first `t` seen after the request and sits from there (same seed, same sensors).
    func wearer(at t: Double) -> SimulatedWearer {
        state.withLock { s in
            if let sitting = s.sitting { return sitting }
            guard s.asked else { return standing }
            let sitting = SimulatedWearer(
                timeline: PostureTimeline(
                    [PostureSegment(.standTall, duration: max(t, 0.1)), PostureSegment(.sitUpright, duration: 3600, transition: 0.5)],
                    seed: seed),
                seed: seed)
            s.sitting = sitting
            return sitting
        }
    }

    /// The two simulated chips of `SourceFactory.simulated`, moved by this wearer.
    func sources(loop: LoopConfiguration) -> SourceSet {
        let clock = VirtualClock(speed: 1)
        let bus = SimulatedI2CBus(name: SourceFactory.simulatedBusName, clock: { clock.now })
        let addresses = SourceFactory.simulatedAddresses
        bus.attach(SimulatedMPU6xxx(.mpu6050, motion: Motion(self, sensor: 0)), at: addresses[0])
        bus.attach(SimulatedLSM6DS(.lsm6ds3, motion: Motion(self, sensor: 1)), at: addresses[1])
        let settings = SourceFactory.settings(for: SensorConfiguration(), loop: loop)
        return SourceSet(
            sources: [
                SimulatedSensorSource(
                    index: 0, bus: bus, address: addresses[0], settings: settings, emulatesDataReady: loop.pacing == .dataReady),
                SimulatedSensorSource(index: 1, bus: bus, address: addresses[1], settings: settings),
            ],
            timeBase: .virtual(clock))
    }

    private final class Motion: MotionSource {
        let cue: WearerOnCue
        let sensor: Int

        init(_ cue: WearerOnCue, sensor: Int) {
            self.cue = cue
            self.sensor = sensor
        }

        func specificForceAndRate(at t: Double) -> (accel: Vector3, gyro: Vector3) {
            let s = cue.wearer(at: t).sample(sensor: sensor, at: t)
            return (s.accel, s.gyro)
        }
    }
}
