/// Mean and percentiles of one angle over a day, in constant memory.
///
/// Samples are not stored: a fixed histogram of `binWidth` (0.1°) bins over −180°…180° is
/// allocated once at init, and the mean is a compensated (Neumaier) running sum, so a day of
/// 10 Hz ticks loses no precision that the 0.01° output rounding could show. Adding a sample is O(1) and does not
/// allocate. Percentiles are nearest-rank (the smallest value with at least p of the samples
/// at or below it), reported as the centre of the bin holding that sample and clamped to the
/// observed minimum and maximum: within half a bin (±0.05°) of the exact nearest-rank value,
/// and exact when all samples are equal. Values outside ±180° count in the edge bins (the
/// mean stays exact); non-finite values are skipped.
struct AngleHistogram: Sendable {
    static let lowerBound = -180.0
    static let upperBound = 180.0
    /// Percentile resolution, degrees.
    static let binWidth = 0.1
    static let binCount = Int(((upperBound - lowerBound) / binWidth).rounded())

    private var counts: [Int]
    private(set) var count = 0
    private var sum = 0.0
    /// Low-order bits lost by `sum`, added back at the end (Neumaier summation).
    private var sumCompensation = 0.0
    private var minimum = Double.infinity
    private var maximum = -Double.infinity

    init() {
        counts = Array(repeating: 0, count: Self.binCount)
    }

    mutating func add(_ value: Double) {
        guard value.isFinite else { return }
        let position = ((value - Self.lowerBound) / Self.binWidth).rounded(.down)
        // Clamped as a Double first, so the conversion to Int can never trap.
        let bin = Int(Swift.min(Swift.max(position, 0), Double(Self.binCount - 1)))
        counts[bin] += 1
        count += 1
        let newSum = sum + value
        sumCompensation += Swift.abs(sum) >= Swift.abs(value) ? (sum - newSum) + value : (value - newSum) + sum
        sum = newSum
        minimum = Swift.min(minimum, value)
        maximum = Swift.max(maximum, value)
    }

    /// `nil` when no sample was added.
    var statistics: AngleStatistics? {
        guard count > 0 else { return nil }
        return AngleStatistics(
            mean: (sum + sumCompensation) / Double(count), p50: percentile(0.50), p95: percentile(0.95))
    }

    /// Nearest-rank percentile, `fraction` in 0…1. O(bins); call at summary time only.
    func percentile(_ fraction: Double) -> Double {
        let rank = Swift.max(1, Int((fraction * Double(count)).rounded(.up)))
        var cumulative = 0
        for (bin, binCount) in counts.enumerated() {
            cumulative += binCount
            if cumulative >= rank {
                let centre = Self.lowerBound + (Double(bin) + 0.5) * Self.binWidth
                return Swift.min(Swift.max(centre, minimum), maximum)
            }
        }
        return maximum
    }
}
