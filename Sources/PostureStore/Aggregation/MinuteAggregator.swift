public import PostureCore

/// What the supervisor knows about one engine tick, for the minute log.
public struct MinuteTick: Sendable {
    /// Monotonic time at the end of the tick, seconds.
    public var t: Double
    /// The time the tick stands for (normally since the previous tick), seconds.
    public var dt: Double
    /// `nil` while the engine has no activity (not decided yet, sensor lost).
    public var activity: Activity?
    /// `nil` when the tick had no pelvis angle (e.g. the sensor faulted).
    public var angles: SegmentAngles?
    /// Steps counted during this tick.
    public var steps: Int
    /// Pelvis samples processed during this tick (normally 1).
    public var samples: Int
    /// Loop deadlines missed during this tick.
    public var overruns: Int
    /// Whether a sensor was faulted on this tick.
    public var sensorFaulted: Bool

    public init(
        t: Double, dt: Double, activity: Activity?, angles: SegmentAngles?,
        steps: Int = 0, samples: Int = 1, overruns: Int = 0, sensorFaulted: Bool = false
    ) {
        self.t = t
        self.dt = dt
        self.activity = activity
        self.angles = angles
        self.steps = steps
        self.samples = samples
        self.overruns = overruns
        self.sensorFaulted = sensorFaulted
    }
}

/// A closed minute on the monotonic clock, waiting to be dated (`WallClockMapping.date`).
public struct MinuteRecord: Sendable, Equatable {
    /// Monotonic start and end of the time the minute's data covers, inside one grid minute:
    /// 60 s apart for a fully observed minute; shorter for the daemon's first and last minute,
    /// a minute with a stall in it, or one cut by `align(gridOrigin:)`.
    public var start: Double
    public var end: Double
    public var data: MinuteData

    public init(start: Double, end: Double, data: MinuteData) {
        self.start = start
        self.end = end
        self.data = data
    }
}

/// Folds engine ticks into one-minute records, closing them on monotonic minute boundaries
/// (`gridOrigin + k·60`). Pure: no clock, no I/O; O(1) per tick and no allocation.
///
/// A tick covers `(t − dt, t]`. Its time is split at a boundary between the two minutes;
/// its angles and counts go to the minute that holds `t`. Minutes the ticks jump over are not
/// produced (nothing observed them: the supervisor records the gap), and `dt` is capped at
/// `maximumTickSeconds`, so a stalled loop shows as unobserved time and missing samples, not
/// as time spent in the last activity.
public struct MinuteAggregator: Sendable {
    public static let minuteSeconds = 60.0

    /// Pelvis sample rate the loop is configured for, Hz: sets `expectedSamples`.
    public let sampleRate: Double
    public let maximumTickSeconds: Double
    /// Monotonic time of a minute boundary; boundaries are 60 s apart.
    public private(set) var gridOrigin: Double

    private var minute: OpenMinute?
    private var lastT: Double?

    public init(sampleRate: Double, gridOrigin: Double = 0, maximumTickSeconds: Double = 2) {
        self.sampleRate = sampleRate.isFinite && sampleRate > 0 ? sampleRate : 0
        self.gridOrigin = gridOrigin.isFinite ? gridOrigin : 0
        self.maximumTickSeconds = maximumTickSeconds
    }

    /// Monotonic start of the minute being filled, if any.
    public var openMinuteStart: Double? { minute?.start }

    /// Adds a tick; returns the minute it closed, if it crossed the open minute's end.
    public mutating func add(_ tick: MinuteTick) -> MinuteRecord? {
        guard tick.t.isFinite else { return nil }
        let t = tick.t
        let dt = tick.dt.isFinite ? Swift.min(Swift.max(tick.dt, 0), maximumTickSeconds) : 0
        lastT = t
        var closed: MinuteRecord?
        if var open = minute, t > open.end {
            open.addTime(from: t - dt, to: open.end, tick: tick)
            closed = open.record(sampleRate: sampleRate)
            minute = OpenMinute(start: Swift.max(open.end, boundary(before: t)), end: boundary(before: t) + Self.minuteSeconds)
        } else if minute == nil {
            let start = boundary(before: t)
            minute = OpenMinute(start: start, end: start + Self.minuteSeconds)
        }
        minute?.addTime(from: t - dt, to: t, tick: tick)
        minute?.addCounts(tick)
        minute?.tickSeconds += dt
        return closed
    }

    /// Closes the open minute now (daemon stop, or before a known gap); nil if none is open.
    public mutating func close() -> MinuteRecord? {
        defer { minute = nil }
        guard var open = minute else { return nil }
        if let lastT { open.end = Swift.min(open.end, Swift.max(lastT, open.start)) }
        return open.record(sampleRate: sampleRate)
    }

