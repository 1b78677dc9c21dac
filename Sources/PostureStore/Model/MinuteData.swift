public import PostureCore

/// Mean, minimum and maximum of one angle over a minute, degrees.
public struct AngleRange: Sendable, Equatable {
    public var mean: Double
    public var min: Double
    public var max: Double

    public init(mean: Double, min: Double, max: Double) {
        self.mean = mean
        self.min = min
        self.max = max
    }
}

/// What one minute of the day log holds (the `minutes` row without its start time).
///
/// The seconds add up to the time the daemon observed in that minute (≤ 60 s): time the
/// daemon did not observe is not invented, it is missing here and recorded as a gap.
public struct MinuteData: Sendable, Equatable {
    public var sittingSeconds = 0.0
    public var standingSeconds = 0.0
    public var walkingSeconds = 0.0
    public var lyingSeconds = 0.0
    /// Observed time with no activity known yet (the classifier had not decided).
    public var unknownSeconds = 0.0
    /// Time in a slouch episode, onset to end (`SlouchMinutes`).
    public var slouchSeconds = 0.0
    /// Over every pelvis tick with an angle, whatever the activity; `nil` if none.
    public var pelvicTilt: AngleRange?
    public var pelvicObliquityMean: Double?
    /// `nil` without sensor 1 (never invented).
    public var lumbarFlexion: AngleRange?
    /// Ticks behind `pelvicTilt` and `pelvicObliquityMean`: the weight when minutes are merged
    /// or a day's mean is taken.
    public var angleSamples = 0
    /// Ticks behind `lumbarFlexion`.
    public var lumbarSamples = 0
    public var steps = 0
    // Data quality:
    /// Pelvis samples the engine processed.
    public var samples = 0
    /// Samples the configured rate promises over the span the daemon was running in this minute;
    /// fewer `samples` means the loop stalled or the sensor skipped.
    public var expectedSamples = 0
    /// Loop deadlines missed.
    public var overruns = 0
    /// Ticks on which a sensor was faulted (read failures, resets).
    public var sensorFaults = 0

    public init() {}

    public func seconds(in activity: Activity) -> Double {
        switch activity {
        case .sitting: sittingSeconds
        case .standing: standingSeconds
        case .walking: walkingSeconds
        case .lying: lyingSeconds
        }
    }

    /// All observed time: the four activities and the unknown time.
    public var observedSeconds: Double {
        sittingSeconds + standingSeconds + walkingSeconds + lyingSeconds + unknownSeconds
    }

    /// Two observations of the same wall-clock minute combined (see `DayLog.append`): times
    /// and counts add up, means are weighted by their sample counts, extremes widen.
    public func merged(with other: MinuteData) -> MinuteData {
        var result = MinuteData()
        result.sittingSeconds = sittingSeconds + other.sittingSeconds
        result.standingSeconds = standingSeconds + other.standingSeconds
        result.walkingSeconds = walkingSeconds + other.walkingSeconds
        result.lyingSeconds = lyingSeconds + other.lyingSeconds
        result.unknownSeconds = unknownSeconds + other.unknownSeconds
        result.slouchSeconds = slouchSeconds + other.slouchSeconds
        result.pelvicTilt = AngleRange.merge(pelvicTilt, angleSamples, other.pelvicTilt, other.angleSamples)
        result.pelvicObliquityMean = Self.weightedMean(
            pelvicObliquityMean, angleSamples, other.pelvicObliquityMean, other.angleSamples)
        result.lumbarFlexion = AngleRange.merge(lumbarFlexion, lumbarSamples, other.lumbarFlexion, other.lumbarSamples)
        result.angleSamples = angleSamples + other.angleSamples
        result.lumbarSamples = lumbarSamples + other.lumbarSamples
        result.steps = steps + other.steps
        result.samples = samples + other.samples
        result.expectedSamples = expectedSamples + other.expectedSamples
        result.overruns = overruns + other.overruns
        result.sensorFaults = sensorFaults + other.sensorFaults
        return result
    }

    static func weightedMean(_ a: Double?, _ wa: Int, _ b: Double?, _ wb: Int) -> Double? {
        switch (a, b) {
        case (nil, nil): return nil
        case (let a?, nil): return a
        case (nil, let b?): return b
        case (let a?, let b?):
            let total = wa + wb
            return total > 0 ? (a * Double(wa) + b * Double(wb)) / Double(total) : (a + b) / 2
        }
    }
}

extension AngleRange {
    static func merge(_ a: AngleRange?, _ wa: Int, _ b: AngleRange?, _ wb: Int) -> AngleRange? {
        guard let a, let b else { return a ?? b }
        return AngleRange(
            mean: MinuteData.weightedMean(a.mean, wa, b.mean, wb) ?? a.mean,
            min: Swift.min(a.min, b.min), max: Swift.max(a.max, b.max))
    }
}

/// A minute dated on the wall clock: one row of `minutes`.
public struct DatedMinute: Sendable, Equatable {
    /// UTC seconds since 1970, a multiple of 60.
    public var startUnix: Int64
    public var data: MinuteData

    public init(startUnix: Int64, data: MinuteData) {
        self.startUnix = startUnix
        self.data = data
    }
}
