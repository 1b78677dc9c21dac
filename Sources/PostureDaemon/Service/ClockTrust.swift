import CPostureShim
#if canImport(Glibc)
import Glibc
#endif

/// Whether the system clock may be trusted for dating the day log.
///
/// A Raspberry Pi has no RTC: until NTP (or systemd-timesyncd) has synchronised the clock,
/// wall time may be 1970 or last shutdown's. The kernel knows: `adjtimex` clears
/// `STA_UNSYNC` once a time daemon has disciplined the clock. systemd-timesyncd also
/// touches `/run/systemd/timesync/synchronized`.
public enum ClockTrust {
    public static func isSystemClockSynchronized(timesyncFlag: String = "/run/systemd/timesync/synchronized") -> Bool {
        if access(timesyncFlag, F_OK) == 0 { return true }
        return posture_clock_synchronized() == 1
    }

    /// Wall-clock seconds since 1970 and monotonic seconds, read back to back.
    public static func now() -> (realtime: Double, monotonic: Double) {
        var real = timespec()
        var mono = timespec()
        clock_gettime(CLOCK_MONOTONIC, &mono)
        clock_gettime(CLOCK_REALTIME, &real)
        return (Double(real.tv_sec) + Double(real.tv_nsec) * 1e-9, Double(mono.tv_sec) + Double(mono.tv_nsec) * 1e-9)
    }

    /// Seconds east of UTC for the local time zone at `unixTime` (daylight saving included).
    public static func utcOffset(at unixTime: Double) -> Double {
        var t = time_t(unixTime)
        var local = tm()
        guard localtime_r(&t, &local) != nil else { return 0 }
        return Double(local.tm_gmtoff)
    }

    /// This boot's identity (`/proc/sys/kernel/random/boot_id`, a UUID the kernel draws at
    /// boot): monotonic times are only comparable within one. Empty if it cannot be read.
    public static func bootID(path: String = "/proc/sys/kernel/random/boot_id") -> String {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return "" }
        defer { close(fd) }
        var bytes = [UInt8](repeating: 0, count: 64)
        let n = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        guard n > 0 else { return "" }
        return String(decoding: bytes[..<n], as: UTF8.self).trimmingASCIIWhitespace()
    }

    /// Re-reads the time zone (`/etc/localtime`, `TZ`): `localtime_r` does not, so without
    /// this a time zone changed under the running daemon would be ignored until restart.
    public static func reloadTimeZone() { tzset() }

    /// Unix time of today's `hour`:00 local time.
    public static func todayAt(hour: Int, now: Double) -> Double {
        var t = time_t(now)
        var local = tm()
        guard localtime_r(&t, &local) != nil else { return now }
        local.tm_hour = Int32(hour)
        local.tm_min = 0
        local.tm_sec = 0
        return Double(mktime(&local))
    }
}

extension String {
    fileprivate func trimmingASCIIWhitespace() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" }
        return String(drop(while: isSpace).reversed().drop(while: isSpace).reversed())
    }
}
