/// Monotonic → wall-clock time, fixed when the daemon decides the system clock is trusted
/// (`offset = realtime − monotonic`, both read at that moment). A Pi has no RTC: until then
/// the supervisor holds minutes and events with their monotonic times (`DayLogBuffer`).
public struct WallClockMapping: Sendable, Equatable {
    /// Seconds to add to a monotonic time to get UTC seconds since 1970.
    public var offset: Double

    public init(offset: Double) { self.offset = offset }

    /// From the two clocks read together (realtime first or last: the error is their gap).
    public init(realtime: Double, monotonic: Double) { offset = realtime - monotonic }

    public func wallTime(monotonic: Double) -> Double { monotonic + offset }

    /// The minute's wall-clock minute: the one holding the midpoint of its data. Exact for
    /// minutes on the aligned grid (`minuteGridOrigin`); a minute closed before alignment moves
    /// by less than 30 s, which a minute log cannot show anyway. Two pieces landing on the same
    /// wall minute (e.g. the piece closed when the clock was trusted or stepped, and the rest
    /// of that wall minute) are merged by `DayLog.append`.
    public func date(_ minute: MinuteRecord) -> DatedMinute {
        let middle = wallTime(monotonic: (minute.start + minute.end) / 2)
        let start = (middle / MinuteAggregator.minuteSeconds).rounded(.down) * MinuteAggregator.minuteSeconds
        return DatedMinute(startUnix: Int64(start), data: minute.data)
    }

    /// A monotonic time that is a wall-clock minute boundary, in `[0, 60)`: give it to
    /// `MinuteAggregator.align(gridOrigin:)`.
    public var minuteGridOrigin: Double {
        let origin = (-offset).truncatingRemainder(dividingBy: MinuteAggregator.minuteSeconds)
        return origin < 0 ? origin + MinuteAggregator.minuteSeconds : origin
    }
}
