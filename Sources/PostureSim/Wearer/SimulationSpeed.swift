/// `--speed X`, simulated seconds per real second, as `postured --simulate` and `posturectl
/// demo` take it: one rule and one message for both. Above 0 (both run live, at a pace; as
/// fast as possible is what `posturectl replay` and `simulate` are for) and at most 100 000
/// (a simulated day in under a second, about what one core steps).
public enum SimulationSpeed {
    public static let maximum = 100_000.0

    /// The speed `text` gives, or nil.
    public static func parse(_ text: String) -> Double? {
        guard let speed = Double(text), speed.isFinite, speed > 0, speed <= maximum else { return nil }
        return speed
    }

    /// What is wrong with `text` as a speed, naming the option.
    public static func problem(_ text: String) -> String {
        "--speed: '\(text)' is not a speed, expected a number above 0 and at most 100000"
    }
}
