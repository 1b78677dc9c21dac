/// How a shell completes an option's value or a positional argument.
public enum Completion: Sendable, Equatable {
    case none
    case file
    case directory
    /// One of these words (a scenario, a nudge reason).
    case list([String])
}

/// One option, flag or positional argument, declared once: the parser, `--help`, the manual
/// page and the shell completions all read this.
public struct ArgumentDeclaration: Sendable {
    public enum Kind: Sendable { case flag, option, positional }

    public let kind: Kind
    /// `json` for `--json`; for a positional argument, the same as `valueName`.
    public let name: String
    /// `path` in `--socket <path>` and for a positional `<file>`.
    public let valueName: String
    public let help: String
    /// Shown as "(default: …)" after the help.
    public let defaultText: String?
    public let isRequired: Bool
    /// May be given more than once (`--bus 1 --bus 2`); each value is kept.
    public let isRepeatable: Bool
    /// Takes the next word as its value even when it starts with '-' (`--stand -5:0`), so the
    /// command refuses it by what it says rather than as a missing value.
    public let takesDashedValue: Bool
    public let completion: Completion
    /// What a value must be, for the error that refuses one ("an integer").
    let expectation: String
    let accepts: @Sendable (String) -> Bool

    /// `--socket <path>`, `--json` or `<file>`: how help and errors write it.
    public var spelling: String {
        switch kind {
        case .flag: "--\(name)"
        case .option: "--\(name) <\(valueName)>"
        case .positional: "<\(valueName)>"
        }
    }

    /// The key under which the parser keeps its values.
    var key: String { kind == .positional ? "<\(name)>" : "--\(name)" }
}

/// What a command lists in its declaration: an `Argument`, a `Flag`, or a declaration itself.
public protocol DeclaresArgument: Sendable {
    var declaration: ArgumentDeclaration { get }
}

extension ArgumentDeclaration: DeclaresArgument {
    public var declaration: ArgumentDeclaration { self }
}

/// A type an option or positional argument can have.
public protocol CommandLineValue: Sendable {
    init?(commandLine text: String)
    /// For the error that refuses a value: "an integer".
    static var expectation: String { get }
}

extension String: CommandLineValue {
    public init?(commandLine text: String) { self = text }
    public static var expectation: String { "text" }
}

extension Int: CommandLineValue {
    public init?(commandLine text: String) { self.init(text) }
    public static var expectation: String { "an integer" }
}

extension UInt64: CommandLineValue {
    public init?(commandLine text: String) { self.init(text) }
    public static var expectation: String { "a whole number from 0" }
}

extension Double: CommandLineValue {
    public init?(commandLine text: String) { self.init(text) }
    public static var expectation: String { "a number" }
}

/// A typed option or positional argument: its declaration, and its default when it has one.
/// A command keeps these as `static let`s, lists them in its `CommandDeclaration`, and reads
/// its values with them (`ParsedArguments.value(_:)`).
public struct Argument<Value: CommandLineValue>: DeclaresArgument {
    public let declaration: ArgumentDeclaration
    let defaultValue: Value?

    private init(
        _ kind: ArgumentDeclaration.Kind, _ name: String, valueName: String?, help: String, default defaultValue: Value?,
        required: Bool, repeatable: Bool = false, dashedValue: Bool, completion: Completion
    ) {
        declaration = ArgumentDeclaration(
            kind: kind, name: name, valueName: valueName ?? name, help: help, defaultText: defaultValue.map { "\($0)" },
            isRequired: required, isRepeatable: repeatable, takesDashedValue: dashedValue, completion: completion,
            expectation: Value.expectation, accepts: { Value(commandLine: $0) != nil })
        self.defaultValue = defaultValue
    }

    /// `--name <valueName>`, optional; with a default, shown in help.
    public static func option(
        _ name: String, valueName: String? = nil, default defaultValue: Value? = nil, help: String,
        takesDashedValue: Bool = false, completion: Completion = .none
    ) -> Self {
        Self(.option, name, valueName: valueName, help: help, default: defaultValue, required: false,
             dashedValue: takesDashedValue, completion: completion)
    }

    /// `--name <valueName>` that must be given.
    public static func required(
        _ name: String, valueName: String? = nil, help: String, takesDashedValue: Bool = false, completion: Completion = .none
    ) -> Self {
        Self(.option, name, valueName: valueName, help: help, default: nil, required: true,
             dashedValue: takesDashedValue, completion: completion)
    }

    /// `--name <valueName>`, any number of times.
    public static func repeated(_ name: String, valueName: String? = nil, help: String, completion: Completion = .none) -> Self {
        Self(.option, name, valueName: valueName, help: help, default: nil, required: false, repeatable: true,
             dashedValue: false, completion: completion)
    }

    /// `<name>`, in the order the command lists its positional arguments.
    public static func positional(
        _ name: String, help: String, optional: Bool = false, completion: Completion = .none
    ) -> Self {
        Self(.positional, name, valueName: name, help: help, default: nil, required: !optional,
             dashedValue: false, completion: completion)
    }
}

/// `--name` alone: set or not.
public struct Flag: DeclaresArgument {
    public let declaration: ArgumentDeclaration

    public init(_ name: String, help: String) {
        declaration = ArgumentDeclaration(
            kind: .flag, name: name, valueName: name, help: help, defaultText: nil, isRequired: false,
            isRepeatable: false, takesDashedValue: false, completion: .none, expectation: "", accepts: { _ in true })
    }
}

/// A subcommand: what help, the manual and the completions say of it, and what it accepts.
public struct CommandDeclaration: Sendable {
    public let name: String
    public let abstract: String
    public let discussion: String
    public let arguments: [ArgumentDeclaration]

    /// `arguments` in the order help and the manual list them.
    public init(_ name: String, abstract: String, discussion: String = "", arguments: [any DeclaresArgument] = []) {
        self.name = name
        self.abstract = abstract
        self.discussion = discussion
        self.arguments = arguments.map(\.declaration)
    }

    var options: [ArgumentDeclaration] { arguments.filter { $0.kind != .positional } }
    var positionals: [ArgumentDeclaration] { arguments.filter { $0.kind == .positional } }
}

/// The program: its name, version line, and subcommands. Options a subcommand declares may
/// also be written before it (`posturectl --socket S status`).
public struct ProgramDeclaration: Sendable {
    public let name: String
    public let abstract: String
    /// What `--version` prints.
    public let version: String
    public let commands: [CommandDeclaration]

    public init(name: String, abstract: String, version: String, commands: [CommandDeclaration]) {
        self.name = name
        self.abstract = abstract
        self.version = version
        self.commands = commands
    }

    func command(named name: String) -> CommandDeclaration? { commands.first { $0.name == name } }
}
