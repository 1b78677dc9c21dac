/// Why a value was refused, in words for the person editing the file.
struct ValueFailure: Error {
    var message: String
    /// Set when the problem is at a line other than the key's (an element of a multi-line array).
    var line: Int?
    /// Set when the problem is in a part of the value (`[1]` for `quiet_hours[1]`).
    var pathSuffix: String?
    /// Further, independent failures in the same value (other bad array elements), so that
    /// all of them are reported in one pass.
    var more: [ValueFailure] = []

    init(_ message: String, line: Int? = nil, pathSuffix: String? = nil) {
        self.message = message
        self.line = line
        self.pathSuffix = pathSuffix
    }

    /// "`value` is a string, expected …".
    static func wrongType(_ value: TOMLValue, expected: String) -> ValueFailure {
        ValueFailure("\(value.rendered) is \(value.kindDescription), expected \(expected)")
    }

    static func outOfRange(_ value: TOMLValue, expected: String) -> ValueFailure {
        ValueFailure("\(value.rendered) is out of range, expected \(expected)")
    }
}

/// How to turn one TOML value into a typed option, and how to describe what is allowed.
/// The description ends every message ("…, expected an integer from 25 to 1000"), so a
/// problem always says both what is wrong and what would be right.
struct ValueRule<Output> {
    /// What is allowed, as a noun phrase: "an integer from 25 to 1000".
    let expected: String
    let convert: (TOMLValue) -> Result<Output, ValueFailure>

    /// The same input, checked further: `check` returns a message when it refuses.
    func checked(_ check: @escaping (Output, TOMLValue) -> String?) -> ValueRule<Output> {
        ValueRule(expected: expected) { value in
            convert(value).flatMap { output in
                if let message = check(output, value) { return .failure(ValueFailure(message)) }
                return .success(output)
            }
        }
    }

    /// Converts the output once it is valid (`[String]` → `Set<NudgeReason>`).
    func map<Other>(_ transform: @escaping (Output) -> Other) -> ValueRule<Other> {
        ValueRule<Other>(expected: expected) { value in convert(value).map(transform) }
    }
}

extension ValueRule where Output == Int {
    static func integer(in range: ClosedRange<Int>) -> ValueRule<Int> {
        let expected = "an integer from \(range.lowerBound) to \(range.upperBound)"
        return ValueRule(expected: expected) { value in
            guard case .integer(let number) = value.content else { return .failure(.wrongType(value, expected: expected)) }
            guard number >= Int64(range.lowerBound), number <= Int64(range.upperBound) else {
                return .failure(.outOfRange(value, expected: expected))
            }
            return .success(Int(number))
        }
    }

    /// One of a few integers, such as full-scale ranges: "one of 2, 4, 8 or 16 g".
    static func integer(oneOf allowed: [Int], unit: String) -> ValueRule<Int> {
        let expected = "one of \(listing(allowed.map(String.init), conjunction: "or")) \(unit)"
        return ValueRule(expected: expected) { value in
            guard case .integer(let number) = value.content else { return .failure(.wrongType(value, expected: expected)) }
            guard let match = allowed.first(where: { Int64($0) == number }) else {
                return .failure(ValueFailure("\(value.rendered) is not available, expected \(expected)"))
            }
            return .success(match)
        }
    }
}

extension ValueRule where Output == Double {
    /// An integer or a float within `range` (so `slouch_hold_s = 30` works as well as `30.0`).
    static func number(in range: ClosedRange<Double>) -> ValueRule<Double> {
        let expected = "a number from \(format(range.lowerBound)) to \(format(range.upperBound))"
        return ValueRule(expected: expected) { value in
            let number: Double
            switch value.content {
            case .integer(let integer): number = Double(integer)
            case .float(let float): number = float
            default: return .failure(.wrongType(value, expected: expected))
            }
            // NaN fails `contains`, so it is reported as out of range too.
            guard range.contains(number) else { return .failure(.outOfRange(value, expected: expected)) }
            return .success(number)
        }
    }
}

extension ValueRule where Output == Bool {
    static var boolean: ValueRule<Bool> {
        ValueRule(expected: "true or false") { value in
            guard case .boolean(let flag) = value.content else { return .failure(.wrongType(value, expected: "true or false")) }
            return .success(flag)
        }
    }
}

