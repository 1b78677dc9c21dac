/// An on/off rhythm for a buzzer, vibration motor or LED, written `"150on,150off,150on"`.
public struct IndicatorPattern: Sendable, Equatable, CustomStringConvertible {
    public struct Step: Sendable, Equatable {
        public var isOn: Bool
        public var milliseconds: Int

        public init(isOn: Bool, milliseconds: Int) {
            self.isOn = isOn
            self.milliseconds = milliseconds
        }
    }

    /// Shorter steps are inaudible or invisible; longer ones are a fault, not a nudge.
    public static let stepRangeMilliseconds = 10...5000
    /// A nudge longer than this is an alarm; the indicator would also block the next one.
    public static let maximumTotalMilliseconds = 10_000
    /// What is allowed, for messages.
    static let syntax =
        "alternating \"<ms>on\" and \"<ms>off\" steps separated by commas, starting with on, each 10 to 5000 ms, "
        + "at most 10000 ms in all, e.g. \"150on,150off,150on\""

    /// Starts with an on step; on and off alternate.
    public private(set) var steps: [Step]

    /// Parses and validates; the error text says what is wrong (the caller adds what is allowed).
    public init(parsing text: String) throws(IndicatorPatternError) {
        var steps: [Step] = []
        for token in text.split(separator: ",", omittingEmptySubsequences: false) {
            let trimmed = String(token).trimmingBlanks()
            let isOn: Bool
            let digits: Substring
            if trimmed.hasSuffix("off") {
                (isOn, digits) = (false, trimmed.dropLast(3))
            } else if trimmed.hasSuffix("on") {
                (isOn, digits) = (true, trimmed.dropLast(2))
            } else {
                throw IndicatorPatternError("'\(trimmed)' is not \"<ms>on\" or \"<ms>off\"")
            }
            guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }), let milliseconds = Int(digits) else {
                throw IndicatorPatternError("'\(trimmed)' does not start with a whole number of milliseconds")
            }
            guard Self.stepRangeMilliseconds.contains(milliseconds) else {
                throw IndicatorPatternError("step '\(trimmed)' is out of range")
            }
            if steps.isEmpty, !isOn { throw IndicatorPatternError("the first step '\(trimmed)' is off") }
            if let previous = steps.last, previous.isOn == isOn {
                throw IndicatorPatternError("step '\(trimmed)' repeats '\(isOn ? "on" : "off")' instead of alternating")
            }
            steps.append(Step(isOn: isOn, milliseconds: milliseconds))
        }
        let total = steps.reduce(0) { $0 + $1.milliseconds }
        guard total <= Self.maximumTotalMilliseconds else { throw IndicatorPatternError("it lasts \(total) ms in all") }
        self.steps = steps
    }

    /// A single on step (a built-in constant: no parsing that could fail).
    static func onePulse(milliseconds: Int) -> IndicatorPattern { IndicatorPattern(steps: [Step(isOn: true, milliseconds: milliseconds)]) }

    private init(steps: [Step]) { self.steps = steps }

    /// Total length, ms.
    public var totalMilliseconds: Int { steps.reduce(0) { $0 + $1.milliseconds } }

    /// The configuration-file form.
    public var description: String {
        steps.map { "\($0.milliseconds)\($0.isOn ? "on" : "off")" }.joined(separator: ",")
    }
}

public struct IndicatorPatternError: Error, Sendable, Equatable, CustomStringConvertible {
    public var description: String

    init(_ description: String) {
        self.description = description
    }
}

extension ValueRule where Output == IndicatorPattern {
    static var indicatorPattern: ValueRule<IndicatorPattern> {
        let expected = IndicatorPattern.syntax
        return ValueRule(expected: expected) { value in
            guard case .string(let text) = value.content else { return .failure(.wrongType(value, expected: expected)) }
            do throws(IndicatorPatternError) {
                return .success(try IndicatorPattern(parsing: text))
            } catch {
                return .failure(ValueFailure("\(value.rendered) is not a valid pattern: \(error), expected \(expected)"))
            }
        }
    }
}
