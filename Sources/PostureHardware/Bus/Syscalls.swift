import CI2C
import CPostureShim
import Glibc

/// Every syscall and libi2c call of the I2C bus, the sysfs/dev scans and the pattern player's
/// clock and thread, wrapped once (the GPIO shim calls are wrapped in `GPIODShim.swift`).
/// Each wrapper retries `EINTR` where that is safe and throws a typed `Errno`; callers turn it
/// into an `I2CError`/`GPIOError` that names the device.
enum Syscalls {
    // MARK: Files and directories

    /// `open(2)` with `O_CLOEXEC`, so the daemon's fds do not leak into children.
    static func open(_ path: String, flags: Int32) throws(Errno) -> Int32 {
        while true {
            let fd = Glibc.open(path, flags | O_CLOEXEC)
            if fd >= 0 { return fd }
            if errno != EINTR { throw Errno.current }
        }
    }

    /// `close(2)`. Not retried on `EINTR`: on Linux the fd is released even then.
    static func close(_ fd: Int32) {
        _ = Glibc.close(fd)
    }

    /// Reads a small text file whole (a sysfs attribute such as `/sys/class/i2c-dev/i2c-1/name`).
    static func readSmallFile(_ path: String, limit: Int = 4096) throws(Errno) -> String {
        let fd = try open(path, flags: O_RDONLY)
        defer { close(fd) }
        var bytes = [UInt8](repeating: 0, count: limit)
        var filled = 0
        while filled < limit {
            let count = bytes.withUnsafeMutableBytes { buffer in
                Glibc.read(fd, buffer.baseAddress! + filled, limit - filled)
            }
            if count == 0 { break }
            if count < 0 {
                if errno == EINTR { continue }
                throw Errno.current
            }
            filled += count
        }
        return String(decoding: bytes[..<filled], as: UTF8.self)
    }

    /// The names in a directory, without "." and "..", unsorted.
    static func directoryEntries(_ path: String) throws(Errno) -> [String] {
        guard let directory = opendir(path) else { throw Errno.current }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(cString: raw.bindMemory(to: CChar.self).baseAddress!)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    // MARK: I2C (i2c-dev ioctls through the shim, SMBus through libi2c)

    static func i2cSetAddress(_ fd: Int32, _ address: UInt8) throws(Errno) {
        let result = posture_i2c_set_address(fd, UInt16(address))
        if result < 0 { throw Errno(negated: result) }
    }

    static func i2cFunctionality(_ fd: Int32) throws(Errno) -> UInt {
        var funcs: UInt = 0
        let result = posture_i2c_functionality(fd, &funcs)
        if result < 0 { throw Errno(negated: result) }
        return funcs
    }

    static func smbusReadByteData(_ fd: Int32, register: UInt8) throws(Errno) -> UInt8 {
        let result = i2c_smbus_read_byte_data(fd, register)
        if result < 0 { throw Errno(negated: result) }
        return UInt8(truncatingIfNeeded: result)
    }

    static func smbusWriteByteData(_ fd: Int32, register: UInt8, value: UInt8) throws(Errno) {
        let result = i2c_smbus_write_byte_data(fd, register, value)
        if result < 0 { throw Errno(negated: result) }
    }

    /// SMBus "I2C block read": up to 32 bytes from consecutive registers. Returns the count read.
    static func smbusReadBlock(_ fd: Int32, register: UInt8, into buffer: UnsafeMutableRawBufferPointer) throws(Errno) -> Int {
        let length = UInt8(min(buffer.count, Int(I2C_SMBUS_BLOCK_MAX)))
        let result = i2c_smbus_read_i2c_block_data(
            fd, register, length, buffer.baseAddress!.assumingMemoryBound(to: UInt8.self))
        if result < 0 { throw Errno(negated: result) }
        return Int(result)
    }

    /// `I2C_RDWR`: writes the register, repeated START, reads `buffer.count` bytes.
    static func i2cWriteRead(_ fd: Int32, address: UInt8, register: UInt8, into buffer: UnsafeMutableRawBufferPointer) throws(Errno) {
        var registerByte = register
        let result = posture_i2c_write_read(
            fd, UInt16(address), &registerByte, 1,
            buffer.baseAddress!.assumingMemoryBound(to: UInt8.self), UInt16(buffer.count))
        if result < 0 { throw Errno(negated: result) }
    }

    // MARK: Monotonic clock and threads (the nudge pattern player)

    /// `CLOCK_MONOTONIC` now: never jumps when NTP sets the wall clock (a Pi has no RTC).
    static func monotonicNow() -> Duration {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return .seconds(now.tv_sec) + .nanoseconds(now.tv_nsec)
    }

    /// Sleeps until an absolute `CLOCK_MONOTONIC` time, so a pattern's steps do not drift.
    static func sleepUntilMonotonic(_ deadline: Duration) {
        let (seconds, attoseconds) = deadline.components
        var target = timespec(tv_sec: Int(seconds), tv_nsec: Int(attoseconds / 1_000_000_000))
        // clock_nanosleep returns the error number itself; EINTR only means "sleep again".
        while clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &target, nil) == EINTR {}
    }

    /// Starts a joinable POSIX thread that runs `body`.
    static func startThread(named name: String, _ body: @escaping @Sendable () -> Void) throws(Errno) -> pthread_t {
        let body: @Sendable () -> Void = {
            _ = posture_thread_set_name(name)  // shows in `top -H`; failure is harmless
            body()
        }
        final class Box {
            let body: @Sendable () -> Void
            init(_ body: @escaping @Sendable () -> Void) { self.body = body }
        }
        let context = Unmanaged.passRetained(Box(body)).toOpaque()
        var thread = pthread_t()
        let result = pthread_create(&thread, nil, { raw in
            Unmanaged<Box>.fromOpaque(raw!).takeRetainedValue().body()
            return nil
        }, context)
        if result != 0 {
            Unmanaged<Box>.fromOpaque(context).release()
            throw Errno(result)
        }
        return thread
    }

    static func joinThread(_ thread: pthread_t) {
        _ = pthread_join(thread, nil)
    }
}
