import ArgumentParser
import PostureControl
import PostureCore

struct TestNudgeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test-nudge", abstract: "Play a nudge pattern on the indicators now (not counted, ignores snooze).")

    @Argument(help: ArgumentHelp("The pattern: \(NudgeReason.allCases.map(\.rawValue).joined(separator: " or ")).", valueName: "reason"))
    var reason: String?

    @OptionGroup var connection: ConnectionOptions

    func validate() throws {
        if let reason, NudgeReason(rawValue: reason) == nil {
            throw ValidationError("unknown reason '\(reason)'; expected one of \(NudgeReason.allCases.map(\.rawValue).joined(separator: ", "))")
        }
    }

    func run() throws {
        let client = try connection.connect()
        let command = ControlCommand.testNudge(reason: reason.flatMap(NudgeReason.init(rawValue:)))
        guard let reply = try client.call(command, json: connection.json), !connection.json else { return }
        let result = try reply.payload(TestNudgeResult.self)
        if result.indicators.isEmpty {
            print("Played '\(result.reason.rawValue)', but no indicator is configured.")
        } else {
            print("Played '\(result.reason.rawValue)' on \(result.indicators.joined(separator: ", ")).")
        }
    }
}
