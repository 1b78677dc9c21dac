/// A subcommand: declared once (`declaration`), built from its parsed words, then run.
/// Throwing `UsageError` from `init`, `validate` or `run` means a command line to correct
/// (exit 64, with the usage); any other error is a failure (exit 1).
public protocol Command: Sendable {
    static var declaration: CommandDeclaration { get }
    init(_ arguments: ParsedArguments) throws(UsageError)
    /// Checks of values against each other (`--from` after `--to`), before anything runs.
    func validate() throws
    func run() throws
}

extension Command {
    public func validate() throws {}
}

/// The exit statuses of sysexits(3) that a command line can end with.
public enum ExitStatus {
    public static let success: Int32 = 0
    public static let failure: Int32 = 1
    /// EX_USAGE: the command line was wrong.
    public static let usage: Int32 = 64
}
