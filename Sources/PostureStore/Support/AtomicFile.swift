#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Replacing a whole file so that a reader never sees half of it: written beside the target
/// as `NAME.PID` (node_exporter reads only `*.prom`, so it skips the half-written file),
/// flushed to the card, then renamed over the target (rename is atomic on one file system).
/// Shared by the daemon's metrics file and `posturectl report --html/--svg`.
public enum AtomicFile {
    /// A failed system call, in the system's own words.
    public struct Failure: Error, CustomStringConvertible, Sendable {
        public var code: Int32
        public var description: String { SystemFailure(code: code).message }
    }

    /// Writes `bytes` to `path` by write, fsync and rename; nothing is left behind on failure.
    /// `permissions`, when given, are set whatever the umask: a file another program's user
    /// reads (node_exporter's) must be readable by others under the unit's `UMask=0007`.
    public static func replace(_ path: String, with bytes: [UInt8], permissions: UInt32? = nil) throws(Failure) {
        let temporary = path + ".\(getpid())"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw Failure(code: errno) }
        do throws(Failure) {
            if let permissions, fchmod(descriptor, mode_t(permissions)) != 0 { throw Failure(code: errno) }
            try writeAll(bytes, to: descriptor)
            // Before the rename: after a power cut the name must not point at an empty file.
            guard fsync(descriptor) == 0 else { throw Failure(code: errno) }
        } catch {
            close(descriptor)
            unlink(temporary)
            throw error
        }
        guard close(descriptor) == 0, rename(temporary, path) == 0 else {
            let code = errno
            unlink(temporary)
            throw Failure(code: code)
        }
    }

    /// Removes `path` if it is there (a file this program wrote and no longer keeps up to date,
    /// so readers do not go on serving it); best effort: a file that cannot be removed stays.
    public static func removeIfPresent(_ path: String) {
        _ = unlink(path)
    }

    /// Every byte, through short writes and signals.
    public static func writeAll(_ bytes: [UInt8], to descriptor: Int32) throws(Failure) {
        var written = 0
        while written < bytes.count {
            let result = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress! + written, $0.count - written) }
            if result < 0 {
                if errno == EINTR { continue }
                throw Failure(code: errno)
            }
            written += result
        }
    }
}
