/// What kind of device an indicator line drives. All are switched on/off by one line (through
/// a transistor for the motor): an *active* buzzer has its own oscillator, so no PWM is needed.
public enum IndicatorKind: String, Sendable, CaseIterable, CustomStringConvertible {
    case buzzer
    case vibration
    case led

    public var description: String {
        switch self {
        case .buzzer: "active buzzer"
        case .vibration: "vibration motor"
        case .led: "LED"
        }
    }
}

/// An indicator on one output line, in logical terms: `set(true)` means "on" whatever the wiring.
///
/// Active-low (the device is on when the pin is low, e.g. an LED to 3V3 or a PNP driver) is
/// handled here, not with the kernel's active-low flag: one place inverts, tests can see it with
/// a fake line, and `gpioget`/`gpioinfo` show the pin's real level while debugging wiring.
public final class Indicator: OutputLine {
    public let kind: IndicatorKind
    public let activeLow: Bool
    /// The physical line: `true` = pin high.
    public let line: any OutputLine

    public init(kind: IndicatorKind, line: any OutputLine, activeLow: Bool) {
        self.kind = kind
        self.line = line
        self.activeLow = activeLow
    }

    /// Requests the GPIO line for an indicator, already off (pin high if active-low), so
    /// starting the daemon never blips the buzzer. Without a chip, every chip is searched for
    /// the line name (`GPIOChip.requesting`).
    public static func open(kind: IndicatorKind, chip: String?, line: String, activeLow: Bool,
                            devDirectory: String = "/dev") throws(GPIOError) -> Indicator {
        try GPIOChip.requesting(chip: chip, line: line, devDirectory: devDirectory) { (gpioChip) throws(GPIOError) in
            let output = try gpioChip.requestOutput(line: line, activeLow: false, initialValue: activeLow)
            return Indicator(kind: kind, line: output, activeLow: activeLow)
        }
    }

    public func set(_ on: Bool) throws {
        try line.set(on != activeLow)
    }
}
