import PostureCore
import ArgumentParser
import PostureControl

struct SnoozeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "snooze", abstract: "Suppress nudges for a while (default: the configured snooze).")

    @Argument(help: ArgumentHelp("How long: 30m, 1h, 90s, 1h30m or plain seconds (at most 24h).", valueName: "duration"))
    var duration: String?

    @OptionGroup var connection: ConnectionOptions

    func validate() throws {
        if let duration {
            guard let seconds = SnoozeDuration.seconds(duration) else {
                if let written = SnoozeDuration.written(duration), !(written > 0) || !written.isFinite {
                    throw ValidationError("'\(duration)': a snooze needs more than 0 seconds, at most 24h (30m, 1h, 90s or seconds); 'posturectl resume' ends one early")
                }
                throw ValidationError("'\(duration)' is not a duration; try 30m, 1h, 90s or a number of seconds")
            }
            guard seconds <= ControlProtocol.maxSnoozeSeconds else { throw ValidationError("at most 24h; 'posturectl resume' ends a snooze early") }
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

struct ResumeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "resume", abstract: "End a snooze now.")

    @OptionGroup var connection: ConnectionOptions

    func run() throws {
        let client = try connection.connect()
        guard let reply = try client.call(.resume, json: connection.json), !connection.json else { return }
        print(try reply.payload(ResumeResult.self).wasSnoozed ? "Nudges resumed." : "Nudges were not snoozed.")
    }
}
