import PostureCore
import PostureSim
import Testing

@testable import virtual_board

/// A bus on manual clocks, with the two chips of the virtual board lying still.
private final class Rig {
    var wall = 100.0
    var scenario = 0.0
    let bus: BoardBus
    let bridge: CP2112
    var gpio: [(Int, Int)] = []

    init() {
        var wallRef: (() -> Double)!
        var scenarioRef: (() -> Double)!
        bus = BoardBus(wallClock: { wallRef() }, scenarioClock: { scenarioRef() })
        bus.attach(SimulatedMPU6xxx(.mpu6050, motion: SteadyMotion()), at: 0x68)
        bus.attach(SimulatedLSM6DS(.lsm6ds3, motion: SteadyMotion()), at: 0x6A)
        bridge = CP2112(bus: bus)
        wallRef = { [unowned self] in self.wall }
        scenarioRef = { [unowned self] in self.scenario }
        bridge.onGPIOChange = { [unowned self] line, value in self.gpio.append((line, value)) }
    }

    /// The driver's SMBus "read byte data" / I2C block read: write-read, status, force reads.
    /// Returns the bytes, or the status report when the transfer did not complete.
    func writeRead(_ address: UInt8, register: UInt8, count: Int) -> (bytes: [UInt8]?, status: [UInt8]?) {
        #expect(bridge.output([0x11, address << 1, UInt8(count >> 8), UInt8(count & 0xFF), 1, register]).isEmpty)
        let status = bridge.output([0x15, 0x01])
        guard let s = status.first else { return (nil, nil) }
        guard s[1] == CP2112.status0Complete else { return (nil, s) }
        #expect(Int(s[5]) << 8 | Int(s[6]) == count)
        var bytes: [UInt8] = []
        while bytes.count < count {
            let left = count - bytes.count
            let responses = bridge.output([0x12, UInt8(left >> 8), UInt8(left & 0xFF)])
            guard let r = responses.first, r[0] == 0x13, r[2] > 0 else { return (bytes, s) }
            #expect(Int(r[2]) <= 61)
            bytes += r[3..<(3 + Int(r[2]))]
        }
        return (bytes, s)
    }

    func writeByte(_ address: UInt8, register: UInt8, value: UInt8) -> [UInt8]? {
        #expect(bridge.output([0x14, address << 1, 2, register, value]).isEmpty)
        return bridge.output([0x15, 0x01]).first
    }
}

@Suite struct CP2112ProtocolTests {
    @Test func probeReportsMatchWhatTheDriverReads() throws {
        let rig = Rig()
        #expect(rig.bridge.getFeature(0x05) == [0x05, 0x0C, 0x02])
        let smbus = try #require(rig.bridge.getFeature(0x06))
        #expect(smbus.count == 14)  // sizeof(struct cp2112_smbus_config_report)
        var config = smbus
        config[12] = 0
        config[13] = 1  // the driver sets retry_time = 1
        #expect(rig.bridge.setFeature(config))
        #expect(rig.bridge.getFeature(0x06) == config)
        #expect(rig.bridge.getFeature(0x20)?.count == 2)
        #expect(rig.bridge.getFeature(0x02)?.count == 5)
        #expect(rig.bridge.getFeature(0x03)?.count == 2)
        #expect(rig.bridge.getFeature(0x21)?.count == 10)
        #expect(rig.bridge.getFeature(0x7F) == nil)
        #expect(!rig.bridge.setFeature([0x7F, 1, 2]))
    }

    @Test func whoAmIOfBothFamilies() {
        let rig = Rig()
        #expect(rig.writeRead(0x68, register: 0x75, count: 1).bytes == [0x68])
        #expect(rig.writeRead(0x6A, register: 0x0F, count: 1).bytes == [0x69])
    }

    @Test func absentAddressIsNackedAsTheDriverMapsIt() {
        let rig = Rig()
        let r = rig.writeRead(0x50, register: 0x00, count: 1)
        #expect(r.bytes == nil)
        #expect(r.status?[1] == CP2112.status0Error)
        #expect(r.status?[2] == CP2112.status1TimeoutNACK)
    }

