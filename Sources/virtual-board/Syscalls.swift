import Glibc

/// Monotonic time, the same clock the guest's daemon and test script read.
enum Monotonic {
    static func nanoseconds() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
    }
    static func seconds() -> Double { Double(nanoseconds()) / 1e9 }
}

/// A line-per-write log file: each line goes out with one `write(2)` on an O_APPEND file, so
/// lines from two threads never interleave. An `Int32` only: Sendable without ceremony.
struct LineLog: Sendable {
    let fd: Int32

    /// Opens (creates, truncates) `path`; nil path: a log that drops everything.
    static func open(_ path: String?) throws(SystemError) -> LineLog {
        guard let path else { return LineLog(fd: -1) }
        let fd = Glibc.open(path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw SystemError(operation: "opening \(path)", errno: errno) }
        return LineLog(fd: fd)
    }

    func write(_ line: String) {
        guard fd >= 0 else { return }
        var text = line
        text.append("\n")
        text.withUTF8 { buffer in
            guard let base = buffer.baseAddress else { return }
            _ = Glibc.write(fd, base, buffer.count)
        }
    }

    /// `<monotonic ns> <text>`.
    func stamp(_ text: String) { write("\(Monotonic.nanoseconds()) \(text)") }
}

/// A failed system call, with what was being done and errno's text.
struct SystemError: Error, CustomStringConvertible {
    var operation: String
    var errno: Int32
    var description: String { "\(operation): \(String(cString: strerror(errno)))" }
}

/// Writes a whole event to /dev/uhid; uhid takes an event per write or none.
func writeEvent(_ fd: Int32, _ bytes: [UInt8]) throws(SystemError) {
    let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
    guard n == bytes.count else { throw SystemError(operation: "writing to /dev/uhid", errno: n < 0 ? errno : EIO) }
}

/// Standard error, unbuffered.
func note(_ text: String) {
    LineLog(fd: 2).write("virtual-board: " + text)
}
