import PostureCore

/// A command line that does not parse, or a value a command refuses: printed with the
/// command's usage, exit status 64 (EX_USAGE).
public struct UsageError: Error, CustomStringConvertible, Sendable {
    public let description: String
    /// The argument it is about, whose help is printed with it.
    public let argument: ArgumentDeclaration?

    public init(_ description: String, about argument: ArgumentDeclaration? = nil) {
        self.description = description
        self.argument = argument
    }
}

/// One subcommand's words, checked against its declaration: every option known and given a
/// value of its type, every required one present, no positional argument too many.
public struct ParsedArguments: Sendable {
    public let command: CommandDeclaration
    /// By `--name` or `<name>`: the words given, in order.
    private var values: [String: [String]] = [:]

    /// `words` is everything but the program and subcommand names, in order.
    init(_ words: [String], for command: CommandDeclaration) throws(UsageError) {
        self.command = command
        var positionals: [String] = []
        var index = 0
        var optionsEnded = false
        while index < words.count {
            let word = words[index]
            index += 1
            if optionsEnded || word == "-" || !word.hasPrefix("-") {
                positionals.append(word)
                continue
            }
            if word == "--" {
                optionsEnded = true
                continue
            }
            let (name, inlineValue) = Self.split(word)
            guard let option = command.options.first(where: { "--\($0.name)" == name }) else {
                throw UsageError(Self.unknownOption(name, among: command.options.map { "--\($0.name)" }))
            }
            if option.kind == .flag {
                guard inlineValue == nil else { throw UsageError("'\(name)' takes no value (given '\(word)')") }
                values[option.key, default: []].append("")
                continue
            }
            let value: String
            if let inlineValue {
                value = inlineValue
            } else if index < words.count, option.takesDashedValue || !words[index].hasPrefix("-") || words[index] == "-" {
                value = words[index]
                index += 1
            } else {
                throw UsageError("Missing value for '\(option.spelling)'", about: option)
            }
            try Self.check(value, for: option)
            // A repeatable option keeps each value; any other keeps the last, as most tools do.
            values[option.key] = option.isRepeatable ? values[option.key, default: []] + [value] : [value]
        }
        let declared = command.positionals
        for (position, value) in positionals.enumerated() {
            guard position < declared.count else { throw UsageError("Unexpected argument '\(value)'") }
            try Self.check(value, for: declared[position])
            values[declared[position].key] = [value]
        }
        if let missing = command.arguments.first(where: { $0.isRequired && values[$0.key] == nil }) {
            throw UsageError("Missing expected argument '\(missing.spelling)'", about: missing)
        }
    }

    /// `--name=value` as ("--name", "value"); anything else as (word, nil).
    static func split(_ word: String) -> (name: String, value: String?) {
        guard word.hasPrefix("--"), let equals = word.firstIndex(of: "=") else { return (word, nil) }
        return (String(word[..<equals]), String(word[word.index(after: equals)...]))
    }

    /// "Unknown option '--sockt'. Did you mean '--socket'?"
    static func unknownOption(_ name: String, among names: [String]) -> String {
        let hint = name.hasPrefix("--") ? NameSuggestion.nearest(to: name, among: names) : nil
        return "Unknown option '\(name)'" + (hint.map { ". Did you mean '\($0)'?" } ?? "")
    }

    private static func check(_ value: String, for argument: ArgumentDeclaration) throws(UsageError) {
        guard argument.accepts(value) else {
            throw UsageError(
                "'\(value)' is not a valid value for '\(argument.spelling)': expected \(argument.expectation)", about: argument)
        }
    }

    // MARK: Reading

    /// Whether `--name` was given.
    public func isSet(_ flag: Flag) -> Bool { values[flag.declaration.key] != nil }

    /// The value given, else nil (for an option without a default, an optional positional).
    public func optionalValue<Value>(_ argument: Argument<Value>) throws(UsageError) -> Value? {
        guard let text = values[argument.declaration.key]?.last else { return argument.defaultValue }
        return try Self.convert(text, argument)
    }

    /// The value given, else the default; a required one the parser has already made sure of.
    public func value<Value>(_ argument: Argument<Value>) throws(UsageError) -> Value {
        guard let value = try optionalValue(argument) else {
            throw UsageError("Missing expected argument '\(argument.declaration.spelling)'")
        }
        return value
    }

    /// Every value of a repeatable option, in the order given.
    public func values<Value>(_ argument: Argument<Value>) throws(UsageError) -> [Value] {
        var converted: [Value] = []
        for text in values[argument.declaration.key] ?? [] { converted.append(try Self.convert(text, argument)) }
        return converted
    }

    private static func convert<Value>(_ text: String, _ argument: Argument<Value>) throws(UsageError) -> Value {
        guard let value = Value(commandLine: text) else {
            throw UsageError("'\(text)' is not a valid value for '\(argument.declaration.spelling)': expected \(Value.expectation)")
        }
        return value
    }
}