    @Test func writesLandInTheChipAndPlainReadsFollowThePointer() {
        let rig = Rig()
        #expect(rig.writeByte(0x68, register: 0x6B, value: 0x01)?[1] == CP2112.status0Complete)
        #expect(rig.writeRead(0x68, register: 0x6B, count: 1).bytes == [0x01])
        // Write the pointer alone, then a plain read request (0x10).
        #expect(rig.bridge.output([0x14, 0x68 << 1, 1, 0x75]).isEmpty)
        _ = rig.bridge.output([0x15, 0x01])
        #expect(rig.bridge.output([0x10, 0x68 << 1, 0, 1]).isEmpty)
        #expect(rig.bridge.output([0x15, 0x01]).first?[1] == CP2112.status0Complete)
        #expect(rig.bridge.output([0x12, 0, 1]).first?[3] == 0x68)
    }

    @Test func longReadsComeInChunksOf61() {
        let rig = Rig()
        // Registers 0x00…0x6F: identity and configuration, no FIFO port on the way.
        let r = rig.writeRead(0x68, register: 0x00, count: 0x70)
        #expect(r.bytes?.count == 0x70)
        #expect(r.bytes?[0x6B] == 0x40)  // PWR_MGMT_1 at power-on, beyond the second chunk
        #expect(r.bytes.map { Array($0[0x0D...0x10]) } == rig.writeRead(0x68, register: 0x0D, count: 4).bytes)
    }

    @Test func samplesFollowTheScenarioClock() throws {
        let rig = Rig()
        // Wake the MPU-6050: PWR_MGMT_1 = 1 (PLL), 1 kHz / (1 + 9) = 100 Hz.
        _ = rig.writeByte(0x68, register: 0x6B, value: 0x01)
        _ = rig.writeByte(0x68, register: 0x1A, value: 0x03)
        _ = rig.writeByte(0x68, register: 0x19, value: 0x09)
        rig.scenario = 1
        let a = try #require(rig.writeRead(0x68, register: 0x3B, count: 14).bytes)
        let az = Int16(bitPattern: UInt16(a[4]) << 8 | UInt16(a[5]))
        #expect(abs(Int(az) - 16384) < 200)  // +1 g on z at ±2 g
    }

    @Test func nackStallAndTheirEnd() {
        let rig = Rig()
        rig.bus.nack(for: 2)
        #expect(rig.writeRead(0x68, register: 0x75, count: 1).status?[1] == CP2112.status0Error)
        rig.wall += 2.5
        #expect(rig.writeRead(0x68, register: 0x75, count: 1).bytes == [0x68])
        rig.bus.stall(for: 1)
        let stalled = rig.writeRead(0x68, register: 0x75, count: 1)
        #expect(stalled.bytes == nil && stalled.status == nil)  // no status answer at all
        rig.wall += 1.5
        #expect(rig.bus.expireFaults() == ["stall"])
        #expect(rig.writeRead(0x68, register: 0x75, count: 1).bytes == [0x68])
    }

    @Test func freezeHoldsTheDataAndResetRestoresPowerOnValues() throws {
        let rig = Rig()
        _ = rig.writeByte(0x68, register: 0x6B, value: 0x01)
        #expect(rig.bus.freeze(0x68, for: 5))
        #expect(rig.bus.chips[0x68]?.isFrozen == true)
        rig.wall += 6
        #expect(rig.bus.expireFaults() == ["freeze 0x68"])
        #expect(rig.bus.chips[0x68]?.isFrozen == false)
        #expect(rig.writeRead(0x68, register: 0x6B, count: 1).bytes == [0x01])
        #expect(rig.bus.reset(0x68))
        #expect(rig.writeRead(0x68, register: 0x6B, count: 1).bytes == [0x40])  // asleep again
        #expect(!rig.bus.reset(0x50))
    }

