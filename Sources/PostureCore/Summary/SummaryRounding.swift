/// Rounding for JSON output, so golden files are stable across platforms and builds.
///
/// `(x * 100).rounded() / 100` uses only correctly rounded IEEE operations, so it gives the
/// same `Double` everywhere, and Swift prints that `Double` with the shortest round-tripping
/// digits (`12.35`, not `12.350000000000001`). Negative zero becomes zero (no `-0.0` lines);
/// non-finite values pass through unchanged.
public enum SummaryRounding {
    /// Decimal places kept for seconds: 0.01 s.
    public static let secondsDecimals = 2
    /// Decimal places kept for angles: 0.01°, finer than the histogram's 0.1° bins so that
    /// rounding never moves a percentile to a neighbouring bin's value.
    public static let angleDecimals = 2

    /// `value` rounded to 0.01 s.
    public static func seconds(_ value: Double) -> Double { rounded(value, decimals: secondsDecimals) }

    /// `value` rounded to 0.01°.
    public static func angle(_ value: Double) -> Double { rounded(value, decimals: angleDecimals) }

    /// `value` rounded half away from zero to `decimals` places.
    public static func rounded(_ value: Double, decimals: Int) -> Double {
        guard value.isFinite else { return value }
        var scale = 1.0
        for _ in 0..<Swift.max(0, decimals) { scale *= 10 }
        let result = (value * scale).rounded(.toNearestOrAwayFromZero) / scale
        return result == 0 ? 0 : result  // also turns -0.0 into 0.0
    }
}

extension AngleStatistics {
    /// Every value rounded with `SummaryRounding.angle`.
    public func rounded() -> AngleStatistics {
        AngleStatistics(
            mean: SummaryRounding.angle(mean), p50: SummaryRounding.angle(p50), p95: SummaryRounding.angle(p95))
    }
}

extension DaySummary {
    /// A copy with times rounded to 0.01 s and angles to 0.01°, ready to print.
    public func rounded() -> DaySummary {
        var copy = self
        copy.durationSeconds = SummaryRounding.seconds(durationSeconds)
        copy.sittingSeconds = SummaryRounding.seconds(sittingSeconds)
        copy.standingSeconds = SummaryRounding.seconds(standingSeconds)
        copy.walkingSeconds = SummaryRounding.seconds(walkingSeconds)
        copy.lyingSeconds = SummaryRounding.seconds(lyingSeconds)
        copy.slouchSeconds = SummaryRounding.seconds(slouchSeconds)
        copy.longestSittingBoutSeconds = SummaryRounding.seconds(longestSittingBoutSeconds)
        copy.pelvicTilt = pelvicTilt?.rounded()
        copy.lumbarFlexion = lumbarFlexion?.rounded()
        copy.pelvicObliquity = pelvicObliquity?.rounded()
        return copy
    }
}
