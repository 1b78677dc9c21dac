import ArgumentParser

/// `posturectl`: the wearer's tool. Replays and simulates recordings today; talks to
/// the daemon over its control socket once the daemon exists.
@main
struct PostureCtl: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "posturectl",
        abstract: "Read, replay and simulate posture recordings for postured.",
        subcommands: [
            ReplayCommand.self, FuseCommand.self, SimulateCommand.self, DemoCommand.self, ProbeCommand.self,
            StatusCommand.self, WatchCommand.self, CalibrateCommand.self, SnoozeCommand.self, ResumeCommand.self,
            TestNudgeCommand.self, ReloadCommand.self, RecordCommand.self,
            LogCommand.self, ReportCommand.self, ExportCommand.self,
        ])
}