    @Test func gpioLatchChangesAreReportedPerLine() {
        let rig = Rig()
        // The driver: direction output for line 3, then GPIO set [0x04, value ? 0xFF : 0, BIT(3)].
        var config = rig.bridge.getFeature(0x02) ?? []
        config[1] |= 1 << 3
        #expect(rig.bridge.setFeature(config))
        #expect(rig.bridge.setFeature([0x04, 0xFF, 0x08]))
        #expect(rig.bridge.setFeature([0x04, 0xFF, 0x08]))  // no change, no event
        #expect(rig.bridge.setFeature([0x04, 0x00, 0x08]))
        #expect(rig.bridge.getFeature(0x03) == [0x03, 0x00])
        #expect(rig.bridge.setFeature([0x04, 0xFF, 0x01]))
        rig.bridge.powerOff()
        #expect(rig.gpio.map { "\($0.0)=\($0.1)" } == ["3=1", "3=0", "0=1", "0=0"])
    }

    @Test func reportDescriptorDeclaresEveryReportWithItsDirection() {
        let d = CP2112.reportDescriptor
        func declared(_ id: UInt8, _ main: UInt8) -> Bool {
            (0..<(d.count - 5)).contains { d[$0] == 0x85 && d[$0 + 1] == id && d[$0 + 4] == main }
        }
        for id in CP2112.featureIDs { #expect(declared(id, 0xB1)) }
        for id in CP2112.outputIDs { #expect(declared(id, 0x91)) }
        for id in CP2112.inputIDs { #expect(declared(id, 0x81)) }
        #expect(d.first == 0x06 && d.last == 0xC0)
    }
}

@Suite struct UHIDEventTests {
    @Test func layoutMatchesLinuxUHIDHeader() throws {
        let create = try #require(UHIDEvent.create2(
            name: "x", bus: 3, vendor: 0x10C4, product: 0xEA90, version: 1, descriptor: [0xAA, 0xBB]).encoded())
        #expect(create.count == UHIDEvent.size)
        #expect(create[0] == 11 && create[4] == UInt8(ascii: "x"))
        #expect(create[260] == 2 && create[262] == 3)  // rd_size, bus
        #expect(create[264] == 0xC4 && create[265] == 0x10 && create[268] == 0x90 && create[269] == 0xEA)
        #expect(create[280] == 0xAA && create[281] == 0xBB)

        let input = try #require(UHIDEvent.input2(data: [0x16, 2]).encoded())
        #expect(input[0] == 12 && input[4] == 2 && input[6] == 0x16 && input[7] == 2)

        let reply = try #require(UHIDEvent.getReportReply(id: 0x0102_0304, err: 5, data: [0x05, 0x0C]).encoded())
        #expect(reply[0] == 10 && reply[4] == 0x04 && reply[7] == 0x01 && reply[8] == 5 && reply[10] == 2 && reply[12] == 0x05)

        var output = [UInt8](repeating: 0, count: UHIDEvent.size)
        output[0] = 6
        output[4] = 0x15
        output[5] = 0x01
        output[4100] = 2
        output[4102] = 1
        #expect(try UHIDEvent.decode(output) == .output(data: [0x15, 0x01], reportType: 1))

        var get = [UInt8](repeating: 0, count: UHIDEvent.size)
        get[0] = 9
        get[4] = 7
        get[8] = 0x06
        #expect(try UHIDEvent.decode(get) == .getReport(id: 7, reportNumber: 0x06, reportType: 0))

        var set = [UInt8](repeating: 0, count: UHIDEvent.size)
        set[0] = 13
        set[4] = 9
        set[8] = 0x04
        set[10] = 3
        set[12] = 0x04
        set[13] = 0xFF
        set[14] = 0x08
        #expect(try UHIDEvent.decode(set) == .setReport(id: 9, reportNumber: 4, reportType: 0, data: [0x04, 0xFF, 0x08]))

        var bad = output
        bad[4100] = 0xFF
        bad[4101] = 0xFF
        #expect(throws: UHIDEvent.DecodeError.self) { try UHIDEvent.decode(bad) }
    }
}

@Suite struct OptionsTests {
    @Test func parsesAndRejects() throws {
        let o = try Options.parse(["--timeline", "standTall:12,sitUpright:26,slouch:60", "--speed", "2", "--control", "/x"])
        #expect(o.speed == 2 && o.control == "/x")
        #expect(try Options.segments("standTall:12,slouch:30").map(\.duration) == [12, 18])
        #expect(try Options.segments("standTall:12,sitUpright:30:0.5").map(\.transition) == [nil, 0.5])
        #expect(throws: Options.UsageError.self) { try Options.segments("standTall:12,sitUpright:30:0") }
        #expect(throws: Options.UsageError.self) { try Options.parse(["--timeline", "slouch:10,standTall:5"]) }
        #expect(throws: Options.UsageError.self) { try Options.parse(["--scenario", "nope"]) }
        #expect(throws: Options.UsageError.self) { try Options.parse(["--speed", "0"]) }
        #expect(throws: Options.UsageError.self) { try Options.parse(["--bogus"]) }
        #expect(try Options.address("0x6a", flag: "x") == 0x6A)
    }
}

@Suite struct ScenarioClockTests {
    @Test func runsAtItsSpeedAndJumpsForward() {
        let clock = ScenarioClock(start: 10, speed: 2, wall: 100)
        #expect(clock.now(wall: 101) == 12)
        clock.jump(to: 99.7, wall: 103)
        #expect(clock.now(wall: 103) == 99.7)
        #expect(abs(clock.now(wall: 103.5) - 100.7) < 1e-9)
    }

