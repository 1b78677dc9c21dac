#if canImport(Glibc)
import Glibc
#endif
import PostureControl

/// The sampling loop's wake-up lateness over the last minute, for `status`: how late each wake
/// came after its deadline, kept as 60 one-second histograms of quarter-octave buckets, so a
/// report costs one add and `status` sums 60 histograms; nothing is allocated after start.
///
/// A percentile is its bucket's upper bound (at most 19% above the true value: 2^¼), the
/// maximum is exact. In FIFO pacing every frame of a drain carries the drain's one wake, so the
/// figures are per frame there, per wake in timer pacing.
struct LatenessWindow {
    static let seconds = 60
    /// Bucket 0 is under 1 µs; bucket k ≥ 1 holds [2^((k−1)/4), 2^(k/4)) µs; the last is open.
    static let bucketsPerOctave = 4.0
    static let bucketCount = 1 + 4 * 24  // up to 2^24 µs ≈ 17 s

    private var counts = [UInt32](repeating: 0, count: seconds * bucketCount)
    private var maxima = [Int64](repeating: 0, count: seconds)
    /// The monotonic second each slot holds (slot = second mod 60); -1 when empty.
    private var slotSecond = [Int64](repeating: -1, count: seconds)

    static func bucket(_ nanoseconds: Int64) -> Int {
        guard nanoseconds >= 1000 else { return 0 }
        let octaves = log2(Double(nanoseconds) / 1000)
        return min(bucketCount - 1, 1 + Int(octaves * bucketsPerOctave))
    }

    /// The upper bound of bucket `k`, microseconds.
    static func upperMicroseconds(_ k: Int) -> Double {
        k == 0 ? 1 : pow(2, Double(k) / bucketsPerOctave)
    }

    /// A wake `latenessNanoseconds` after its deadline, woken at monotonic `wokeAt` (ns).
    mutating func add(latenessNanoseconds: Int64, wokeAt: Int64) {
        let second = wokeAt / 1_000_000_000
        let slot = Int(second % Int64(Self.seconds))
        if slotSecond[slot] != second {
            slotSecond[slot] = second
            maxima[slot] = 0
            for k in 0..<Self.bucketCount { counts[slot * Self.bucketCount + k] = 0 }
        }
        let lateness = max(0, latenessNanoseconds)
        counts[slot * Self.bucketCount + Self.bucket(lateness)] &+= 1
        maxima[slot] = max(maxima[slot], lateness)
    }

    /// p50, p99 and maximum of the wakes in the 60 seconds up to monotonic `now` (ns); nil if none.
    func summary(now: Int64) -> LatenessSummary? {
        let current = now / 1_000_000_000
        var total = [UInt64](repeating: 0, count: Self.bucketCount)
        var wakes: UInt64 = 0
        var maximum: Int64 = 0
        for slot in 0..<Self.seconds where slotSecond[slot] > current - Int64(Self.seconds) && slotSecond[slot] <= current {
            for k in 0..<Self.bucketCount {
                let n = UInt64(counts[slot * Self.bucketCount + k])
                total[k] += n
                wakes += n
            }
            maximum = max(maximum, maxima[slot])
        }
        guard wakes > 0 else { return nil }
        func percentile(_ fraction: Double) -> Double {
            let rank = UInt64((fraction * Double(wakes)).rounded(.up))
            var seen: UInt64 = 0
            for k in 0..<Self.bucketCount {
                seen += total[k]
                if seen >= max(1, rank) { return min(Self.upperMicroseconds(k), Double(maximum) / 1000) }
            }
            return Double(maximum) / 1000
        }
        return LatenessSummary(
            p50Microseconds: percentile(0.5), p99Microseconds: percentile(0.99),
            maxMicroseconds: Double(maximum) / 1000, wakes: Int(wakes))
    }
}
