/// Mean and percentiles of one angle, degrees.
public struct AngleStatistics: Sendable, Equatable, Codable {
    public var mean: Double
    /// Median (nearest rank), within ±0.05° (half a histogram bin).
    public var p50: Double
    /// 95th percentile (nearest rank), within ±0.05°.
    public var p95: Double

    public init(mean: Double, p50: Double, p95: Double) {
        self.mean = mean
        self.p50 = p50
        self.p95 = p95
    }
}

/// The day's (or the replay's) totals: the `summary` line of `replay --json`.
///
/// Plain stored properties so the JSON writer can print them in the contract's order; use
/// `rounded()` first for output that is stable across platforms. Times in seconds, angles in
/// degrees. `Codable` keys are the contract's; `nil` encodes as `null`.
public struct DaySummary: Sendable, Equatable, Codable {
    /// Sum of the ticks' `dt`; equals the four activity times added up.
    public var durationSeconds: Double
    public var sittingSeconds: Double
    public var standingSeconds: Double
    public var walkingSeconds: Double
    public var lyingSeconds: Double
    /// Time in a confirmed slouch (`NudgePolicy.isSlouching`): from the moment the hold is met
    /// until recovery is confirmed. It leaves out the hold and includes the recovery grace.
    public var slouchSeconds: Double
    /// Delivered nudges per reason, every reason present.
    public var nudges: NudgeCounts
    /// Nudges that were due but suppressed, per cause (an extra for the day log).
    public var suppressedNudges: SuppressionCounts
    /// The longest sitting bout, counting one still open when the summary was taken.
    public var longestSittingBoutSeconds: Double
    /// Steps counted, when the engine reports them (an extra); `nil` otherwise.
    public var steps: Int?
    /// Over every pelvis tick with a finite angle, whatever the activity; `nil` if none.
    public var pelvicTilt: AngleStatistics?
    /// Over every tick with a lumbar angle; `nil` without sensor 1 (never invented).
    public var lumbarFlexion: AngleStatistics?
    /// Over every pelvis tick with a finite angle (an extra).
    public var pelvicObliquity: AngleStatistics?

    public init(
        durationSeconds: Double = 0, sittingSeconds: Double = 0, standingSeconds: Double = 0,
        walkingSeconds: Double = 0, lyingSeconds: Double = 0, slouchSeconds: Double = 0,
        nudges: NudgeCounts = NudgeCounts(), suppressedNudges: SuppressionCounts = SuppressionCounts(),
        longestSittingBoutSeconds: Double = 0, steps: Int? = nil, pelvicTilt: AngleStatistics? = nil,
        lumbarFlexion: AngleStatistics? = nil, pelvicObliquity: AngleStatistics? = nil
    ) {
        self.durationSeconds = durationSeconds
        self.sittingSeconds = sittingSeconds
        self.standingSeconds = standingSeconds
        self.walkingSeconds = walkingSeconds
        self.lyingSeconds = lyingSeconds
        self.slouchSeconds = slouchSeconds
        self.nudges = nudges
        self.suppressedNudges = suppressedNudges
        self.longestSittingBoutSeconds = longestSittingBoutSeconds
        self.steps = steps
        self.pelvicTilt = pelvicTilt
        self.lumbarFlexion = lumbarFlexion
        self.pelvicObliquity = pelvicObliquity
    }

    /// Time spent in `activity`.
    public func seconds(in activity: Activity) -> Double {
        switch activity {
        case .sitting: sittingSeconds
        case .standing: standingSeconds
        case .walking: walkingSeconds
        case .lying: lyingSeconds
        }
    }

    /// The CLI contract's keys.
    public enum CodingKeys: String, CodingKey {
        case durationSeconds = "duration_s"
        case sittingSeconds = "sitting_s"
        case standingSeconds = "standing_s"
        case walkingSeconds = "walking_s"
        case lyingSeconds = "lying_s"
        case slouchSeconds = "slouch_s"
        case nudges = "nudges"
        case suppressedNudges = "suppressed_nudges"
        case longestSittingBoutSeconds = "longest_sitting_bout_s"
        case steps = "steps"
        case pelvicTilt = "pelvic_tilt"
        case lumbarFlexion = "lumbar_flexion"
        case pelvicObliquity = "pelvic_obliquity"
    }

    /// Like the synthesized encoder, but writes `null` for a missing value instead of leaving
    /// the key out: the contract's `"lumbar_flexion": null` without sensor 1.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(durationSeconds, forKey: .durationSeconds)
        try container.encode(sittingSeconds, forKey: .sittingSeconds)
        try container.encode(standingSeconds, forKey: .standingSeconds)
        try container.encode(walkingSeconds, forKey: .walkingSeconds)
        try container.encode(lyingSeconds, forKey: .lyingSeconds)
        try container.encode(slouchSeconds, forKey: .slouchSeconds)
        try container.encode(nudges, forKey: .nudges)
        try container.encode(suppressedNudges, forKey: .suppressedNudges)
        try container.encode(longestSittingBoutSeconds, forKey: .longestSittingBoutSeconds)
        try container.encode(steps, forKey: .steps)
        try container.encode(pelvicTilt, forKey: .pelvicTilt)
        try container.encode(lumbarFlexion, forKey: .lumbarFlexion)
        try container.encode(pelvicObliquity, forKey: .pelvicObliquity)
    }
}