    @Test func readsReachTheHookWhenTheTransferHappens() {
        let rig = Rig()
        var seen: [(UInt8, Int)] = []
        rig.bus.onRead = { address, bytes in seen.append((address, bytes.count)) }
        _ = rig.writeRead(0x6A, register: 0x22, count: 12)
        _ = rig.writeRead(0x50, register: 0x00, count: 1)  // NACKed: no read
        #expect(seen.map { "\($0.0):\($0.1)" } == ["106:12"])
    }
}

@Suite struct CP2112InputTests {
    @Test func aDrivenInputReadsAsDrivenAndAnOutputAsItsLatch() {
        let bus = BoardBus(wallClock: { 0 }, scenarioClock: { 0 })
        let bridge = CP2112(bus: bus)
        // Line 0 an output driven high; line 4 an input (a button) pressed, then released.
        var config = bridge.getFeature(0x02) ?? []
        config[1] = 0x01
        #expect(bridge.setFeature(config))
        #expect(bridge.setFeature([0x04, 0xFF, 0x01]))
        bridge.driveInput(4, high: true)
        bridge.driveInput(0, high: false)  // an output is not moved by what is outside
        #expect(bridge.getFeature(0x03) == [0x03, 0x11])
        bridge.driveInput(4, high: false)
        #expect(bridge.getFeature(0x03) == [0x03, 0x01])
    }
}

/// `press`: each step lasts its time *and* until a GPIO report (0x03) has shown it, as the
/// kernel's poll of hid-cp2112 must see it; a sequence is timed on the emulator's clock.
@Suite struct ButtonPressTests {
    /// What the kernel's poll reads: line 4's level in the GPIO report.
    private func polled(_ bridge: CP2112) -> Bool { (bridge.getFeature(CP2112.gpioGet)?[1] ?? 0) & 0x10 != 0 }

    @Test func aPressOutlastingAStalledPollIsStillReported() {
        let bridge = CP2112(bus: BoardBus(wallClock: { 0 }, scenarioClock: { 0 }))
        bridge.press(4, durations: [0.15])
        #expect(bridge.updateButtons(now: 100).map { "\($0.line) \($0.high)" } == ["4 true"])
        // The emulator stalls 0.5 s with no report answered: the press must not end unseen.
        #expect(bridge.updateButtons(now: 100.5).isEmpty)
        #expect(bridge.nextButtonDeadline == nil, "waits for a report, not for time")
        #expect(polled(bridge))
        #expect(bridge.updateButtons(now: 100.51).map { "\($0.line) \($0.high)" } == ["4 false"])
        #expect(!polled(bridge))
        #expect(bridge.updateButtons(now: 100.52).isEmpty)
    }

