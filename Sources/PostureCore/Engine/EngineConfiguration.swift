/// Everything that tunes the engine. Every field has the default the daemon ships with.
public struct EngineConfiguration: Sendable, Equatable {
    public var filter: OrientationFilter.Parameters
    public var activity: ActivityClassifier.Parameters
    public var policy: PolicyConfiguration
    /// Sensor 1 samples older than this are treated as missing: `lumbar_flexion` becomes
    /// null rather than frozen at a stale value. Five sample periods at 25 Hz.
    public var upperLumbarStaleAfter: Double
    /// Pelvis sample gaps longer than this are not counted as time in any activity
    /// (the daemon was down or the sensor lost: a gap, never filled in).
    public var maximumTickInterval: Double

    public init(
        filter: OrientationFilter.Parameters = .init(),
        activity: ActivityClassifier.Parameters = .init(),
        policy: PolicyConfiguration = .standard,
        upperLumbarStaleAfter: Double = 0.2,
        maximumTickInterval: Double = 1.0
    ) {
        self.filter = filter
        self.activity = activity
        self.policy = policy
        self.upperLumbarStaleAfter = upperLumbarStaleAfter
        self.maximumTickInterval = maximumTickInterval
    }
}
