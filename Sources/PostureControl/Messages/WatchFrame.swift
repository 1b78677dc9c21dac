public import PostureCore

/// One frame of `watch`: the live posture as of the daemon's latest tick.
public struct WatchFrame: Sendable, Equatable, Codable {
    /// Seconds on the daemon's monotonic clock (the engine's `t`).
    public var t: Double
    /// `nil` until the engine has produced angles (warm-up, no sensor).
    public var angles: AngleReading?
    /// `nil` until the classifier has decided.
    public var activity: Activity?
    /// In a confirmed slouch (the policy's view, with hold time and hysteresis).
    public var slouching: Bool
    /// Seconds of the current sitting bout; `nil` outside a bout.
    public var boutSeconds: Double?
    /// Seconds of snooze left; `nil` when not snoozed.
    public var snoozeRemainingSeconds: Double?
    /// Whether angles are relative to a real calibration (otherwise to the configured mounting).
    public var calibrated: Bool

    public init(t: Double, angles: AngleReading?, activity: Activity?, slouching: Bool, boutSeconds: Double?,
                snoozeRemainingSeconds: Double?, calibrated: Bool) {
        self.t = t
        self.angles = angles
        self.activity = activity
        self.slouching = slouching
        self.boutSeconds = boutSeconds.finiteValue
        self.snoozeRemainingSeconds = snoozeRemainingSeconds.finiteValue
        self.calibrated = calibrated
    }

    enum CodingKeys: String, CodingKey {
        case t, angles, activity, slouching, calibrated
        case boutSeconds = "bout_s"
        case snoozeRemainingSeconds = "snooze_remaining_s"
    }
}
