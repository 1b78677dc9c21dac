/// How every postured program writes a duration: `1h 30m`, `12m 3s`, `45s`, `0s`. The one
/// convention of the day log's text, `status`, `watch`, `replay`, `demo` and the messages, in
/// the form `posturectl snooze` reads back (so what is printed can be typed).
///
/// Whole seconds, rounded; seconds are left out from an hour on (a day's figures, not a
/// stopwatch), and so are zero parts (`30m`, `2h`).
public enum DurationText {
    public static func describe(_ seconds: Double) -> String {
        let total = seconds.isFinite ? Int(max(0, seconds).rounded()) : 0
        let h = total / 3600, m = (total % 3600) / 60, s = total % 60
        var parts: [String] = []
        if h > 0 { parts.append("\(h)h") }
        if m > 0 { parts.append("\(m)m") }
        if h == 0, s > 0 || m == 0 { parts.append("\(s)s") }
        return parts.joined(separator: " ")
    }
}
