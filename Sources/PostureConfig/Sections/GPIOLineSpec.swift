/// A GPIO line as configured: which chip and which line on it.
public struct GPIOLineSpec: Sendable, Equatable, CustomStringConvertible {
    public enum Line: Sendable, Equatable, CustomStringConvertible {
        /// Offset on the chip (`gpioinfo`'s line number).
        case offset(Int)
        /// The line's name (`"GPIO17"`): the same on a Pi 4 and a Pi 5, unlike offsets and chips.
        case name(String)

        public var description: String {
            switch self {
            case .offset(let offset): String(offset)
            case .name(let name): name
            }
        }
    }

    /// A chip path, name or label (`"/dev/gpiochip0"`, `"gpiochip0"`, `"pinctrl-rp1"`);
    /// `nil` = search every chip for a line of this name.
    public var chip: String?
    public var line: Line

    public init(chip: String? = nil, line: Line) {
        self.chip = chip
        self.line = line
    }

    /// `CHIP:LINE`, or just `LINE` when any chip will do: the form `data_ready` takes.
    public var description: String { chip.map { "\($0):\(line)" } ?? line.description }

    static let maximumOffset = 1023
    static let autoChip = "auto"
}

extension ValueRule where Output == GPIOLineSpec.Line {
    /// `17` (an offset) or `"GPIO17"` (a name).
    static var gpioLine: ValueRule<GPIOLineSpec.Line> {
        let expected = "a line offset from 0 to \(GPIOLineSpec.maximumOffset) or a line name such as \"GPIO17\""
        return ValueRule(expected: expected) { value in
            switch value.content {
            case .integer(let offset):
                guard (0...Int64(GPIOLineSpec.maximumOffset)).contains(offset) else {
                    return .failure(.outOfRange(value, expected: expected))
                }
                return .success(.offset(Int(offset)))
            case .string(let name) where !name.isEmpty:
                return .success(.name(name))
            default:
                return .failure(.wrongType(value, expected: expected))
            }
        }
    }
}

extension ValueRule where Output == GPIOLineSpec {
    /// `"[CHIP:]LINE"`: `"gpiochip0:27"`, `"pinctrl-rp1:GPIO27"`, or `"GPIO27"` (any chip).
    static var gpioLineSpec: ValueRule<GPIOLineSpec> {
        let expected = "\"CHIP:LINE\" or a line name, e.g. \"gpiochip0:27\" or \"GPIO27\""
        return ValueRule(expected: expected) { value in
            guard case .string(let text) = value.content else { return .failure(.wrongType(value, expected: expected)) }
            let parts = text.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            let chip = parts.count == 2 ? parts[0] : nil
            guard let lineText = parts.last, !lineText.isEmpty, chip?.isEmpty != true else {
                return .failure(ValueFailure("\(value.rendered) is not a GPIO line, expected \(expected)"))
            }
            if let offset = Int(lineText) {
                guard let chip else {
                    return .failure(ValueFailure(
                        "\(value.rendered) is a bare line offset, which names no chip; expected \(expected)"))
                }
                guard (0...GPIOLineSpec.maximumOffset).contains(offset) else {
                    return .failure(.outOfRange(value, expected: "an offset from 0 to \(GPIOLineSpec.maximumOffset)"))
                }
                return .success(GPIOLineSpec(chip: chip, line: .offset(offset)))
            }
            return .success(GPIOLineSpec(chip: chip, line: .name(lineText)))
        }
    }
}
