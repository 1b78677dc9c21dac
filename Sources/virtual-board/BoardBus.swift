import PostureSim

/// The I2C side of the board: simulated chips by address, each with the register pointer a
/// plain read continues from, and the faults the control commands inject.
///
/// Two clocks: `wallClock` (monotonic seconds, for how long a fault lasts) and
/// `scenarioClock` (the wearer's time, to which a chip is advanced before each transaction).
final class BoardBus {
    /// What one transaction came to.
    enum Outcome: Equatable {
        /// Acknowledged; for reads, the bytes.
        case done([UInt8])
        /// Nobody acknowledged the address (absent chip or injected NACK).
        case noAcknowledge
        /// The bridge hangs: it never reports the transfer complete.
        case stall
    }

    private(set) var chips: [UInt8: any SimulatedChip] = [:]
    private var pointers: [UInt8: UInt8] = [:]
    private let wallClock: () -> Double
    private let scenarioClock: () -> Double

    /// Injected faults, as wall-clock deadlines.
    private(set) var nackUntil = -Double.infinity
    private(set) var stallUntil = -Double.infinity
    private var frozenUntil: [UInt8: Double] = [:]

    /// Called for every register write a chip acknowledges (address, register, value):
    /// the event log uses it to show a driver (re)configuring a chip.
    var onRegisterWrite: ((UInt8, UInt8, UInt8) -> Void)?
    /// Counters, for the event log and tests.
    private(set) var transactions = 0
    private(set) var failedTransactions = 0
    /// Called for every successful read, with the bytes, when the transfer happens (before the
    /// driver fetches them): the event log uses it to show that samples flow.
    var onRead: ((UInt8, [UInt8]) -> Void)?

    init(wallClock: @escaping () -> Double, scenarioClock: @escaping () -> Double) {
        self.wallClock = wallClock
        self.scenarioClock = scenarioClock
    }

    func attach(_ chip: any SimulatedChip, at address: UInt8) { chips[address] = chip }

    // MARK: faults

    /// Every address NACKs for `seconds`.
    func nack(for seconds: Double) { nackUntil = wallClock() + max(0, seconds) }
    /// Every transfer stalls (no completion) for `seconds`.
    func stall(for seconds: Double) { stallUntil = wallClock() + max(0, seconds) }
    /// The chip at `address` stops converting for `seconds` (its registers still answer).
    /// False if no chip is there.
    @discardableResult
    func freeze(_ address: UInt8, for seconds: Double) -> Bool {
        guard let chip = chips[address] else { return false }
        chip.isFrozen = true
        frozenUntil[address] = wallClock() + max(0, seconds)
        return true
    }
    /// A brown-out of one chip: every register back to its power-on value. False if absent.
    @discardableResult
    func reset(_ address: UInt8) -> Bool {
        guard let chip = chips[address] else { return false }
        chip.powerOnReset()
        pointers[address] = 0
        return true
    }
    /// Every chip loses power (the bridge's board was unplugged): power-on values, faults cleared.
    func powerCycle() {
        for address in chips.keys { _ = reset(address) }
        for (address, _) in frozenUntil { chips[address]?.isFrozen = false }
        frozenUntil.removeAll()
        nackUntil = -.infinity
        stallUntil = -.infinity
    }

    /// Ends faults whose time is up; returns a description of each one that ended.
    func expireFaults() -> [String] {
        let now = wallClock()
        var ended: [String] = []
        if nackUntil.isFinite && now >= nackUntil {
            nackUntil = -.infinity
            ended.append("nack")
        }
        if stallUntil.isFinite && now >= stallUntil {
            stallUntil = -.infinity
            ended.append("stall")
        }
        for (address, until) in frozenUntil where now >= until {
            chips[address]?.isFrozen = false
            frozenUntil[address] = nil
            ended.append("freeze 0x" + String(address, radix: 16))
        }
        return ended.sorted()
    }

    // MARK: transactions

    private func begin(_ address: UInt8) -> (any SimulatedChip)? {
        _ = expireFaults()
        transactions += 1
        guard let chip = chips[address] else { return nil }
        chip.advance(to: scenarioClock())
        return chip
    }

    private func faultOutcome() -> Outcome? {
        let now = wallClock()
        if now < stallUntil { return .stall }
        if now < nackUntil { return .noAcknowledge }
        return nil
    }

    private func fail(_ outcome: Outcome) -> Outcome {
        failedTransactions += 1
        return outcome
    }

    /// A write: the first byte sets the register pointer, the rest go to consecutive registers.
    func write(address: UInt8, bytes: [UInt8]) -> Outcome {
        if let fault = faultOutcome() { return fail(fault) }
        guard let chip = begin(address) else { return fail(.noAcknowledge) }
        guard let first = bytes.first else { return .done([]) }  // a quick write: just the ACK
        var register = first
        for value in bytes.dropFirst() {
            chip.writeRegister(register, value: value)
            onRegisterWrite?(address, register, value)
            register &+= 1
        }
        pointers[address] = first
        return .done([])
    }

    /// A read of `count` bytes from the register pointer (auto-increment as the chip does it).
    func read(address: UInt8, count: Int) -> Outcome {
        if let fault = faultOutcome() { return fail(fault) }
        guard let chip = begin(address) else { return fail(.noAcknowledge) }
        var register = pointers[address] ?? 0
        var out = [UInt8]()
        out.reserveCapacity(count)
        for _ in 0..<count {
            out.append(chip.readRegister(register))
            register = chip.nextRegister(after: register)
        }
        pointers[address] = register
        onRead?(address, out)
        return .done(out)
    }

    /// A write of the register address (and any further bytes) then, after a repeated start,
    /// a read of `count` bytes.
    func writeRead(address: UInt8, target: [UInt8], count: Int) -> Outcome {
        if let fault = faultOutcome() { return fail(fault) }
        guard chips[address] != nil else {
            _ = begin(address)
            return fail(.noAcknowledge)
        }
        if case .done = write(address: address, bytes: target) {} else { return fail(.noAcknowledge) }
        transactions -= 1  // one transaction, not two
        return read(address: address, count: count)
    }
}