    @Test func aPressSeenEarlyStillLastsItsTime() {
        let bridge = CP2112(bus: BoardBus(wallClock: { 0 }, scenarioClock: { 0 }))
        bridge.press(4, durations: [0.15])
        _ = bridge.updateButtons(now: 100)
        #expect(polled(bridge))
        #expect(abs((bridge.nextButtonDeadline ?? 0) - 100.15) < 1e-9)
        #expect(bridge.updateButtons(now: 100.149).isEmpty)
        #expect(polled(bridge))
        #expect(bridge.updateButtons(now: 100.15).count == 1)
        #expect(!polled(bridge))
    }

    @Test func aDoublePressIsTimedByTheBoardAndItsGapIsAlwaysSeen() {
        let bridge = CP2112(bus: BoardBus(wallClock: { 0 }, scenarioClock: { 0 }))
        bridge.press(4, durations: [0.15, 0.15, 0.15])
        var levels: [(Double, Bool)] = []
        var seen: [Bool] = [false]  // the levels the kernel's polls read, repeats left out
        // The board's loop every 10 ms; the kernel polls every 40 ms, except for a stall of
        // 0.3 s just as the gap begins (no report answered): longer than the gap and the
        // second press together.
        for tick in 0..<150 {
            let now = 100 + Double(tick) / 100
            for change in bridge.updateButtons(now: now) { levels.append((now, change.high)) }
            if tick % 4 == 0, !(14...45).contains(tick) {
                let level = polled(bridge)
                if level != seen.last { seen.append(level) }
            }
        }
        #expect(seen == [false, true, false, true, false], "the kernel saw two presses, neither lost nor merged")
        #expect(levels.map(\.1) == [true, false, true, false])
        let gap = levels[2].0 - levels[1].0
        #expect(gap >= 0.15 - 1e-9, "the gap lasted its time: \(levels)")
        #expect(levels[1].0 - levels[0].0 >= 0.15 - 1e-9 && levels[3].0 - levels[2].0 >= 0.15 - 1e-9)
    }

    @Test func aSecondCommandWaitsForTheFirstReleaseToBeSeen() {
        let bridge = CP2112(bus: BoardBus(wallClock: { 0 }, scenarioClock: { 0 }))
        bridge.press(4, durations: [0.1])
        _ = bridge.updateButtons(now: 100)
        _ = polled(bridge)
        #expect(bridge.updateButtons(now: 100.1).map(\.high) == [false])
        bridge.press(4, durations: [0.1])
        // No report has shown the release yet: the line stays low, the presses do not merge.
        #expect(bridge.updateButtons(now: 100.2).isEmpty)
        #expect(!polled(bridge))
        #expect(bridge.updateButtons(now: 100.21).map(\.high) == [true])
    }

    @Test func theCommandTakesAnOddListOfDurations() {
        #expect(ButtonPresses.durations(["2.5"]) == [2.5])
        #expect(ButtonPresses.durations(["0.15", "0.15", "0.15"]) == [0.15, 0.15, 0.15])
        #expect(ButtonPresses.durations(["0.15", "0.15"]) == nil, "a gap with no press after it")
        #expect(ButtonPresses.durations([]) == nil)
        #expect(ButtonPresses.durations(["0.1", "-1", "0.1"]) == nil)
        #expect(ButtonPresses.durations(["0.1", "x", "0.1"]) == nil)
        #expect(ButtonPresses.durations(["nan"]) == nil)
        #expect(ButtonPresses.durations(ArraySlice(repeating: "0.1", count: 15)) == nil)
    }

    @Test func theBoardRunsTheSequenceCommand() throws {
        let board = try Board(options: Options())
        board.execute("press 4 0.05 0.05 0.05")
        #expect(polled(board.bridge), "pressed at once")
        var now = Monotonic.seconds()
        let end = now + 5
        var edges: [Bool] = []
        while edges.count < 3, now < end {
            now += 0.01
            edges += board.bridge.updateButtons(now: now).map(\.high)
            _ = polled(board.bridge)
        }
        #expect(edges == [false, true, false])
        board.execute("press 9 0.1")  // refused: no line 9
        board.execute("press 4 0.1 0.1")  // refused: a gap with no press after it
        #expect(board.bridge.updateButtons(now: now + 1).isEmpty)
    }
}
