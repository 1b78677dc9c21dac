import PostureCommandLine
import PostureControl

struct ReloadCommand: Command {
    static let declaration = CommandDeclaration(
        "reload", abstract: "Make the daemon re-read its configuration file.",
        discussion: "A file with errors is reported and the running configuration is kept.",
        arguments: ConnectionOptions.arguments)

    let connection: ConnectionOptions

    init(_ arguments: ParsedArguments) throws(UsageError) { connection = try ConnectionOptions(arguments) }

    func run() throws {
        let client = try connection.connect()
        guard let reply = try client.call(.reload, json: connection.json), !connection.json else { return }
        let result = try reply.payload(ReloadResult.self)
        print(result.changed.isEmpty
            ? "Reloaded \(result.path): nothing changed."
            : "Reloaded \(result.path): \(result.changed.joined(separator: ", ")).")
        for warning in result.warnings { print("warning: \(warning)") }
    }
}
