import Foundation
import Glibc
import PostureSim

/// The running board: one thread polls /dev/uhid and the control FIFO, answers the
/// driver through `CP2112`, applies fault commands and expires them.
final class Board {
    let options: Options
    let bus: BoardBus
    let bridge: CP2112
    private let gpioLog: LineLog
    private let events: LineLog
    private var uhid: Int32 = -1
    private var control: Int32 = -1
    private var controlBuffer: [UInt8] = []
    private var generation = 0
    /// After a plug, a chip reset or the end of a fault, the first successful read of data
    /// from each chip is logged once ("data 0x68"): samples flow again.
    private var awaitingFirstData: Set<UInt8> = []
    /// Chips reset and not yet read with data since the daemon configured them again: each
    /// configuration write re-arms their `data` line, so it means "samples flow after the
    /// reconfiguration", never a read that was already under way when the reset came.
    /// Whether each has been written since its reset.
    private var reconfiguring: [UInt8: Bool] = [:]
    private var quitRequested = false
    private let wearer: SimulatedWearer
    private let clock: ScenarioClock
    private var lastPosture: PostureKind?

    init(options: Options) throws(SystemError) {
        self.options = options
        let clock = ScenarioClock(start: options.start, speed: options.speed)
        self.clock = clock
        bus = BoardBus(wallClock: { Monotonic.seconds() }, scenarioClock: { clock.now() })
        let wearer = options.makeWearer()
        self.wearer = wearer
        bus.attach(SimulatedMPU6xxx(.mpu6050, motion: WearerMotion(wearer, sensor: 0)), at: options.mpuAddress)
        bus.attach(SimulatedLSM6DS(.lsm6ds3, motion: WearerMotion(wearer, sensor: 1)), at: options.lsmAddress)
        bridge = CP2112(bus: bus)
        gpioLog = try LineLog.open(options.gpioLog)
        events = try LineLog.open(options.eventLog)
        let gpioLog = self.gpioLog
        bridge.onGPIOChange = { line, value in gpioLog.stamp("\(line) \(value)") }
        events.write("\(UInt64(clock.wallStart * 1e9)) clock start \(options.start) speed \(options.speed)")
    }

    // MARK: plug

    /// Creates the bridge over /dev/uhid (a USB cable plugged in).
    /// Hooks the bus's reads up to the event log (after init: the hook needs `self`).
    func start() {
        bus.onRead = { [unowned self] address, bytes in self.noteRead(address, bytes) }
        bus.onRegisterWrite = { [unowned self] address, register, value in self.noteWrite(address, register, value) }
    }

    func plug() throws(SystemError) {
        guard uhid < 0 else { return }
        let fd = Glibc.open(options.uhidPath, O_RDWR | O_CLOEXEC)
        guard fd >= 0 else {
            let e = errno
            var hint = ""
            if e == ENOENT { hint = " (is the uhid module loaded? modprobe uhid)" }
            throw SystemError(operation: "opening \(options.uhidPath)\(hint)", errno: e)
        }
        generation += 1
        let create = UHIDEvent.create2(
            name: "Silicon Labs CP2112 virtual board \(generation)", bus: UHIDEvent.busUSB, vendor: CP2112.vendorID,
            product: CP2112.productID, version: 0x0100, descriptor: CP2112.reportDescriptor)
        do {
            try writeEvent(fd, create.encoded() ?? [])
        } catch {
            Glibc.close(fd)
            throw error
        }
        uhid = fd
        awaitingFirstData = Set(bus.chips.keys)
        events.stamp("plug \(generation)")
        note("bridge plugged in (CP2112 \(String(CP2112.vendorID, radix: 16)):\(String(CP2112.productID, radix: 16)), generation \(generation))")
    }

    /// Destroys the bridge (the cable pulled): the adapter and gpiochip vanish, the lines drop
    /// and the chips lose power. The kernel's i2c_del_adapter waits for every open
    /// /dev/i2c-N file to be closed, so the destroy runs on its own thread and the board
    /// stays responsive (a later `plug` makes a new bridge meanwhile).
    func unplug() {
        guard uhid >= 0 else { return }
        let fd = uhid
        uhid = -1
        bridge.powerOff()
        bus.powerCycle()
        events.stamp("unplug \(generation)")
        note("bridge unplugged (generation \(generation))")
        let events = self.events
        let generation = self.generation
        Thread.detachNewThread {
            try? writeEvent(fd, UHIDEvent.destroy.encoded() ?? [])
            Glibc.close(fd)
            events.stamp("destroyed \(generation)")
        }
    }

