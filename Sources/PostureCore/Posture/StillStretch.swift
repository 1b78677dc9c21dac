/// The part of a calibration window a pose was computed from: the stillest stretch of at
/// least `PoseCapture.Limits.minimumStillSeconds`, extended while it stayed within the
/// motion limits. Times are the samples' own clock (recording seconds in replay, the
/// daemon's monotonic clock live).
public struct StillStretch: Sendable, Equatable, Codable {
    /// Times of the first and last sample used.
    public var start: Double
    public var end: Double
    /// Times of the first and last sample of the whole window.
    public var windowStart: Double
    public var windowEnd: Double
    /// The stretch's worst motion statistic, against its limit.
    public var motion: MotionReading

    public init(start: Double, end: Double, windowStart: Double, windowEnd: Double, motion: MotionReading) {
        self.start = start
        self.end = end
        self.windowStart = windowStart
        self.windowEnd = windowEnd
        self.motion = motion
    }

    public var duration: Double { end - start }
    public var windowDuration: Double { windowEnd - windowStart }
    /// Seconds from the window's first sample to the stretch's.
    public var offset: Double { start - windowStart }

    /// For the wearer or a log: "held still 4.2 s of the 6.0 s window, from 1.5 s in
    /// (gyro RMS 0.021 rad/s, at most 0.15)".
    public var summary: String {
        "held still \(tenths(duration)) s of the \(tenths(windowDuration)) s window, from \(tenths(offset)) s in "
            + "(\(motion.measure.rawValue) \(thousandths(motion.measured)) \(motion.measure.unit), at most \(thousandths(motion.allowed)))"
    }
}

/// Finds the stillest stretch among a window's blocks. O(blocks × minimumSlots) time, and
/// memory of a few numbers per block: each candidate's sums are the sum of its blocks' sums.
struct StillStretchSearch {
    let blocks: [MotionBlock]
    let limits: PoseCapture.Limits
    /// Sensors that reported in the window: each must report in the chosen stretch too, so
    /// that both sensors' poses come from the same moment.
    let sensors: [Int]

    enum Outcome {
        /// `merged` holds the sums of the stretch, `motion` its worst statistic (share ≤ 1).
        case still(merged: MotionBlock, motion: MotionReading)
        /// No stretch was still enough; the stillest one and how much it moved.
        case moved(stillest: MotionBlock, motion: MotionReading)
        /// No stretch of the minimum length had samples of every sensor (which is missing).
        case sensorMissing(Int)
    }

    /// Blocks a stretch must span: `minimumStillSeconds` in whole blocks.
    var minimumSlots: Int {
        max(1, Int((limits.minimumStillSeconds / PoseCapture.blockSeconds - 1e-9).rounded(.up)))
    }

    /// A stretch of the minimum length starting at a block: where it ends (exclusive) and
    /// its motion, `nil` when a sensor has no samples in it.
    private struct Candidate {
        var end: Int
        var motion: MotionReading?
        var isStill: Bool { motion.map { $0.share <= 1 } ?? false }
    }

    func run() -> Outcome {
        var candidates: [Candidate] = []
        var missing = SensorIndex.pelvis
        for first in blocks.indices {
            var merged = blocks[first]
            var end = first + 1
            while merged.slotSpan(to: blocks[end - 1]) < minimumSlots, end < blocks.count {
                merged = merged + blocks[end]
                end += 1
            }
            guard merged.slotSpan(to: blocks[end - 1]) >= minimumSlots else { break }
            switch motion(of: merged) {
            case .failure(let absent):
                missing = absent.sensor
                candidates.append(Candidate(end: end, motion: nil))
            case .success(let reading):
                candidates.append(Candidate(end: end, motion: reading))
            }
        }
        let stillest = candidates.indices.filter { candidates[$0].motion != nil }
            .min { candidates[$0].motion!.share < candidates[$1].motion!.share }
        guard let best = stillest, let motion = candidates[best].motion else { return .sensorMissing(missing) }
        let merged = self.merged(best..<candidates[best].end)
        guard motion.share <= 1 else { return .moved(stillest: merged, motion: motion) }
        return extended(from: best, candidates: candidates, merged: merged, motion: motion)
    }

    /// Grows the stretch a block at a time, on the side that keeps it stiller, while every
    /// minimum-length stretch inside it is still enough and the whole stays within the
    /// limits: more samples average out more sway, but a movement must not be diluted in.
    private func extended(
        from best: Int, candidates: [Candidate], merged: MotionBlock, motion: MotionReading
    ) -> Outcome {
        // Candidate starts [lower, upper] are in the stretch; it covers blocks lower..<candidates[upper].end.
        var (lower, upper, merged, motion) = (best, best, merged, motion)
        while true {
            let end = candidates[upper].end
            let left = lower > 0 && candidates[lower - 1].isStill ? candidate(blocks[lower - 1] + merged) : nil
            let right = upper + 1 < candidates.count && candidates[upper + 1].isStill
                ? candidate((end..<candidates[upper + 1].end).reduce(merged) { $0 + blocks[$1] }) : nil
            if let l = left, right.map({ l.motion.share <= $0.motion.share }) ?? true {
                (merged, motion, lower) = (l.merged, l.motion, lower - 1)
            } else if let r = right {
                (merged, motion, upper) = (r.merged, r.motion, upper + 1)
            } else {
                return .still(merged: merged, motion: motion)
            }
        }
    }

    /// The sums of `range`'s blocks (not empty) as one block.
    private func merged(_ range: Range<Int>) -> MotionBlock {
        range.dropFirst().reduce(blocks[range.lowerBound]) { $0 + blocks[$1] }
    }

    /// The merged stretch and its motion when it is still enough, else nil.
    private func candidate(_ merged: MotionBlock) -> (merged: MotionBlock, motion: MotionReading)? {
        guard case .success(let reading) = motion(of: merged), reading.share <= 1 else { return nil }
        return (merged, reading)
    }

    /// The worst statistic over the window's sensors, or the sensor with no samples here.
    private func motion(of merged: MotionBlock) -> Result<MotionReading, SensorMissing> {
        var worst: MotionReading?
        for sensor in sensors {
            guard merged[sensor].count > 0 else { return .failure(SensorMissing(sensor: sensor)) }
            let reading = merged[sensor].motion(sensor: sensor, limits: limits)
            if worst.map({ reading.share > $0.share }) ?? true { worst = reading }
        }
        guard let worst else { return .failure(SensorMissing(sensor: SensorIndex.pelvis)) }
        return .success(worst)
    }

    struct SensorMissing: Error { var sensor: Int }
}

extension MotionBlock {
    /// Slots from this block's to `last`'s, both included.
    func slotSpan(to last: MotionBlock) -> Int { last.slot - slot + 1 }
}
