/// `[button]`: one push button on a GPIO input, for a wearer with no screen. A short press
/// snoozes (or resumes), a long press starts the guided calibration, a double press asks
/// "am I tracked?"; the indicators answer. Off unless the section is present.
public struct ButtonConfiguration: Sendable, Equatable {
    /// What holds the line when the button is open (`GPIOBias` in PostureHardware).
    public enum Bias: String, Sendable, CaseIterable {
        case pullUp = "pull-up"
        case pullDown = "pull-down"
        case disabled
        case asIs = "as-is"
    }

    /// The longest a long press may be asked to take: longer feels broken.
    public static let longPressRange = 1.0...5.0
    /// A window under 0.15 s is faster than fingers; over 1 s makes every short press slow
    /// (a short press waits the window out before it counts). Always below the long press.
    public static let doublePressWindowRange = 0.15...1.0

    /// Config keys `chip` (`"auto"` = find the named line on any chip) and `line`.
    public var gpio: GPIOLineSpec
    /// Pressed = the line low: the usual wiring, a button from the pin to ground.
    public var activeLow: Bool
    public var bias: Bias
    public var longPressSeconds: Double
    public var doublePressWindowSeconds: Double

    /// The defaults suit a button from a Pi's pin to ground: pressed is low, held high by the
    /// SoC's pull-up.
    public init(
        gpio: GPIOLineSpec, activeLow: Bool = true, bias: Bias = .pullUp, longPressSeconds: Double = 2,
        doublePressWindowSeconds: Double = 0.4
    ) {
        self.gpio = gpio
        self.activeLow = activeLow
        self.bias = bias
        self.longPressSeconds = longPressSeconds
        self.doublePressWindowSeconds = doublePressWindowSeconds
    }
}

extension ButtonConfiguration {
    /// `nil` when `line` is missing or unusable (already reported).
    init?(reading reader: inout SectionReader) {
        let defaults = ButtonConfiguration(gpio: GPIOLineSpec(line: .offset(0)))
        let gpio = reader.readLineSpec()
        let activeLow = reader.read("active_low", .boolean, default: defaults.activeLow)
        let bias = reader.read("bias", .choice, default: defaults.bias)
        let longPress = reader.read("long_press_s", .number(in: Self.longPressRange), default: defaults.longPressSeconds)
        let window = reader.read(
            "double_press_window_s", .number(in: Self.doublePressWindowRange), default: defaults.doublePressWindowSeconds)
        guard let gpio else { return nil }
        self.init(gpio: gpio, activeLow: activeLow, bias: bias, longPressSeconds: longPress, doublePressWindowSeconds: window)
    }
}

extension SectionReader {
    /// The `chip` and `line` keys of an indicator or the button: `nil` when `line` is missing
    /// or unusable (reported). An offset needs a chip; `chip = "auto"` (the default) means any.
    mutating func readLineSpec() -> GPIOLineSpec? {
        let chip = read("chip", .string("a GPIO chip path, name or label, or \"auto\""), default: GPIOLineSpec.autoChip)
        guard let line = readRequired("line", .gpioLine) else { return nil }
        if case .offset = line, chip == GPIOLineSpec.autoChip, let value = table["line"] {
            report(
                key: "line", line: value.line,
                "\(value.rendered) is a line offset, which needs a chip; set chip (e.g. \"gpiochip0\") or name the line, e.g. \"GPIO17\"")
            return nil
        }
        return GPIOLineSpec(chip: chip == GPIOLineSpec.autoChip ? nil : chip, line: line)
    }
}