    // MARK: control

    func openControl() throws(SystemError) {
        guard let path = options.control else { return }
        var st = stat()
        if stat(path, &st) != 0 {
            guard mkfifo(path, 0o666) == 0 else { throw SystemError(operation: "creating the FIFO \(path)", errno: errno) }
        }
        // Read-write, so the FIFO never reports end-of-file when a writer closes it.
        let fd = Glibc.open(path, O_RDWR | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { throw SystemError(operation: "opening \(path)", errno: errno) }
        control = fd
    }

    private func readControl() {
        var chunk = [UInt8](repeating: 0, count: 512)
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(control, $0.baseAddress, $0.count) }
            guard n > 0 else { break }
            controlBuffer += chunk[0..<n]
        }
        while let newline = controlBuffer.firstIndex(of: 0x0A) {
            let line = String(decoding: controlBuffer[..<newline], as: UTF8.self)
            controlBuffer.removeSubrange(...newline)
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if !trimmed.isEmpty { execute(trimmed) }
        }
    }

    /// One control command; what it did (or why not) goes to the event log and stderr.
    func execute(_ line: String) {
        events.stamp("command \(line)")
        let words = line.split(separator: " ").map(String.init)
        func seconds(_ i: Int) -> Double? {
            guard i < words.count, let s = Double(words[i]), s.isFinite, s >= 0 else { return nil }
            return s
        }
        func address(_ i: Int) -> UInt8? {
            guard i < words.count else { return nil }
            return try? Options.address(words[i], flag: words[0])
        }
        var problem: String?
        switch words.first ?? "" {
        case "nack":
            if let s = seconds(1) { bus.nack(for: s) } else { problem = "usage: nack SECONDS" }
        case "stall":
            if let s = seconds(1) { bus.stall(for: s) } else { problem = "usage: stall SECONDS" }
        case "freeze":
            if let a = address(1), let s = seconds(2) {
                if !bus.freeze(a, for: s) { problem = "no chip at \(words[1])" }
            } else {
                problem = "usage: freeze ADDR SECONDS"
            }
        case "reset":
            if let a = address(1) {
                if bus.reset(a) {
                    awaitingFirstData.insert(a)
                    reconfiguring[a] = false
                } else {
                    problem = "no chip at \(words[1])"
                }
            } else {
                problem = "usage: reset ADDR"
            }
        case "jump":
            if let s = seconds(1), s >= clock.now() { clock.jump(to: s) } else { problem = "usage: jump SECONDS (forward only; now \(clock.now()))" }
        case "press":
            if words.count > 2, let line = Int(words[1]), (0..<8).contains(line),
               let durations = ButtonPresses.durations(words[2...]) {
                bridge.press(line, durations: durations)
                updateButtons()
            } else {
                problem = "usage: press LINE DOWN_S [GAP_S DOWN_S ...] (line 0-7, at most \(ButtonPresses.maxDurations) durations)"
            }
        case "unplug": unplug()
        case "plug":
            do { try plug() } catch { problem = "\(error)" }
        case "quit": quitRequested = true
        default: problem = "unknown command (nack, stall, freeze, reset, jump, press, unplug, plug, quit)"
        }
        if let problem {
            events.stamp("error \(line): \(problem)")
            note("'\(line)': \(problem)")
        } else {
            note("command: \(line)")
        }
    }

    /// Moves the buttons on (see `ButtonPresses`) and logs their edges.
    private func updateButtons(now: Double = Monotonic.seconds()) {
        for change in bridge.updateButtons(now: now) {
            events.stamp("\(change.high ? "pressed" : "released") \(change.line)")
        }
    }

    /// The poll's timeout: 100 ms, or less when a button's step is due to end, so a press
    /// lasts what was asked to within a millisecond (or until a GPIO report has shown it).
    private var pollTimeoutMilliseconds: Int32 {
        guard let next = bridge.nextButtonDeadline else { return 100 }
        return Int32(max(0, min(100, ((next - Monotonic.seconds()) * 1000).rounded(.up))))
    }

    // MARK: the loop

    /// Serves the bridge until `quit`, or a failure of /dev/uhid.
    func run() throws(SystemError) {
        var buffer = [UInt8](repeating: 0, count: UHIDEvent.size)
        while !quitRequested {
            var fds: [pollfd] = []
            if uhid >= 0 { fds.append(pollfd(fd: uhid, events: Int16(POLLIN), revents: 0)) }
            if control >= 0 { fds.append(pollfd(fd: control, events: Int16(POLLIN), revents: 0)) }
            let timeout = pollTimeoutMilliseconds
            let ready = fds.withUnsafeMutableBufferPointer { poll($0.baseAddress, nfds_t($0.count), timeout) }
            if ready < 0 && errno != EINTR { throw SystemError(operation: "poll", errno: errno) }
            updateButtons()
            logPosture()
            for ended in bus.expireFaults() {
                events.stamp("ended \(ended)")
                note("fault over: \(ended)")
                awaitingFirstData = Set(bus.chips.keys)
            }
            for p in fds where p.revents != 0 {
                if p.fd == control {
                    readControl()
                } else if p.fd == uhid {
                    let n = buffer.withUnsafeMutableBytes { Glibc.read(uhid, $0.baseAddress, $0.count) }
                    if n < 0 {
                        if errno == EINTR || errno == EAGAIN { continue }
                        throw SystemError(operation: "reading /dev/uhid", errno: errno)
                    }
                    try handle(Array(buffer[0..<n]))
                }
            }
        }
        unplug()
    }

    private func handle(_ bytes: [UInt8]) throws(SystemError) {
        let event: UHIDEvent
        do {
            event = try UHIDEvent.decode(bytes)
        } catch {
            note("ignored: \(error)")
            return
        }
        switch event {
        case .getReport(let id, let number, _):
            let reply: UHIDEvent
            if let report = bridge.getFeature(number) {
                reply = .getReportReply(id: id, err: 0, data: report)
            } else {
                reply = .getReportReply(id: id, err: UInt16(EIO), data: [])
            }
            try writeEvent(uhid, reply.encoded() ?? [])
        case .setReport(let id, _, _, let data):
            let ok = bridge.setFeature(data)
            try writeEvent(uhid, UHIDEvent.setReportReply(id: id, err: ok ? 0 : UInt16(EIO)).encoded() ?? [])
        case .output(let data, _):
            for var report in bridge.output(data) {
                report += [UInt8](repeating: 0, count: max(0, 64 - report.count))
                try writeEvent(uhid, UHIDEvent.input2(data: report).encoded() ?? [])
            }
        case .start: events.stamp("start \(generation)")
        case .stop: events.stamp("stop \(generation)")
        case .open: events.stamp("open \(generation)")
        case .close: events.stamp("close \(generation)")
        default: break
        }
    }

    /// Logs the wearer's true posture whenever it changes (it switches halfway through a
    /// transition): the reference the test's timing checks measure from.
    private func logPosture() {
        let truth = wearer.truth(at: clock.now())
        guard truth.posture != lastPosture else { return }
        lastPosture = truth.posture
        events.stamp("posture \(truth.posture.rawValue) activity \(truth.activity.rawValue) slouching \(truth.isSlouching ? 1 : 0) t \(truth.t)")
    }

    /// Logs `data` for the chip just read, the first time after a plug, reset or fault (a read
    /// of six bytes or more, not all zero: a sample burst, not an identity or status byte, nor
    /// the cleared registers of a chip that lost its configuration).
    private func noteRead(_ address: UInt8, _ bytes: [UInt8]) {
        guard !awaitingFirstData.isEmpty, bytes.count >= 6, bytes.contains(where: { $0 != 0 }),
              awaitingFirstData.contains(address)
        else { return }
        awaitingFirstData.remove(address)
        if reconfiguring[address] == true { reconfiguring[address] = nil }
        events.stamp("data 0x\(String(address, radix: 16))")
    }

    private func noteWrite(_ address: UInt8, _ register: UInt8, _ value: UInt8) {
        events.stamp("write 0x\(String(address, radix: 16)) 0x\(String(register, radix: 16)) 0x\(String(value, radix: 16))")
        if reconfiguring[address] != nil {
            reconfiguring[address] = true
            awaitingFirstData.insert(address)
        }
    }
}

/// The wearer's time: `start` at start-up, then `speed` scenario seconds per wall-clock
/// second; `jump` moves it forward at once (the chips then skip the time between, as after a
/// long pause).
final class ScenarioClock {
    let wallStart: Double
    private var origin: (wall: Double, scenario: Double)
    let speed: Double

    init(start: Double, speed: Double, wall: Double = Monotonic.seconds()) {
        wallStart = wall
        origin = (wall, start)
        self.speed = speed
    }

    func now(wall: Double = Monotonic.seconds()) -> Double { origin.scenario + (wall - origin.wall) * speed }

    func jump(to scenario: Double, wall: Double = Monotonic.seconds()) { origin = (wall, scenario) }
}
