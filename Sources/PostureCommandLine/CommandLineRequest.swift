import PostureCore

/// What a command line asks of the program, before any command runs.
public enum CommandLineRequest: Sendable {
    case run(ParsedArguments)
    /// `--help`, `-h`, `help [COMMAND]`, or no words at all; nil: the program's own help.
    case help(CommandDeclaration?)
    case version
    /// `--generate-completion-script bash|zsh|fish`.
    case completionScript(Shell)
    /// `--generate-manual`: the roff page (scripts/generate-posturectl-manual).
    case manualPage

    public enum Shell: String, Sendable, CaseIterable { case bash, zsh, fish }
}

/// A usage error, and the command whose usage to print with it (nil: the program's).
public struct CommandLineError: Error, Sendable {
    public let error: UsageError
    public let command: CommandDeclaration?
}

extension ProgramDeclaration {
    /// Reads `arguments` (without the program name). The subcommand is the first word that is
    /// no option or an option's value; options before it are read as the subcommand's own, so
    /// the options commands share work on either side of it.
    public func request(_ arguments: [String]) throws(CommandLineError) -> CommandLineRequest {
        let options = arguments.prefix { $0 != "--" }
        if options.contains("--version") { return .version }
        var index = 0
        while index < arguments.count {
            let word = arguments[index]
            if !word.hasPrefix("-") { return try subcommand(at: index, of: arguments) }
            if word == "--help" || word == "-h" { return .help(nil) }
            if word == "--generate-manual" { return .manualPage }
            if word == "--generate-completion-script" {
                let shell = index + 1 < arguments.count ? arguments[index + 1] : ""
                guard let chosen = CommandLineRequest.Shell(rawValue: shell) else {
                    let expected = CommandLineRequest.Shell.allCases.map(\.rawValue).joined(separator: ", ")
                    throw usage("'--generate-completion-script' needs a shell: \(expected)", nil)
                }
                return .completionScript(chosen)
            }
            let (name, inlineValue) = ParsedArguments.split(word)
            let declared = commands.flatMap(\.options)
            guard let option = declared.first(where: { "--\($0.name)" == name }) else {
                throw usage(ParsedArguments.unknownOption(name, among: Set(declared.map { "--\($0.name)" }).sorted()), nil)
            }
            index += option.kind == .option && inlineValue == nil ? 2 : 1
        }
        return .help(nil)
    }

    private func subcommand(at index: Int, of arguments: [String]) throws(CommandLineError) -> CommandLineRequest {
        let word = arguments[index]
        let rest = Array(arguments[..<index] + arguments[(index + 1)...])
        if word == "help" {
            guard let topic = rest.first(where: { !$0.hasPrefix("-") }) else { return .help(nil) }
            guard let command = command(named: topic) else { throw usage(unknownCommand(topic), nil) }
            return .help(command)
        }
        guard let command = command(named: word) else { throw usage(unknownCommand(word), nil) }
        if rest.prefix(while: { $0 != "--" }).contains(where: { $0 == "--help" || $0 == "-h" }) { return .help(command) }
        do {
            return .run(try ParsedArguments(rest, for: command))
        } catch {
            throw CommandLineError(error: error, command: command)
        }
    }

    /// "unknown command 'stauts' (did you mean 'status'?); 'posturectl --help' lists them"
    private func unknownCommand(_ word: String) -> String {
        let hint = NameSuggestion.nearest(to: word, among: commands.map(\.name) + ["help"]).map { " (did you mean '\($0)'?)" } ?? ""
        return "unknown command '\(word)'\(hint); '\(name) --help' lists them"
    }

    private func usage(_ message: String, _ command: CommandDeclaration?) -> CommandLineError {
        CommandLineError(error: UsageError(message), command: command)
    }
}
