/// Reconstructs FIFO frame times. The chip converts on its own oscillator (±1–2 % from
/// nominal), and a drain only tells how many frames arrived since the last one, so frames
/// continue the previous drain's timeline at the learned chip period, and that timeline is
/// slewed gently toward the drain time (the newest frame was converted within one period
/// before it): a small PI loop, whose integral learns the oscillator's error so a steady
/// drift leaves no steady lag. Times strictly increase, so the engine's clocks never run backwards.
struct FrameClock: Equatable {
    /// Fraction of the timing error corrected per drain: slow enough to average out wake jitter.
    static let slewGain = 0.05
    /// A continuation this many periods behind the drain time means frames were lost
    /// without an overflow report; start over from the drain time.
    static let maximumLagPeriods = 8.0
    /// Fraction of the timing error folded into the period estimate per drain.
    static let periodGain = 0.02
    /// Oscillators further off than this are not believed (a glitch, not a drift).
    static let periodRatioLimits = 0.95...1.05

    private(set) var newestFrameTime: Double?
    /// Learned chip period over nominal; kept across resets (the oscillator is the same).
    private(set) var periodRatio = 1.0

    mutating func reset() { newestFrameTime = nil }

    /// Writes the times of `count` frames drained at `drainTime` into `times[0..<count]`.
    mutating func stamp(count: Int, drainTime: Double, period nominal: Double, into times: UnsafeMutableBufferPointer<Double>) {
        guard count > 0, nominal > 0 else { return }
        let period = nominal * periodRatio
        let newest: Double
        if let last = newestFrameTime {
            let continued = last + Double(count) * period
            let error = drainTime - continued - period / 2  // the newest frame is on average half a period old
            if error < -1.5 * period || error > Self.maximumLagPeriods * period {
                newest = drainTime - period / 2
            } else {
                newest = continued + Self.slewGain * error
                let ratio = periodRatio + Self.periodGain * error / (Double(count) * nominal)
                periodRatio = min(max(ratio, Self.periodRatioLimits.lowerBound), Self.periodRatioLimits.upperBound)
            }
        } else {
            newest = drainTime - period / 2
        }
        var previous = newestFrameTime ?? -Double.infinity
        for k in 0..<count {
            var t = newest - Double(count - 1 - k) * period
            if t <= previous { t = previous + period * 1e-3 }
            times[k] = t
            previous = t
        }
        newestFrameTime = previous
    }
}
