import ArgumentParser
import PostureControl

#if canImport(Glibc)
import Glibc
#endif

/// `posturectl`: the wearer's tool. Talks to the daemon over its control socket, reads the
/// day log, and replays, simulates and records recordings. Run by `Sources/posturectl`, and
/// by `postured` when it is called as `posturectl` (the installed link).
struct PostureCtl: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "posturectl",
        abstract: "Read, replay and simulate posture recordings for postured.",
        version: "posturectl \(PosturedVersion.string)",
        subcommands: [
            ReplayCommand.self, FuseCommand.self, SimulateCommand.self, DemoCommand.self, ProbeCommand.self,
            StatusCommand.self, WatchCommand.self, CalibrateCommand.self, SnoozeCommand.self, ResumeCommand.self,
            TestNudgeCommand.self, ReloadCommand.self, RecordCommand.self,
            LogCommand.self, ReportCommand.self, ExportCommand.self,
        ])

    /// The subcommands' names, and `help`.
    static var subcommandNames: Set<String> {
        Set(configuration.subcommands.map { $0._commandName } + ["help"])
    }

    static func main() {
        let arguments = Array(CommandLine.arguments.dropFirst())
        let json = CommandErrorReport.wantsJSON(arguments)
        if let unknown = CommandLineOrder.unknownCommandMessage(arguments, subcommands: subcommandNames) {
            fail(CommandFailure(unknown, code: "usage"), exitCode: .validationFailure, message: unknown, json: json)
        }
        do {
            var command = try parseAsRoot(CommandLineOrder.reordered(arguments, subcommands: subcommandNames))
            try command.run()
        } catch {
            fail(error, exitCode: exitCode(for: error), message: message(for: error), json: json)
        }
    }

    /// Reports `error` (as JSON under `--json`) and exits.
    private static func fail(_ error: any Error, exitCode: ExitCode, message: String, json: Bool) -> Never {
        guard json, let line = CommandErrorReport.jsonLine(for: error, exitCode: exitCode, message: message) else {
            if let failure = error as? CommandFailure, failure.code == "usage" {
                printError(message)
                Glibc.exit(exitCode.rawValue)
            }
            exit(withError: error)
        }
        print(line)
        flushStandardOutput()
        Glibc.exit(exitCode.rawValue)
    }
}

/// The program, as its two mains start it (`Sources/posturectl`, and `postured` run by the
/// name of its installed link).
public enum Posturectl {
    /// The name by which `postured` runs posturectl instead.
    public static let programName = "posturectl"

    /// Parses `CommandLine.arguments` and runs the command; exits on an error.
    public static func main() { PostureCtl.main() }
}
