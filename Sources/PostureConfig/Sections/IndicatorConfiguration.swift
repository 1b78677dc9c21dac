public import PostureCore

/// One `[[indicator]]`: a buzzer, vibration motor or LED on a GPIO line that signals nudges.
public struct IndicatorConfiguration: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        case buzzer, vibration, led
    }

    public var kind: Kind
    /// The GPIO line driving it: config keys `chip` (`"auto"` = find the named line on any chip) and `line`.
    public var gpio: GPIOLineSpec
    /// The line is driven low to switch the indicator on.
    public var activeLow: Bool
    /// The nudges it signals.
    public var reasons: Set<NudgeReason>
    /// The rhythm per nudge reason; every reason has one.
    public var patterns: [NudgeReason: IndicatorPattern]
    /// The gentle cue of fading feedback (`[policy] feedback = "fading"`), for every reason:
    /// config key `patterns.gentle`.
    public var gentlePattern: IndicatorPattern
    /// The button's answers and prompts (`[button]`), each under its own key in `patterns`.
    public var cuePatterns: [IndicatorCue: IndicatorPattern]

    /// A short double pulse for a slouch; three longer ones to get up.
    public static let defaultPatterns: [NudgeReason: IndicatorPattern] = {
        var patterns: [NudgeReason: IndicatorPattern] = [:]
        for reason in NudgeReason.allCases {
            let text = switch reason {
            case .slouch: "150on,150off,150on"
            case .sittingTooLong: "400on,200off,400on,200off,400on"
            }
            patterns[reason] = try? IndicatorPattern(parsing: text)
        }
        return patterns
    }()

    /// One short pulse: 100 ms is about the shortest a vibration motor spins up to be felt
    /// and an LED blink is seen, and it is unlike either full pattern (two or three pulses).
    public static let defaultGentlePattern = IndicatorPattern.onePulse(milliseconds: 100)
    /// The config key of the gentle pattern in `[indicator.patterns]`, beside the reasons'.
    static let gentlePatternKey = "gentle"

    /// There is no default line: only the wiring knows it.
    public init(
        kind: Kind = .vibration, gpio: GPIOLineSpec, activeLow: Bool = false,
        reasons: Set<NudgeReason> = Set(NudgeReason.allCases),
        patterns: [NudgeReason: IndicatorPattern] = IndicatorConfiguration.defaultPatterns,
        gentlePattern: IndicatorPattern = IndicatorConfiguration.defaultGentlePattern,
        cuePatterns: [IndicatorCue: IndicatorPattern] = IndicatorCue.defaultPatterns
    ) {
        self.kind = kind
        self.gpio = gpio
        self.activeLow = activeLow
        self.reasons = reasons
        self.patterns = patterns
        self.gentlePattern = gentlePattern
        self.cuePatterns = cuePatterns
    }

    /// The pattern for a nudge of `reason` at `intensity`.
    public func pattern(for reason: NudgeReason, intensity: NudgeIntensity) -> IndicatorPattern? {
        intensity == .gentle ? gentlePattern : patterns[reason]
    }
}

extension IndicatorConfiguration {
    /// `nil` when `line` is missing or unusable (already reported).
    init?(reading reader: inout SectionReader) {
        let defaults = IndicatorConfiguration(gpio: GPIOLineSpec(line: .offset(0)))
        let kind = reader.read("kind", .choice, default: defaults.kind)
        let gpio = reader.readLineSpec()
        let activeLow = reader.read("active_low", .boolean, default: defaults.activeLow)
        let reasons = reader.read("reasons", .nudgeReasons, default: defaults.reasons)
        let (patterns, gentlePattern, cuePatterns) = reader.subtable(
            "patterns", default: (defaults.patterns, defaults.gentlePattern, defaults.cuePatterns)
        ) { patternReader in
            var patterns = defaults.patterns
            for reason in NudgeReason.allCases {
                if let pattern = patternReader.readIfPresent(reason.rawValue, .indicatorPattern) { patterns[reason] = pattern }
            }
            let gentle = patternReader.readIfPresent(Self.gentlePatternKey, .indicatorPattern) ?? defaults.gentlePattern
            var cues = defaults.cuePatterns
            for cue in IndicatorCue.allCases {
                if let pattern = patternReader.readIfPresent(cue.rawValue, .indicatorPattern) { cues[cue] = pattern }
            }
            return (patterns, gentle, cues)
        }
        guard let gpio else { return nil }
        self.init(
            kind: kind, gpio: gpio, activeLow: activeLow, reasons: reasons, patterns: patterns, gentlePattern: gentlePattern,
            cuePatterns: cuePatterns)
    }
}

extension ValueRule where Output == Set<NudgeReason> {
    /// A non-empty array of reason names.
    static var nudgeReasons: ValueRule<Set<NudgeReason>> {
        let names = NudgeReason.allCases.map { TOMLValue.quoted($0.rawValue) }
        let expected = "a non-empty array of nudge reasons from \(listing(names, conjunction: "and"))"
        let elements = ValueRule<NudgeReason>.choice.array(expected: expected)
        return ValueRule(expected: expected) { value in
            elements.convert(value).flatMap { reasons in
                reasons.isEmpty
                    ? .failure(ValueFailure("an empty array is not allowed, expected \(expected); to silence an indicator, remove it"))
                    : .success(Set(reasons))
            }
        }
    }
}
