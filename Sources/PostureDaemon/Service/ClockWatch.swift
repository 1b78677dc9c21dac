import PostureStore

/// The supervisor's periodic look at the clocks once the day log is dated, kept apart from the
/// actor so its decisions can be tested without a clock that really jumps.
///
/// Three things change under a running daemon without telling it:
/// - the wall clock is stepped (NTP after a boot without an RTC, or an administrator): the
///   monotonic → wall mapping is taken again, so later minutes are dated by the new clock;
/// - the local offset from UTC changes (daylight saving, a new time zone): the loop gets the
///   new offset, so quiet hours and the daily cap's midnight follow local time;
/// - local midnight passes: `nudges today` starts again from zero.
struct ClockWatch {
    /// A disagreement between `realtime − monotonic` and the mapping beyond this is a step, not
    /// the two clocks being read a few microseconds apart (or NTP slewing, at most 0.5 ms/s).
    static let stepThresholdSeconds = 1.0

    /// The local offset (mapping offset + UTC offset) the loop was last given.
    private(set) var sentLocalOffset: Double?
    /// The local day (days since 1970 in local time) `nudges today` counts.
    private(set) var nudgeDay: Int?

    /// A new mapping when the wall clock was stepped away from `mapping`, else `nil`.
    static func steppedMapping(from mapping: WallClockMapping, realtime: Double, monotonic: Double) -> WallClockMapping? {
        let now = WallClockMapping(realtime: realtime, monotonic: monotonic)
        return abs(now.offset - mapping.offset) > stepThresholdSeconds ? now : nil
    }

    /// The offset from engine time to local time of day, if it differs from the one the loop
    /// has (`utcOffset`: seconds east of UTC now).
    mutating func localOffsetToSend(mapping: WallClockMapping, utcOffset: Double) -> Double? {
        let local = mapping.offset + utcOffset
        guard local != sentLocalOffset else { return nil }
        sentLocalOffset = local
        return local
    }

    /// True when engine time `t` falls on another local day than the counts so far (the
    /// first call only starts the day).
    mutating func isNewNudgeDay(at t: Double, mapping: WallClockMapping, utcOffset: Double) -> Bool {
        let day = Int(((mapping.wallTime(monotonic: t) + utcOffset) / 86_400).rounded(.down))
        defer { nudgeDay = day }
        return nudgeDay.map { $0 != day } ?? false
    }
}
