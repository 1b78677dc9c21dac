/// Where things go in the day chart, in SVG user units (the chart scales to its container).
///
/// The plot starts right of the lane labels; time runs left to right over `plotWidth`, the
/// hours of `DayTimeline.axis`. Every mark carries its times in `data-` attributes, and the
/// root carries the axis, so a reader (a test, a script) can check a mark against the log.
struct ChartLayout {
    static let width = 960.0
    static let plotLeft = 132.0
    static let plotRight = 12.0
    static var plotWidth: Double { width - plotLeft - plotRight }
    /// The title line.
    static let titleHeight = 26.0
    /// The row of nudge markers above the lanes.
    static let markerRowHeight = 22.0
    static let laneHeight = 18.0
    static let laneGap = 4.0
    static let panelGap = 30.0
    static let angleHeight = 130.0
    static let axisHeight = 24.0
    /// The key in words under the time axis.
    static let legendHeight = 36.0
    /// Angle panels span at least this many degrees, so a still day is not drawn as a storm.
    static let minimumAngleSpan = 20.0
    /// Gridlines and the angle scale's rounding, degrees.
    static let angleGridStep = 5.0

    /// At most this many gridlines in an angle panel, so their labels stay apart.
    static let maximumGridLines = 8.0

    /// The gridline spacing: the smallest of 5°, 10°, 15°, 20°, 30° and 45° that keeps to
    /// `maximumGridLines`.
    static func gridStep(span: Double) -> Double {
        [5.0, 10, 15, 20, 30, 45].first { span / $0 <= maximumGridLines } ?? 45
    }

    let axisStart: Double
    let axisEnd: Double

    func x(_ time: Double) -> Double {
        let fraction = (time - axisStart) / max(1, axisEnd - axisStart)
        return Self.plotLeft + min(1, max(0, fraction)) * Self.plotWidth
    }

    /// The y range of an angle panel: the data, the lines drawn on it and 0 (standing tall),
    /// padded and rounded out to whole grid steps.
    static func angleScale(values: [Double]) -> (low: Double, high: Double) {
        let finite = values.filter(\.isFinite)
        var low = (finite.min() ?? -10) - 2
        var high = (finite.max() ?? 10) + 2
        if high - low < minimumAngleSpan {
            let middle = (high + low) / 2
            low = middle - minimumAngleSpan / 2
            high = middle + minimumAngleSpan / 2
        }
        return ((low / angleGridStep).rounded(.down) * angleGridStep, (high / angleGridStep).rounded(.up) * angleGridStep)
    }
}
