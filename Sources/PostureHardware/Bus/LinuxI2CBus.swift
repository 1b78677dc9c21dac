import CI2C
import Glibc

/// The real I2C bus: `/dev/i2c-N` through libi2c's SMBus calls, and `I2C_RDWR` for bursts
/// longer than an SMBus block. Owned by the one thread that samples it (see `I2CBus`).
///
/// Reads of 1 byte use SMBus "read byte data"; 2…32 bytes "read I2C block data"; longer ones
/// (or any, on adapters without SMBus block reads) one `I2C_RDWR` write-register/read burst.
/// Transfers that time out are retried `timeoutRetries` times; other errors are thrown at once.
public final class LinuxI2CBus: I2CBus {
    /// How many times a timed-out transfer is retried before `.timeout` is thrown. A timeout is
    /// usually a stretched clock or a glitch; more retries would stall the sampling loop.
    public static let timeoutRetries = 2

    public let name: String
    private let fd: Int32
    private let readStrategy: ReadStrategy
    /// The address `I2C_SLAVE` last selected, so a run of reads costs no extra ioctl.
    private var selectedAddress: UInt8?

    private enum ReadStrategy {
        case smbusBlock  // SMBus I2C block reads up to 32 bytes, I2C_RDWR beyond
        case plainI2C  // I2C_RDWR for everything longer than one byte
        case byteByByte  // SMBus-only adapters without block reads
    }

    /// Opens `/dev/i2c-<number>`.
    public convenience init(number: Int) throws(I2CError) {
        try self.init(path: "/dev/i2c-\(number)")
    }

    /// Opens the bus whose adapter name is (or starts with) `adapterName`; see `I2CAdapter.find`.
    public convenience init(adapterNamed adapterName: String, sysfsRoot: String = I2CAdapter.defaultSysfsRoot) throws(I2CError) {
        try self.init(path: I2CAdapter.find(named: adapterName, sysfsRoot: sysfsRoot).devicePath)
    }

    /// Opens an i2c-dev character device by path ("/dev/i2c-1").
    public init(path: String) throws(I2CError) {
        let fd: Int32
        do {
            fd = try Syscalls.open(path, flags: O_RDWR)
        } catch {
            var present = ""
            if error.rawValue == ENOENT {
                let adapters = I2CAdapter.all()
                present = adapters.isEmpty ? "; no I2C buses exist" : "; buses present: " + adapters.map(\.description).joined(separator: ", ")
            }
            throw I2CError(errno: error, bus: path, address: nil, operation: "opening \(path)", context: present)
        }
        let funcs: UInt
        do {
            funcs = try Syscalls.i2cFunctionality(fd)
        } catch {
            Syscalls.close(fd)
            throw I2CError(errno: error, bus: path, address: nil, operation: "asking the adapter what it supports")
        }
        self.name = path
        self.fd = fd
        if funcs & UInt(I2C_FUNC_SMBUS_READ_I2C_BLOCK) != 0 {
            readStrategy = .smbusBlock
        } else if funcs & UInt(I2C_FUNC_I2C) != 0 {
            readStrategy = .plainI2C
        } else {
            readStrategy = .byteByByte
        }
    }

    deinit {
        Syscalls.close(fd)
    }

    public func read(address: UInt8, register: UInt8, into buffer: UnsafeMutableRawBufferPointer) throws(I2CError) {
        guard !buffer.isEmpty else { return }
        // No allocation on this path: errors build their message only when thrown.
        do {
            try retryingTimeouts { () throws(Errno) in
                try select(address)
                try transferRead(register: register, address: address, into: buffer)
            }
        } catch {
            throw I2CError(errno: error, bus: name, address: address,
                           operation: "reading \(buffer.count) byte(s) from register 0x\(String(register, radix: 16))")
        }
    }

    public func write(address: UInt8, register: UInt8, value: UInt8) throws(I2CError) {
        do {
            try retryingTimeouts { () throws(Errno) in
                try select(address)
                try Syscalls.smbusWriteByteData(fd, register: register, value: value)
            }
        } catch {
            throw I2CError(errno: error, bus: name, address: address,
                           operation: "writing 0x\(String(value, radix: 16)) to register 0x\(String(register, radix: 16))")
        }
    }

    private func transferRead(register: UInt8, address: UInt8, into buffer: UnsafeMutableRawBufferPointer) throws(Errno) {
        let blockMax = Int(I2C_SMBUS_BLOCK_MAX)
        switch readStrategy {
        case _ where buffer.count == 1:
            buffer[0] = try Syscalls.smbusReadByteData(fd, register: register)
        case .smbusBlock where buffer.count <= blockMax:
            // A short block means the device stopped early; its data cannot be trusted.
            guard try Syscalls.smbusReadBlock(fd, register: register, into: buffer) == buffer.count else {
                throw Errno(EIO)
            }
        case .smbusBlock, .plainI2C:
            try Syscalls.i2cWriteRead(fd, address: address, register: register, into: buffer)
        case .byteByByte:
            for index in buffer.indices {
                buffer[index] = try Syscalls.smbusReadByteData(fd, register: register &+ UInt8(truncatingIfNeeded: index))
            }
        }
    }

    private func select(_ address: UInt8) throws(Errno) {
        guard selectedAddress != address else { return }
        try Syscalls.i2cSetAddress(fd, address)
        selectedAddress = address
    }

    private func retryingTimeouts(_ transfer: () throws(Errno) -> Void) throws(Errno) {
        var retriesLeft = Self.timeoutRetries
        while true {
            do {
                return try transfer()
            } catch where error.rawValue == ETIMEDOUT && retriesLeft > 0 {
                retriesLeft -= 1
            }
        }
    }
}
