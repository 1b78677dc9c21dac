/// What one GPIO chip says about itself, for choosing a chip and for error messages.
public struct GPIOChipInfo: Sendable, Equatable, CustomStringConvertible {
    /// "/dev/gpiochip0"
    public var path: String
    /// The kernel's name: "gpiochip0".
    public var name: String
    /// The driver's label: "pinctrl-rp1" (Pi 5), "pinctrl-bcm2835" (Pi 4), "cp2112_gpio".
    public var label: String
    public var lineCount: Int

    public init(path: String, name: String, label: String, lineCount: Int) {
        self.path = path
        self.name = name
        self.label = label
        self.lineCount = lineCount
    }

    public var description: String { "\(path) \"\(label)\" (\(lineCount) lines)" }
}
