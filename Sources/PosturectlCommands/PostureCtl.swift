import PostureCommandLine
import PostureControl

#if canImport(Glibc)
import Glibc
#endif

/// `posturectl`: the wearer's tool. Talks to the daemon over its control socket, reads the
/// day log, and replays, simulates and records recordings. Run by `Sources/posturectl`, and
/// by `postured` when it is called as `posturectl` (the installed link).
enum PostureCtl {
    /// In the order `--help` and the manual list them.
    static let commands: [any Command.Type] = [
        ReplayCommand.self, FuseCommand.self, SimulateCommand.self, DemoCommand.self, ProbeCommand.self,
        StatusCommand.self, WatchCommand.self, CalibrateCommand.self, SnoozeCommand.self, ResumeCommand.self,
        TestNudgeCommand.self, ReloadCommand.self, RecordCommand.self,
        LogCommand.self, ReportCommand.self, ExportCommand.self,
    ]

    static let program = ProgramDeclaration(
        name: "posturectl", abstract: "Read, replay and simulate posture recordings for postured.",
        version: "posturectl \(PosturedVersion.string)", commands: commands.map { $0.declaration })

    /// man/posturectl.1 (`posturectl --generate-manual`).
    static var manualPage: String {
        program.manualPage(
            section: 1,
            exitStatus: "0 on success; 64 for a command line that does not parse; 1 for any other failure, "
                + "with the reason on standard error (under --json, a JSON object on standard output).",
            files: [
                ("/etc/postured/postured.toml", "the configuration"),
                ("/var/lib/postured/", "the day log"),
                ("/run/postured/control.sock", "the daemon's control socket"),
            ],
            seeAlso: ".BR postured (8)")
    }

    /// Runs the command line `arguments` (without the program name); returns the exit status.
    static func run(_ arguments: [String]) -> Int32 {
        let json = CommandErrorReport.wantsJSON(arguments)
        let request: CommandLineRequest
        do {
            request = try program.request(arguments)
        } catch {
            return usageFailure(error.error, of: error.command, json: json)
        }
        switch request {
        case .help(let command): print(program.help(command), terminator: "")
        case .version: print(program.version)
        case .completionScript(let shell): print(program.completionScript(shell), terminator: "")
        case .manualPage: print(manualPage, terminator: "")
        case .run(let arguments):
            guard let type = commands.first(where: { $0.declaration.name == arguments.command.name }) else {
                return failure(CommandFailure("no command '\(arguments.command.name)'"), json: json)
            }
            do {
                let command = try type.init(arguments)
                try command.validate()
                try command.run()
            } catch let error as UsageError {
                return usageFailure(error, of: arguments.command, json: json)
            } catch {
                return failure(error, json: json)
            }
        }
        return ExitStatus.success
    }

    /// "Error: …", the usage and where to read more, on standard error; exit 64.
    private static func usageFailure(_ error: UsageError, of command: CommandDeclaration?, json: Bool) -> Int32 {
        if json {
            print(CommandErrorReport.jsonLine(code: "usage", message: error.description, exitStatus: ExitStatus.usage))
        } else {
            let usage = command.map(program.usage) ?? "\(program.name) <subcommand>"
            let helpCommand = [program.name] + (command.map { [$0.name] } ?? []) + ["--help"]
            let help = error.argument.map { "\nHelp:  \($0.spelling)  \($0.help)" } ?? ""
            printError("Error: \(error)\(help)\nUsage: \(usage)\n  See '\(helpCommand.joined(separator: " "))' for more information.")
        }
        return ExitStatus.usage
    }

    /// "Error: …" on standard error, or under `--json` the JSON line on standard output; exit 1.
    private static func failure(_ error: any Error, json: Bool) -> Int32 {
        let failure = error as? CommandFailure
        if json, failure?.reportedAsJSON != true {
            print(CommandErrorReport.jsonLine(code: failure?.code ?? "failed", message: "\(error)", exitStatus: ExitStatus.failure))
        } else {
            printError("Error: \(error)")
        }
        return ExitStatus.failure
    }
}

/// The program, as its two mains start it (`Sources/posturectl`, and `postured` run by the
/// name of its installed link).
public enum Posturectl {
    /// The name by which `postured` runs posturectl instead.
    public static let programName = "posturectl"

    /// Parses `CommandLine.arguments`, runs the command and exits with its status.
    public static func main() -> Never {
        let status = PostureCtl.run(Array(CommandLine.arguments.dropFirst()))
        flushStandardOutput()
        exit(status)
    }
}
