public import PostureCore

/// How long the wearer took to correct after one nudge. The one definition of "corrected after
/// a nudge", used by the day's page (median time to correct) and by the fading-feedback
/// schedule (corrected within `fading_correction_window_s`):
/// - a `slouch` nudge is corrected when its slouch episode ends (`slouch_end`'s end, not the
///   moment the grace period confirmed it);
/// - a `sitting_too_long` nudge when its bout ends (the wearer got up: `bout_end`'s start plus
///   duration, not the minute of break that confirms it).
public struct NudgeCorrection: Sendable, Equatable {
    public var reason: NudgeReason
    /// Gentle cue or full pattern (`full` for logs written before fading feedback).
    public var intensity: NudgeIntensity
    /// UTC seconds.
    public var time: Double
    /// Seconds from the nudge to the correction; nil when the day's data ends first.
    public var correctedAfter: Double?

    public init(reason: NudgeReason, intensity: NudgeIntensity = .full, time: Double, correctedAfter: Double?) {
        self.reason = reason
        self.intensity = intensity
        self.time = time
        self.correctedAfter = correctedAfter
    }

    /// Every nudge in `events` (read from the log, any order) with its correction.
    public static func corrections(in events: [LogEvent]) -> [NudgeCorrection] {
        let sorted = events.sorted { $0.time < $1.time }
        let bouts = sorted.compactMap(FinishedBout.init(event:))
        let slouchEnds = sorted.filter { $0.kind == .slouchEnd }
            .compactMap { event in event.number("end_offset_s").map { (logged: event.time, end: event.time + $0) } }
        return sorted.filter { $0.kind == .nudge }.compactMap { event in
            guard let reason = event.string("reason").flatMap(NudgeReason.init(rawValue:)) else { return nil }
            let corrected: Double?
            switch reason {
            case .slouch: corrected = slouchEnds.first { $0.logged >= event.time }?.end
            case .sittingTooLong: corrected = bouts.first { $0.logged >= event.time }?.end
            }
            return NudgeCorrection(
                reason: reason, intensity: event.nudgeIntensity, time: event.time,
                correctedAfter: corrected.map { max(0, $0 - event.time) })
        }
    }
}

/// A sitting bout as its `bout_end` event records it.
public struct FinishedBout: Sendable, Equatable {
    /// When the event was written (a break minimum after the wearer got up).
    public var logged: Double
    public var start: Double
    public var duration: Double
    public var end: Double { start + duration }

    public init?(event: LogEvent) {
        guard event.kind == .boutEnd, let duration = event.number("duration_s") else { return nil }
        logged = event.time
        start = event.time + (event.number("start_offset_s") ?? -duration)
        self.duration = duration
    }
}
