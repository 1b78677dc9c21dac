import PostureCommandLine
import PostureControl
import PostureCore

struct TestNudgeCommand: Command {
    static let declaration = CommandDeclaration(
        "test-nudge", abstract: "Play a nudge pattern on the indicators now (not counted, ignores snooze).",
        arguments: [reasonArgument] + ConnectionOptions.arguments)
    static let reasonArgument = Argument<String>.positional(
        "reason", help: "The pattern: \(NudgeReason.allCases.map(\.rawValue).joined(separator: " or ")).", optional: true,
        completion: .list(NudgeReason.allCases.map(\.rawValue)))

    let reason: String?
    let connection: ConnectionOptions

    init(_ arguments: ParsedArguments) throws(UsageError) {
        reason = try arguments.optionalValue(Self.reasonArgument)
        connection = try ConnectionOptions(arguments)
    }

    func validate() throws {
        if let reason, NudgeReason(rawValue: reason) == nil {
            throw UsageError("unknown reason '\(reason)'; expected one of \(NudgeReason.allCases.map(\.rawValue).joined(separator: ", "))")
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