extension ValueRule where Output == String {
    /// Any non-empty string; `what` says what it should be ("a group name").
    static func string(_ what: String) -> ValueRule<String> {
        ValueRule(expected: what) { value in
            guard case .string(let text) = value.content else { return .failure(.wrongType(value, expected: what)) }
            guard !text.isEmpty else { return .failure(ValueFailure("an empty string is not allowed, expected \(what)")) }
            return .success(text)
        }
    }

    /// An absolute path: the daemon's working directory is `/`, so a relative path is a mistake.
    static func absolutePath(_ what: String) -> ValueRule<String> {
        let expected = "an absolute path to \(what)"
        return string(expected).checked { path, value in
            if !path.hasPrefix("/") { return "\(value.rendered) is not an absolute path, expected \(expected)" }
            if path.contains(where: \.isNewline) { return "\(value.rendered) holds a line break, expected \(expected)" }
            return nil
        }
    }

    /// An absolute path, or `""` for a feature left off.
    static func absolutePathOrOff(_ what: String) -> ValueRule<String> {
        let path = absolutePath(what)
        let expected = path.expected + ", or \"\" for off"
        return ValueRule(expected: expected) { value in
            guard case .string(let text) = value.content else { return .failure(.wrongType(value, expected: expected)) }
            return text.isEmpty ? .success("") : path.convert(value)
        }
    }

    /// Longest path a Unix socket address holds (`sun_path` is 108 bytes on Linux, with its NUL).
    static let maximumSocketPathBytes = 107

    /// An absolute path for a Unix socket: a file name (not a directory) short enough for
    /// `sun_path`, or the daemon could only fail at start-up, where a restart would not help.
    static func socketPath(_ what: String) -> ValueRule<String> {
        let expected = "an absolute path to \(what)"
        return absolutePath(what).checked { path, value in
            if path.hasSuffix("/") { return "\(value.rendered) names a directory, expected \(expected) (a file name)" }
            let bytes = path.utf8.count
            if bytes > maximumSocketPathBytes {
                return "\(value.rendered) is \(bytes) bytes long, a Unix socket path holds at most \(maximumSocketPathBytes)"
            }
            return nil
        }
    }
}

extension ValueRule where Output: CaseIterable & RawRepresentable, Output.RawValue == String {
    /// A string naming one case of `Output`, with a "did you mean" for near misses.
    static var choice: ValueRule<Output> {
        let names = Output.allCases.map(\.rawValue)
        let expected = "one of \(listing(names.map(TOMLValue.quoted), conjunction: "or"))"
        return ValueRule(expected: expected) { value in
            guard case .string(let text) = value.content else { return .failure(.wrongType(value, expected: expected)) }
            if let choice = Output(rawValue: text) { return .success(choice) }
            var message = "\(value.rendered) is not allowed, expected \(expected)"
            if let near = Suggestion.nearest(to: text, among: names) { message += "; did you mean \(TOMLValue.quoted(near))?" }
            return .failure(ValueFailure(message))
        }
    }
}

extension ValueRule {
    /// An array whose elements all follow this rule. Every bad element is reported, each at
    /// its own line and index (`quiet_hours[1]`). `expected` describes the whole array when
    /// "an array of <element>" does not read well.
    func array(expected arrayExpected: String? = nil) -> ValueRule<[Output]> {
        let element = self
        let expected = arrayExpected ?? "an array of \(element.expected)"
        return ValueRule<[Output]>(expected: expected) { value in
            guard case .array(let items) = value.content else { return .failure(.wrongType(value, expected: expected)) }
            var outputs: [Output] = []
            var failures: [ValueFailure] = []
            for (index, item) in items.enumerated() {
                switch element.convert(item) {
                case .success(let output):
                    outputs.append(output)
                case .failure(var failure):
                    failure.line = failure.line ?? item.line
                    failure.pathSuffix = "[\(index)]" + (failure.pathSuffix ?? "")
                    failures.append(failure)
                }
            }
            guard var first = failures.first else { return .success(outputs) }
            first.more = Array(failures.dropFirst())
            return .failure(first)
        }
    }
}

/// "a, b or c".
func listing(_ items: [String], conjunction: String) -> String {
    guard items.count > 1 else { return items.first ?? "" }
    return items.dropLast().joined(separator: ", ") + " \(conjunction) " + (items.last ?? "")
}

/// 45 rather than 45.0 in messages; 0.95 as is.
func format(_ number: Double) -> String {
    if number.isFinite, number == number.rounded(), abs(number) < 1e15 { return String(Int64(number)) }
    return String(number)
}
