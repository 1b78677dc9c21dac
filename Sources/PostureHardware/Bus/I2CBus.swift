/// Register-level transactions on one I2C bus, as the IMU drivers need them.
///
/// Three implementations share this protocol: the real `/dev/i2c-N` bus through libi2c,
/// the register-level simulated chips of PostureSim, and test doubles. A bus is owned by
/// the one thread that samples it, so it is a class, not `Sendable`.
public protocol I2CBus: AnyObject {
    /// A human name for errors: "/dev/i2c-1", "simulated bus 0".
    var name: String { get }
    /// Reads `buffer.count` consecutive registers starting at `register` (auto-increment).
    /// Must not allocate: the sampling loop calls it at the sample rate.
    func read(address: UInt8, register: UInt8, into buffer: UnsafeMutableRawBufferPointer) throws(I2CError)
    /// Writes one register.
    func write(address: UInt8, register: UInt8, value: UInt8) throws(I2CError)
}

extension I2CBus {
    /// Reads one register.
    @inlinable public func readByte(address: UInt8, register: UInt8) throws(I2CError) -> UInt8 {
        var byte: UInt8 = 0
        try withUnsafeMutableBytes(of: &byte) { (buffer) throws(I2CError) in
            try read(address: address, register: register, into: buffer)
        }
        return byte
    }
}

/// Why an I2C transaction failed, naming the bus and address and what to do.
public struct I2CError: Error, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// The bus device does not exist (`ENOENT`).
        case busNotFound
        /// Not allowed to open the bus (`EACCES`/`EPERM`): join the `i2c` group.
        case permissionDenied
        /// Nothing acknowledged the address (`ENXIO`, `EREMOTEIO`).
        case noAcknowledge
        /// The transfer timed out (`ETIMEDOUT`); retried a bounded number of times.
        case timeout
        /// Any other I/O error, with its errno.
        case io(errno: Int32)
    }

    public var kind: Kind
    public var bus: String
    public var address: UInt8?
    public var detail: String

    public init(kind: Kind, bus: String, address: UInt8?, detail: String = "") {
        self.kind = kind
        self.bus = bus
        self.address = address
        self.detail = detail
    }

    public var description: String {
        let at = address.map { " address 0x" + String($0, radix: 16) } ?? ""
        let what: String
        switch kind {
        case .busNotFound: what = "no such I2C bus; check the bus number and that i2c-dev is loaded (modprobe i2c-dev)"
        case .permissionDenied: what = "permission denied; add the user to the 'i2c' group"
        case .noAcknowledge: what = "no device answered; check the wiring, power and address"
        case .timeout: what = "transfer timed out"
        case .io(let errno): what = "I/O error (errno \(errno))"
        }
        return "\(bus)\(at): \(what)" + (detail.isEmpty ? "" : " (\(detail))")
    }
}
