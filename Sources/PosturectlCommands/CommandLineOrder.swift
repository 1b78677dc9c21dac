import PostureControl

/// `posturectl --socket S status` as well as `posturectl status --socket S`: ArgumentParser
/// takes options only after the subcommand that declares them, so the options every kind
/// of command shares are moved there before parsing. A command that has no such option
/// still says so, by its own name.
enum CommandLineOrder {
    /// The shared options, and whether each takes a value.
    static let sharedOptions: [String: Bool] = ["--socket": true, "--state-dir": true, "--config": true, "--json": false]

    /// `arguments` (without the program name) with the shared options written before the
    /// subcommand moved to just after it; anything else is left where it is.
    static func reordered(_ arguments: [String], subcommands: Set<String>) -> [String] {
        var moved: [String] = []
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            if subcommands.contains(argument) {
                return [argument] + moved + arguments[(index + 1)...]
            }
            let name = String(argument.prefix { $0 != "=" })
            guard let takesValue = sharedOptions[name] else { return arguments }  // --help, a typo: as written
            moved.append(argument)
            if takesValue, !argument.contains("="), index + 1 < arguments.count {
                index += 1
                moved.append(arguments[index])
            }
            index += 1
        }
        return arguments
    }

    /// The first word after the shared options: what the user meant as the subcommand. Nil
    /// when another option comes first (`--help`, `--version`, `--generate-completion-script
    /// bash`): ArgumentParser answers those, and names an unknown one itself.
    static func subcommandWord(_ arguments: [String]) -> String? {
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            guard argument.hasPrefix("-") else { return argument }
            guard let takesValue = sharedOptions[String(argument.prefix { $0 != "=" })] else { return nil }
            if takesValue, !argument.contains("=") { index += 1 }
            index += 1
        }
        return nil
    }

    /// "unknown command 'stauts' (did you mean 'status'?)" for a word that is no subcommand.
    static func unknownCommandMessage(_ arguments: [String], subcommands: Set<String>) -> String? {
        guard let word = subcommandWord(arguments), !subcommands.contains(word) else { return nil }
        let hint = NameSuggestion.nearest(to: word, among: subcommands.sorted()).map { " (did you mean '\($0)'?)" } ?? ""
        return "posturectl: unknown command '\(word)'\(hint); 'posturectl --help' lists them"
    }
}