    /// Moves the minute grid to `origin` (`WallClockMapping.minuteGridOrigin`, when the clock
    /// becomes trusted or is stepped, so stored minutes match wall-clock minutes exactly) and
    /// closes the open minute where its data ends: the caller dates it by the clock it was
    /// observed on, before taking the new one. Returns that minute, if one was open.
    ///
    /// Cutting the open minute at the new grid instead let it run on past the change, so it
    /// was dated whole by the new clock: data from before the sync and a minute after it
    /// landed in one wall minute (65 s of samples in the virtual board's 00:40 minute), and
    /// the 14 s before a clock step went 20 minutes later with the next minute's.
    public mutating func align(gridOrigin origin: Double) -> MinuteRecord? {
        guard origin.isFinite else { return nil }
        gridOrigin = origin
        return close()
    }

    /// The grid boundary at or before `t`, such that `t` lies in `(b, b + 60]`.
    private func boundary(before t: Double) -> Double {
        let k = ((t - gridOrigin) / Self.minuteSeconds).rounded(.up) - 1
        return gridOrigin + k * Self.minuteSeconds
    }
}

/// Running sums of the minute being filled: plain scalars, so adding a tick never allocates.
private struct OpenMinute {
    var start: Double
    var end: Double
    var data = MinuteData()
    /// First and last observed instants: the span the record dates.
    var observedFrom = Double.infinity
    var observedTo = -Double.infinity
    /// The whole time of the ticks counted here (`addCounts`), for `expectedSamples`.
    var tickSeconds = 0.0
    var tiltSum = 0.0, tiltMin = Double.infinity, tiltMax = -Double.infinity
    var obliquitySum = 0.0
    var flexionSum = 0.0, flexionMin = Double.infinity, flexionMax = -Double.infinity

    init(start: Double, end: Double) {
        self.start = start
        self.end = end
    }

    /// Adds the part of `(from, to]` inside this minute to the tick's activity time. (Slouched
    /// time comes from the policy's episodes, `SlouchMinutes`.)
    mutating func addTime(from: Double, to: Double, tick: MinuteTick) {
        let lower = Swift.max(from, start)
        let upper = Swift.min(to, end)
        guard upper > lower else { return }
        let seconds = upper - lower
        switch tick.activity {
        case .sitting?: data.sittingSeconds += seconds
        case .standing?: data.standingSeconds += seconds
        case .walking?: data.walkingSeconds += seconds
        case .lying?: data.lyingSeconds += seconds
        case nil: data.unknownSeconds += seconds
        }
        observedFrom = Swift.min(observedFrom, lower)
        observedTo = Swift.max(observedTo, upper)
    }

    mutating func addCounts(_ tick: MinuteTick) {
        data.steps += Swift.max(0, tick.steps)
        data.samples += Swift.max(0, tick.samples)
        data.overruns += Swift.max(0, tick.overruns)
        if tick.sensorFaulted { data.sensorFaults += 1 }
        guard let angles = tick.angles, angles.pelvicTilt.isFinite, angles.pelvicObliquity.isFinite else { return }
        data.angleSamples += 1
        tiltSum += angles.pelvicTilt
        tiltMin = Swift.min(tiltMin, angles.pelvicTilt)
        tiltMax = Swift.max(tiltMax, angles.pelvicTilt)
        obliquitySum += angles.pelvicObliquity
        if let flexion = angles.lumbarFlexion, flexion.isFinite {
            data.lumbarSamples += 1
            flexionSum += flexion
            flexionMin = Swift.min(flexionMin, flexion)
            flexionMax = Swift.max(flexionMax, flexion)
        }
    }

    func record(sampleRate: Double) -> MinuteRecord {
        var result = data
        if result.angleSamples > 0 {
            let n = Double(result.angleSamples)
            result.pelvicTilt = AngleRange(mean: tiltSum / n, min: tiltMin, max: tiltMax)
            result.pelvicObliquityMean = obliquitySum / n
        }
        if result.lumbarSamples > 0 {
            result.lumbarFlexion = AngleRange(mean: flexionSum / Double(result.lumbarSamples), min: flexionMin, max: flexionMax)
        }
        let observed = observedTo > observedFrom ? observedTo - observedFrom : 0
        // The samples the rate promises over the time the minute's own ticks stand for, whole
        // (not split at the boundaries like the activity time): each tick counts in one minute,
        // so the minutes add up to the day. Rounding each minute's split span × rate did not
        // ("2340 of 2339 samples" for a day without a loss).
        result.expectedSamples = Int((tickSeconds * sampleRate).rounded())
        // The span the data covers, so a partial minute is dated by where its data lies.
        return observed > 0
            ? MinuteRecord(start: observedFrom, end: observedTo, data: result)
            : MinuteRecord(start: start, end: end, data: result)
    }
}
