import Glibc

extension I2CError {
    /// Maps an errno from `/dev/i2c-N` to the kinds the daemon acts on:
    /// - `EACCES`/`EPERM` → `.permissionDenied` (join the `i2c` group);
    /// - `ENXIO`/`EREMOTEIO` → `.noAcknowledge` (nothing answered the address);
    /// - `ETIMEDOUT` → `.timeout` (the bus retries these a bounded number of times);
    /// - `ENOENT`/`ENODEV` → `.busNotFound` (no such device, or its adapter was unplugged);
    /// - anything else → `.io(errno:)`.
    /// `operation` says what was being done ("reading 6 bytes from register 0x3b"); `context`
    /// is appended last (e.g. the buses that do exist).
    init(errno error: Errno, bus: String, address: UInt8?, operation: String, context: String = "") {
        let kind: Kind
        var advice = ""
        switch error.rawValue {
        case EACCES, EPERM:
            kind = .permissionDenied
            advice = "; run `sudo usermod -aG i2c $USER` and log in again, or run postured as its systemd service"
        case ENXIO, EREMOTEIO:
            kind = .noAcknowledge
        case ETIMEDOUT:
            kind = .timeout
        case ENOENT, ENODEV:
            kind = .busNotFound
        case EBUSY where address != nil:
            kind = .io(errno: error.rawValue)
            advice = "; a kernel driver owns this address (i2cdetect shows it as UU): unbind it or use another address"
        case ENOTTY:
            kind = .io(errno: error.rawValue)
            advice = "; this is not an I2C bus device"
        default:
            kind = .io(errno: error.rawValue)
        }
        self.init(kind: kind, bus: bus, address: address, detail: "\(operation): \(error)\(advice)\(context)")
    }
}
