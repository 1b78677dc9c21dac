/// How an indicator says one nudge reason: a list of on/off steps, played once per nudge.
///
/// Config syntax (also what `description` prints, expanded):
///
///     pattern := item ("," item)*
///     item    := step | COUNT "x(" step ("," step)* ")"
///     step    := MILLISECONDS ["ms"] ("on" | "off")
///
/// e.g. `"150on,150off,150on"`, `"150ms on, 150ms off"`, `"3x(600on,300off)"`. Spaces are
/// ignored and case does not matter. Durations are whole milliseconds, 1…10000 per step; a
/// pattern has at most 64 steps (after repeats), lasts at most 30 s, and has at least one "on".
/// The player always leaves the line off after a pattern, so a trailing "off" only matters
/// as a pause before the next queued pattern.
public struct NudgePattern: Sendable, Equatable, CustomStringConvertible {
    public struct Step: Sendable, Equatable {
        public var on: Bool
        public var duration: Duration

        public init(on: Bool, milliseconds: Int) {
            self.on = on
            self.duration = .milliseconds(milliseconds)
        }
    }

    public static let maxStepMilliseconds = 10_000
    public static let maxSteps = 64
    public static let maxTotal = Duration.seconds(30)

    public let steps: [Step]

    /// A pattern from steps, checked against the limits above.
    public init(steps: [Step]) throws(NudgePatternError) {
        try self.init(validating: steps, text: steps.map(\.text).joined(separator: ","))
    }

    /// Parses the config syntax above.
    public init(parsing text: String) throws(NudgePatternError) {
        var steps: [Step] = []
        let compact = String(text.lowercased().filter { !$0.isWhitespace })
        guard !compact.isEmpty else { throw NudgePatternError(text: text, item: nil, problem: "the pattern is empty") }
        for item in try Self.topLevelItems(compact, text: text) {
            steps += try Self.parseItem(item, text: text)
        }
        try self.init(validating: steps, text: text)
    }

    private init(validating steps: [Step], text: String) throws(NudgePatternError) {
        func fail(_ problem: String) -> NudgePatternError { NudgePatternError(text: text, item: nil, problem: problem) }
        if let bad = steps.first(where: { $0.duration <= .zero || $0.duration > .milliseconds(Self.maxStepMilliseconds) }) {
            throw NudgePatternError(text: text, item: bad.text, problem: "each step lasts 1 to \(Self.maxStepMilliseconds) ms")
        }
        guard steps.contains(where: \.on) else { throw fail("it never turns the indicator on") }
        guard steps.count <= Self.maxSteps else { throw fail("\(steps.count) steps; at most \(Self.maxSteps)") }
        let total = steps.reduce(Duration.zero) { $0 + $1.duration }
        guard total <= Self.maxTotal else {
            throw fail("it lasts \(total.wholeMilliseconds) ms; at most \(Self.maxTotal.wholeMilliseconds) ms")
        }
        self.steps = steps
    }

    /// The time from the first step to the end of the last.
    public var totalDuration: Duration { steps.reduce(.zero) { $0 + $1.duration } }

    /// The canonical, expanded form: "150on,150off,150on,150off".
    public var description: String { steps.map(\.text).joined(separator: ",") }

    // MARK: Parsing

    /// Splits at commas outside parentheses.
    private static func topLevelItems(_ compact: String, text: String) throws(NudgePatternError) -> [Substring] {
        var items: [Substring] = []
        var depth = 0
        var start = compact.startIndex
        for index in compact.indices {
            switch compact[index] {
            case "(": depth += 1
            case ")": depth -= 1
            case "," where depth == 0:
                items.append(compact[start..<index])
                start = compact.index(after: index)
            default: break
            }
            if depth < 0 || depth > 1 {
                throw NudgePatternError(text: text, item: nil, problem: "unbalanced or nested parentheses")
            }
        }
        guard depth == 0 else { throw NudgePatternError(text: text, item: nil, problem: "a \"(\" is never closed") }
        items.append(compact[start...])
        return items
    }

    private static func parseItem(_ item: Substring, text: String) throws(NudgePatternError) -> [Step] {
        guard let open = item.firstIndex(of: "(") else { return [try parseStep(item, text: text)] }
        let head = item[..<open]
        guard head.hasSuffix("x"), let count = Int(head.dropLast()), item.hasSuffix(")") else {
            throw NudgePatternError(text: text, item: String(item), problem: "write a repeat as COUNTx(steps), as in 3x(600on,300off)")
        }
        guard (1...20).contains(count) else {
            throw NudgePatternError(text: text, item: String(item), problem: "repeat 1 to 20 times")
        }
        let body = item[item.index(after: open)..<item.index(before: item.endIndex)]
        var group: [Step] = []
        for step in body.split(separator: ",", omittingEmptySubsequences: false) {
            group.append(try parseStep(step, text: text))
        }
        return Array(repeating: group, count: count).flatMap { $0 }
    }

    private static func parseStep(_ step: Substring, text: String) throws(NudgePatternError) -> Step {
        func fail(_ problem: String) -> NudgePatternError {
            NudgePatternError(text: text, item: step.isEmpty ? nil : String(step), problem: problem)
        }
        if step.isEmpty { throw fail("an empty step (two commas in a row, or a trailing comma)") }
        let on: Bool
        var amount: Substring
        if step.hasSuffix("off") {
            (on, amount) = (false, step.dropLast(3))
        } else if step.hasSuffix("on") {
            (on, amount) = (true, step.dropLast(2))
        } else {
            throw fail("expected \"on\" or \"off\" after the duration")
        }
        if amount.hasSuffix("ms") { amount = amount.dropLast(2) }
        guard !amount.isEmpty else { throw fail("missing the duration in milliseconds before on/off") }
        guard amount.allSatisfy(\.isASCII), let milliseconds = Int(amount) else {
            throw fail("the duration must be a whole number of milliseconds")
        }
        return Step(on: on, milliseconds: milliseconds)
    }
}

extension NudgePattern.Step {
    /// "150on"
    var text: String { "\(duration.wholeMilliseconds)\(on ? "on" : "off")" }
}

extension Duration {
    fileprivate var wholeMilliseconds: Int64 { components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000 }
}

/// A nudge pattern string that cannot be used, saying where and how to write it.
public struct NudgePatternError: Error, Equatable, CustomStringConvertible {
    /// The whole pattern as given.
    public var text: String
    /// The offending step or group, when one is to blame.
    public var item: String?
    public var problem: String

    public var description: String {
        let at = item.map { " at \"\($0)\"" } ?? ""
        return "nudge pattern \"\(text)\"\(at): \(problem). Write steps like \"150on,150off,150on\" (milliseconds) "
            + "and repeats like \"3x(600on,300off)\""
    }
}
