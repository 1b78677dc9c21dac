public import PostureHardware

/// An I2C bus of simulated chips, with a simulated clock and fault injection.
///
/// Time is either manual (`advance(to:)`, `sleep(_:)`; drivers built with `pause: bus.sleep`
/// make simulated time pass while they wait) or read from a closure. Each transaction first
/// lets the addressed chip catch up to the current time. Deterministic.
public final class SimulatedI2CBus: I2CBus {
    /// What an injected fault makes a transaction do.
    public enum Fault: Sendable, Equatable {
        /// Nobody acknowledges the address (`ENXIO`).
        case noAcknowledge
        /// The adapter reports an I/O error (`EIO`).
        case ioError
        /// The transfer stalls until the adapter times out (`ETIMEDOUT`); simulated time
        /// moves on by `stallSeconds`.
        case stall
        /// The chip answers, with every side effect of the transfer (a clear-on-read status
        /// register is cleared), but the adapter gives up before the reply arrives
        /// (`ETIMEDOUT`): what a bridge with a short transfer timeout (hid-cp2112: 50 ms) does
        /// when the reply is late. The caller never sees what was read.
        case replyLost
    }

    /// How long a fault lasts.
    public enum Span: Sendable, Equatable {
        /// The next `n` transactions to that address.
        case transactions(Int)
        /// Every transaction with `from <= t < until`.
        case interval(from: Double, until: Double)
    }

    /// One transaction, for tests that check what a driver wrote.
    public struct Transaction: Sendable, Equatable {
        public var t: Double
        public var address: UInt8
        public var register: UInt8
        /// The value written, or nil for a read.
        public var written: UInt8?
        public var readCount: Int
    }

    public let name: String
    /// Seconds a stalled transfer blocks before timing out.
    public var stallSeconds = 0.025
    /// Keep a log of every transaction (off by default: long runs would grow it).
    public var recordsTransactions = false
    public private(set) var log: [Transaction] = []

    private var chips: [UInt8: any SimulatedChip] = [:]
    private var manualTime = 0.0
    private let clock: (() -> Double)?
    private var faults: [(address: UInt8, fault: Fault, span: Span)] = []
    private var disconnections: [(address: UInt8, from: Double, until: Double, resetDone: Bool)] = []

    /// A bus on a manual clock starting at 0, or following `clock`.
    public init(name: String = "simulated bus 0", clock: (() -> Double)? = nil) {
        self.name = name
        self.clock = clock
    }

    // MARK: time

    public var now: Double { clock?() ?? manualTime }

    /// Moves the manual clock forward (never back).
    public func advance(to t: Double) { manualTime = max(manualTime, t) }
    public func advance(by seconds: Double) { manualTime += max(0, seconds) }
    /// The pause to hand drivers: waiting advances simulated time.
    public func sleep(_ seconds: Double) { advance(by: seconds) }

    // MARK: chips

    public func attach(_ chip: any SimulatedChip, at address: UInt8) { chips[address] = chip }
    public func detach(at address: UInt8) { chips[address] = nil }
    public func chip(at address: UInt8) -> (any SimulatedChip)? { chips[address] }

    // MARK: faults

    public func inject(_ fault: Fault, at address: UInt8, for span: Span) { faults.append((address, fault, span)) }
    public func clearFaults() {
        faults.removeAll()
        disconnections.removeAll()
    }
    /// Data stops converting (or starts again).
    public func freezeData(at address: UInt8, _ frozen: Bool = true) { chips[address]?.isFrozen = frozen }
    /// Bad data from a chip that still answers (`SimulatedDataFault`); `.none` ends it.
    public func corruptData(at address: UInt8, _ fault: SimulatedDataFault) {
        (chips[address] as? SimulatedRegisterChip)?.dataFault = fault
    }
    /// A brown-out: the chip keeps answering but has lost its configuration.
    public func brownOut(at address: UInt8) { chips[address]?.powerOnReset() }
    /// The chip vanishes (NACK) from `from` until `until`, then comes back freshly powered on.
    public func disconnect(at address: UInt8, from: Double, until: Double) {
        disconnections.append((address, from, until, false))
    }

    /// Applies disconnections and injected faults to one transaction.
    private func fault(for address: UInt8, at t: Double) -> Fault? {
        for i in disconnections.indices where disconnections[i].address == address {
            let d = disconnections[i]
            if t >= d.from && t < d.until { return .noAcknowledge }
            if t >= d.until && !d.resetDone {
                chips[address]?.powerOnReset()  // it lost power while it was gone
                disconnections[i].resetDone = true
            }
        }
        for i in faults.indices where faults[i].address == address {
            switch faults[i].span {
            case .transactions(let n) where n > 0:
                faults[i].span = .transactions(n - 1)
                return faults[i].fault
            case .interval(let from, let until) where t >= from && t < until:
                return faults[i].fault
            default:
                continue
            }
        }
        return nil
    }

    /// The addressed chip, caught up to now, and whether its reply is to be lost.
    private func begin(_ address: UInt8, _ register: UInt8, written: UInt8?, count: Int) throws(I2CError)
        -> (chip: any SimulatedChip, replyLost: Bool)
    {
        let t = now
        var replyLost = false
        if recordsTransactions { log.append(Transaction(t: t, address: address, register: register, written: written, readCount: count)) }
        switch fault(for: address, at: t) {
        case .noAcknowledge?:
            throw I2CError(kind: .noAcknowledge, bus: name, address: address, detail: "simulated NACK")
        case .ioError?:
            throw I2CError(kind: .io(errno: 5), bus: name, address: address, detail: "simulated EIO")
        case .stall?:
            if clock == nil { manualTime += stallSeconds }
            throw I2CError(kind: .timeout, bus: name, address: address, detail: "simulated stall")
        case .replyLost?:
            replyLost = true
        case nil:
            break
        }
        guard let chip = chips[address] else {
            throw I2CError(kind: .noAcknowledge, bus: name, address: address)
        }
        chip.advance(to: t)
        return (chip, replyLost)
    }

    private func lostReply(_ address: UInt8) -> I2CError {
        I2CError(kind: .timeout, bus: name, address: address, detail: "simulated lost reply")
    }

    // MARK: I2CBus

    public func read(address: UInt8, register: UInt8, into buffer: UnsafeMutableRawBufferPointer) throws(I2CError) {
        let (chip, replyLost) = try begin(address, register, written: nil, count: buffer.count)
        var r = register
        for i in 0..<buffer.count {
            let value = chip.readRegister(r)
            if !replyLost { buffer[i] = value }
            r = chip.nextRegister(after: r)
        }
        if replyLost { throw lostReply(address) }
    }

    public func write(address: UInt8, register: UInt8, value: UInt8) throws(I2CError) {
        let (chip, replyLost) = try begin(address, register, written: value, count: 0)
        chip.writeRegister(register, value: value)
        if replyLost { throw lostReply(address) }
    }
}
