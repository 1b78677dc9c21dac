/// What holds an input line when nothing drives it: a button wired to ground needs a pull-up,
/// one wired to 3V3 a pull-down, one with its own resistor neither. The kernel ignores a bias
/// a chip cannot set (many USB bridges), so "pull-up" never fails a start-up.
public enum GPIOBias: String, Sendable, CaseIterable {
    case asIs = "as-is"
    case disabled
    case pullUp = "pull-up"
    case pullDown = "pull-down"
}
