import ArgumentParser
import PostureControl

struct ReloadCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reload", abstract: "Make the daemon re-read its configuration file.",
        discussion: "A file with errors is reported and the running configuration is kept.")

    @OptionGroup var connection: ConnectionOptions

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
