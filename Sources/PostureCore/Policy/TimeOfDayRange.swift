/// A range of local time of day, `[start, end)` in seconds after local midnight.
///
/// A range whose `end` is earlier than its `start` wraps midnight: `22:00-07:00` covers
/// 22:00…23:59:59 and 00:00…06:59:59. A range with `start == end` is empty (never matches)
/// rather than "all day", so a typo cannot silence the device for good.
///
/// Codable as the string `"HH:MM-HH:MM"` (or `"HH:MM:SS-HH:MM:SS"`), the form a config file uses.
public struct TimeOfDayRange: Sendable, Equatable, Codable, CustomStringConvertible {
    /// Seconds in a day: valid times of day are `0 ..< secondsPerDay`.
    public static let secondsPerDay = 86_400.0

    /// Inclusive start, seconds after local midnight.
    public let start: Double
    /// Exclusive end, seconds after local midnight.
    public let end: Double

    /// `nil` unless both bounds are finite and within `0 ..< 86400`.
    public init?(start: Double, end: Double) {
        guard Self.isValidTimeOfDay(start), Self.isValidTimeOfDay(end) else { return nil }
        self.start = start
        self.end = end
    }

    /// `nil` unless hours are `0...23` and minutes `0...59`.
    public init?(fromHour: Int, minute fromMinute: Int, toHour: Int, minute toMinute: Int) {
        guard (0...23).contains(fromHour), (0...59).contains(fromMinute),
            (0...23).contains(toHour), (0...59).contains(toMinute)
        else { return nil }
        self.init(
            start: Double(fromHour * 3600 + fromMinute * 60),
            end: Double(toHour * 3600 + toMinute * 60))
    }

    /// Parses `"HH:MM-HH:MM"`, seconds optional (`"HH:MM:SS"`); `nil` when malformed.
    public init?(parsing text: String) {
        let bounds = text.split(separator: "-", omittingEmptySubsequences: false)
        guard bounds.count == 2,
            let start = Self.parseClock(bounds[0]),
            let end = Self.parseClock(bounds[1])
        else { return nil }
        self.init(start: start, end: end)
    }

    /// Whether `timeOfDay` (seconds after local midnight) falls in the range.
    public func contains(_ timeOfDay: Double) -> Bool {
        if start <= end { return timeOfDay >= start && timeOfDay < end }
        return timeOfDay >= start || timeOfDay < end  // wraps midnight
    }

    /// `"HH:MM-HH:MM"`, with seconds only when a bound has them.
    public var description: String { "\(Self.formatClock(start))-\(Self.formatClock(end))" }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let range = TimeOfDayRange(parsing: text) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "expected a time range \"HH:MM-HH:MM\", got \"\(text)\"")
        }
        self = range
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    private static func isValidTimeOfDay(_ seconds: Double) -> Bool {
        seconds.isFinite && seconds >= 0 && seconds < secondsPerDay
    }

    /// `HH:MM` or `HH:MM:SS`, one or two digits per field.
    private static func parseClock(_ text: Substring) -> Double? {
        let fields = text.split(separator: ":", omittingEmptySubsequences: false)
        guard fields.count == 2 || fields.count == 3 else { return nil }
        let limits = [23, 59, 59]
        var seconds = 0
        for (index, field) in fields.enumerated() {
            guard (1...2).contains(field.count), field.allSatisfy({ $0.isASCII && $0.isNumber }),
                let value = Int(field), value <= limits[index]
            else { return nil }
            seconds += value * [3600, 60, 1][index]
        }
        return Double(seconds)
    }

    private static func formatClock(_ seconds: Double) -> String {
        let total = Int(seconds)
        func twoDigits(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let clock = "\(twoDigits(total / 3600)):\(twoDigits(total / 60 % 60))"
        return total % 60 == 0 ? clock : "\(clock):\(twoDigits(total % 60))"
    }
}
