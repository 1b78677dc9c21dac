import PostureCore
import PostureCommandLine
import PostureControl

struct SnoozeCommand: Command {
    static let declaration = CommandDeclaration(
        "snooze", abstract: "Suppress nudges for a while (default: the configured snooze).",
        arguments: [durationArgument] + ConnectionOptions.arguments)
    static let durationArgument = Argument<String>.positional(
        "duration", help: "How long: 30m, 1h, 90s, 1h30m or plain seconds (at most 24h).", optional: true)

    let duration: String?
    let connection: ConnectionOptions

    init(_ arguments: ParsedArguments) throws(UsageError) {
        duration = try arguments.optionalValue(Self.durationArgument)
        connection = try ConnectionOptions(arguments)
    }

    func validate() throws {
        if let duration {
            guard let seconds = SnoozeDuration.seconds(duration) else {
                if let written = SnoozeDuration.written(duration), !(written > 0) || !written.isFinite {
                    throw UsageError("'\(duration)': a snooze needs more than 0 seconds, at most 24h (30m, 1h, 90s or seconds); 'posturectl resume' ends one early")
                }
                throw UsageError("'\(duration)' is not a duration; try 30m, 1h, 90s or a number of seconds")
            }
            guard seconds <= ControlProtocol.maxSnoozeSeconds else { throw UsageError("at most 24h; 'posturectl resume' ends a snooze early") }
        }
    }

    func run() throws {
        let client = try connection.connect()
        let seconds = duration.flatMap(SnoozeDuration.seconds)
        guard let reply = try client.call(.snooze(seconds: seconds), json: connection.json), !connection.json else { return }
        let result = try reply.payload(SnoozeResult.self)
        print("Nudges snoozed for \(DurationText.describe(result.remainingSeconds)) ('posturectl resume' to end it early).")
    }
}

struct ResumeCommand: Command {
    static let declaration = CommandDeclaration("resume", abstract: "End a snooze now.", arguments: ConnectionOptions.arguments)

    let connection: ConnectionOptions

    init(_ arguments: ParsedArguments) throws(UsageError) { connection = try ConnectionOptions(arguments) }

    func run() throws {
        let client = try connection.connect()
        guard let reply = try client.call(.resume, json: connection.json), !connection.json else { return }
        print(try reply.payload(ResumeResult.self).wasSnoozed ? "Nudges resumed." : "Nudges were not snoozed.")
    }
}
