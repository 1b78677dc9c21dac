#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A calendar date in local time.
public struct LocalDate: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var year: Int
    public var month: Int
    public var day: Int

    public init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses `YYYY-MM-DD`; nil for anything else (including 2024-02-30).
    public init?(parsing text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]),
            (1...12).contains(m), d >= 1, d <= Self.daysIn(month: m, year: y)
        else { return nil }
        self.init(year: y, month: m, day: d)
    }

    public var description: String {
        func pad(_ v: Int, _ width: Int) -> String {
            let digits = String(v)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }

    public static func < (a: LocalDate, b: LocalDate) -> Bool { (a.year, a.month, a.day) < (b.year, b.month, b.day) }

    /// The next calendar day.
    public var next: LocalDate {
        if day < Self.daysIn(month: month, year: year) { return LocalDate(year: year, month: month, day: day + 1) }
        if month < 12 { return LocalDate(year: year, month: month + 1, day: 1) }
        return LocalDate(year: year + 1, month: 1, day: 1)
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}

/// A local time and its offset from UTC.
public struct LocalDateTime: Sendable, Equatable {
    public var date: LocalDate
    public var hour: Int
    public var minute: Int
    public var second: Int
    /// Seconds east of UTC in force at that moment.
    public var utcOffset: Int

    /// `HH:MM:SS`.
    public var clock: String {
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "\(two(hour)):\(two(minute)):\(two(second))"
    }

    /// `HH:MM`.
    public var hourMinute: String { String(clock.prefix(5)) }

    /// ISO 8601 with the offset: `2024-05-01T08:12:03+02:00`.
    public var iso8601: String {
        let sign = utcOffset < 0 ? "-" : "+"
        let magnitude = abs(utcOffset)
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "\(date)T\(clock)\(sign)\(two(magnitude / 3600)):\(two(magnitude / 60 % 60))"
    }
}

/// How UTC times become local ones: the system's time zone (`TZ`, /etc/localtime), or a fixed
/// offset (UTC, tests). Days are local days: 23 or 25 hours long across a DST change.
public struct LocalTimeZone: Sendable {
    private enum Rule: Sendable {
        case system
        case fixed(seconds: Int)
    }

    private let rule: Rule

    public static let system = LocalTimeZone(rule: .system)
    public static let utc = LocalTimeZone(rule: .fixed(seconds: 0))
    public static func fixed(offsetSeconds: Int) -> LocalTimeZone { LocalTimeZone(rule: .fixed(seconds: offsetSeconds)) }

    /// The local date and time at `unix` (UTC seconds since 1970).
    public func components(_ unix: Double) -> LocalDateTime {
        let whole = Int(unix.rounded(.down))
        switch rule {
        case .fixed(let offset):
            return Self.civil(whole + offset, utcOffset: offset)
        case .system:
            var seconds = time_t(whole)
            var parts = tm()
            guard localtime_r(&seconds, &parts) != nil else { return Self.civil(whole, utcOffset: 0) }
            return LocalDateTime(
                date: LocalDate(year: Int(parts.tm_year) + 1900, month: Int(parts.tm_mon) + 1, day: Int(parts.tm_mday)),
                hour: Int(parts.tm_hour), minute: Int(parts.tm_min), second: Int(parts.tm_sec), utcOffset: Int(parts.tm_gmtoff))
        }
    }

    /// `[local midnight of date, local midnight of the next day)` in UTC seconds.
    public func range(of date: LocalDate) -> Range<Double> {
        startOfDay(date)..<startOfDay(date.next)
    }

    public func startOfDay(_ date: LocalDate) -> Double {
        switch rule {
        case .fixed(let offset):
            return Double(Self.daysFromEpoch(date) * 86_400 - offset)
        case .system:
            var parts = tm()
            parts.tm_year = Int32(date.year - 1900)
            parts.tm_mon = Int32(date.month - 1)
            parts.tm_mday = Int32(date.day)
            parts.tm_isdst = -1  // let the zone rules decide
            return Double(mktime(&parts))
        }
    }

    /// Days from 1970-01-01 to `date` (proleptic Gregorian; Howard Hinnant's algorithm).
    static func daysFromEpoch(_ date: LocalDate) -> Int {
        let y = date.month <= 2 ? date.year - 1 : date.year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (date.month + 9) % 12
        let doy = (153 * mp + 2) / 5 + date.day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The civil date and time of `seconds` counted from 1970 in a zone with `utcOffset`.
    static func civil(_ seconds: Int, utcOffset: Int) -> LocalDateTime {
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = seconds - days * 86_400
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        return LocalDateTime(
            date: LocalDate(year: year, month: month, day: day), hour: secondOfDay / 3600,
            minute: secondOfDay / 60 % 60, second: secondOfDay % 60, utcOffset: utcOffset)
    }

    /// The current wall-clock time, UTC seconds (for `--date` defaults in posturectl).
    public static func now() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }
}
