import Glibc

/// A POSIX error number, as the wrappers in `Syscalls.swift` and `GPIODShim.swift` throw it
/// (the swift-system style: one typed error for every syscall). Mapped to the public
/// `I2CError` and `GPIOError` at the edge of the module, where the bus, chip or line is known.
struct Errno: Error, Equatable, Sendable, CustomStringConvertible {
    let rawValue: Int32

    init(_ rawValue: Int32) { self.rawValue = rawValue }

    /// From a C function that returns `-errno` (libi2c, the posture shim).
    init(negated result: Int32) { self.rawValue = result < 0 ? -result : EIO }

    /// The calling thread's `errno`, right after a failing libc call.
    static var current: Errno { Errno(errno > 0 ? errno : EIO) }

    /// "No such file or directory (ENOENT)".
    var description: String {
        let message = strerror(rawValue).map { String(cString: $0) } ?? "error"
        return "\(message) (\(symbol))"
    }

    /// The symbolic name of the errors this module tells apart, else "errno N".
    var symbol: String {
        switch rawValue {
        case ENOENT: "ENOENT"
        case EACCES: "EACCES"
        case EPERM: "EPERM"
        case ENXIO: "ENXIO"
        case EREMOTEIO: "EREMOTEIO"
        case ETIMEDOUT: "ETIMEDOUT"
        case EBUSY: "EBUSY"
        case ENODEV: "ENODEV"
        case ENOTTY: "ENOTTY"
        case EINVAL: "EINVAL"
        case EIO: "EIO"
        case EAGAIN: "EAGAIN"
        default: "errno \(rawValue)"
        }
    }
}
