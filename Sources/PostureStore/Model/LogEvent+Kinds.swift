public import PostureCore

/// Constructors for the events the daemon writes, so the `detail` keys are spelled in one place.
/// `t` is the engine's monotonic time; `DayLogBuffer` dates the event.
extension LogEvent {
    /// A delivered nudge. A gentle cue (fading feedback) carries `"intensity": "gentle"`; a full
    /// one carries no intensity, as every nudge did before fading feedback, so old and new logs
    /// read alike (`nudgeIntensity`).
    public static func nudge(_ reason: NudgeReason, intensity: NudgeIntensity = .full, at t: Double) -> LogEvent {
        var detail: [String: DetailValue] = ["reason": .string(reason.rawValue)]
        if intensity != .full { detail["intensity"] = .string(intensity.rawValue) }
        return LogEvent(time: t, kind: .nudge, detail: detail)
    }

    /// The intensity of a `nudge` event: `full` unless it says otherwise.
    public var nudgeIntensity: NudgeIntensity {
        string("intensity").flatMap(NudgeIntensity.init(rawValue:)) ?? .full
    }

    public static func nudgeSuppressed(_ nudge: SuppressedNudge, at t: Double) -> LogEvent {
        LogEvent(
            time: t, kind: .nudgeSuppressed,
            detail: ["reason": .string(nudge.reason.rawValue), "cause": .string(nudge.cause.rawValue)])
    }

    /// The activity changed (`nil`: no longer known, e.g. the sensor was lost).
    public static func activity(_ activity: Activity?, at t: Double) -> LogEvent {
        LogEvent(time: t, kind: .activity, detail: ["activity": activity.map { .string($0.rawValue) } ?? .null])
    }

    public static func boutEnded(_ bout: SittingBout, at t: Double) -> LogEvent {
        LogEvent(
            time: t, kind: .boutEnd,
            detail: ["duration_s": .number(bout.duration), "start_offset_s": .number(bout.start - t)])
    }

    public static func slouch(_ change: SlouchChange, at t: Double) -> LogEvent {
        switch change {
        case .started(let onset):
            LogEvent(time: t, kind: .slouchStart, detail: ["onset_offset_s": .number(onset - t)])
        case .ended(let onset, let end):
            LogEvent(
                time: t, kind: .slouchEnd,
                detail: ["onset_offset_s": .number(onset - t), "end_offset_s": .number(end - t), "duration_s": .number(end - onset)])
        }
    }

    /// Everything a policy step decided that belongs in the log, in a fixed order.
    public static func events(for decision: PolicyDecision, at t: Double) -> [LogEvent] {
        var events: [LogEvent] = []
        if let change = decision.slouchChange { events.append(.slouch(change, at: t)) }
        if let bout = decision.boutEnded { events.append(.boutEnded(bout, at: t)) }
        if let reason = decision.nudge { events.append(.nudge(reason, intensity: decision.nudgeIntensity, at: t)) }
        if let suppressed = decision.suppressed { events.append(.nudgeSuppressed(suppressed, at: t)) }
        return events
    }

    /// Nudges snoozed for `seconds` (nil: until resumed).
    public static func snooze(seconds: Double?, at t: Double) -> LogEvent {
        LogEvent(time: t, kind: .snooze, detail: ["duration_s": seconds.map { .number($0) } ?? .null])
    }

    public static func resume(at t: Double) -> LogEvent { LogEvent(time: t, kind: .resume) }

    public static func sensorFault(sensor: Int, message: String, at t: Double) -> LogEvent {
        LogEvent(time: t, kind: .sensorFault, detail: ["sensor": .number(Double(sensor)), "message": .string(message)])
    }

    public static func sensorRecovered(sensor: Int, at t: Double) -> LogEvent {
        LogEvent(time: t, kind: .sensorRecovered, detail: ["sensor": .number(Double(sensor))])
    }

    public static func daemonStart(version: String, at t: Double) -> LogEvent {
        LogEvent(time: t, kind: .daemonStart, detail: ["version": .string(version)])
    }

    public static func daemonStop(reason: String, at t: Double) -> LogEvent {
        LogEvent(time: t, kind: .daemonStop, detail: ["reason": .string(reason)])
    }

    /// The wall clock became trusted; `offset` = realtime − monotonic.
    public static func clockSynced(offset: Double, at t: Double) -> LogEvent {
        LogEvent(time: t, kind: .clockSynced, detail: ["offset_s": .number(offset)])
    }

    /// The first write that failed (`message` says why); stored when writing works again.
    public static func storeFault(message: String, at t: Double) -> LogEvent {
        LogEvent(time: t, kind: .storeFault, detail: ["message": .string(message)])
    }

    /// Writing works again after `seconds` of failing; `heldMinutes` waited in memory for it.
    public static func storeRecovered(afterSeconds seconds: Double, heldMinutes: Int, at t: Double) -> LogEvent {
        LogEvent(time: t, kind: .storeRecovered, detail: [
            "failed_for_s": .number(seconds), "held_minutes": .number(Double(heldMinutes)),
        ])
    }

    /// Written by `DayLog.append` for each gap, so the events alone read as a complete timeline.
    static func gap(_ gap: LogGap) -> LogEvent {
        LogEvent(
            time: gap.start, kind: .gap,
            detail: ["reason": .string(gap.reason.rawValue), "duration_s": .number(gap.duration)])
    }
}
