/// `--help`: as swift-argument-parser laid it out, which the docs quote. Overview, usage,
/// arguments and options in two columns, wrapped to fit 80 columns.
extension ProgramDeclaration {
    /// The longest line: one short of 80 columns, as swift-argument-parser wrapped.
    static let width = 79
    /// Where the help column of "  --name <value>   help" starts.
    static let helpColumn = 26

    /// The program's help, or a subcommand's.
    public func help(_ command: CommandDeclaration?) -> String {
        guard let command else { return programHelp() }
        var text = Self.wrap("OVERVIEW: " + command.abstract) + "\n\n"
        if !command.discussion.isEmpty { text += Self.wrap(command.discussion) + "\n\n" }
        text += "USAGE: " + usage(command) + "\n\n"  // one line, however long: it is copied
        if !command.positionals.isEmpty {
            text += "ARGUMENTS:\n" + command.positionals.map { Self.row($0.spelling, Self.helpWithDefault($0)) }.joined() + "\n"
        }
        text += "OPTIONS:\n" + command.options.map { Self.row($0.spelling, Self.helpWithDefault($0)) }.joined()
        text += Self.standardOptionRows + "\n"
        return text
    }

    private func programHelp() -> String {
        var text = Self.wrap("OVERVIEW: " + abstract) + "\n\n"
        text += "USAGE: \(name) <subcommand>\n\nOPTIONS:\n" + Self.standardOptionRows + "\n"
        text += "SUBCOMMANDS:\n" + commands.map { Self.row($0.name, $0.abstract) }.joined()
        text += "\n  See '\(name) help <subcommand>' for detailed help.\n"
        return text
    }

    /// `posturectl replay <file> [--config <config>] --stand <stand> …`, in declaration order.
    public func usage(_ command: CommandDeclaration) -> String {
        let words = command.arguments.map { argument in
            let word = argument.spelling + (argument.isRepeatable ? " ..." : "")
            return argument.isRequired ? word : "[\(word)]"
        }
        return ([name, command.name] + words).joined(separator: " ")
    }

    static let standardOptionRows = row("--version", "Show the version.") + row("-h, --help", "Show help information.")

    static func helpWithDefault(_ argument: ArgumentDeclaration) -> String {
        argument.help + (argument.defaultText.map { " (default: \($0))" } ?? "")
    }

    /// "  label   help…", the help wrapped under its own column; on the next line when the
    /// label leaves no room.
    static func row(_ label: String, _ help: String) -> String {
        let lead = "  " + label
        let wrapped = wrap(help, width: width - helpColumn).split(separator: "\n", omittingEmptySubsequences: false)
        let pad = String(repeating: " ", count: helpColumn)
        var lines = wrapped.map { pad + $0 }
        if lead.count < helpColumn {
            lines[0] = lead + String(repeating: " ", count: helpColumn - lead.count) + wrapped[0]
        } else {
            lines.insert(lead, at: 0)
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// `text`'s words in lines of at most `width` characters (a longer word on a line of its own);
    /// lines after the first start with `indent` spaces.
    static func wrap(_ text: String, width: Int = width, indent: Int = 0) -> String {
        var lines: [String] = []
        var line = ""
        for word in text.split(separator: " ") {
            if !line.isEmpty, line.count + 1 + word.count > width {
                lines.append(line)
                line = String(repeating: " ", count: indent)
            }
            line += (line.isEmpty || line.allSatisfy { $0 == " " } ? "" : " ") + word
        }
        lines.append(line)
        return lines.joined(separator: "\n")
    }
}
