import ArgumentParser
import PostureStore

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Summarise a day from the day log: time per activity, slouching, nudges, bouts, angles, gaps.",
        discussion: """
            With --json, prints one JSON object whose first keys are those of `replay --json`'s \
            summary line (type "summary"), followed by date, unknown_s, minutes, gap_s, gaps and \
            data_quality. Angle percentiles are of per-minute means (the log keeps no per-tick data).
            """)

    @Option(help: "The local date, YYYY-MM-DD (default: today).")
    var date: String?

    @Flag(help: "Print one JSON object instead of a readable summary.")
    var json = false

    @Option(name: .customLong("state-dir"), help: "postured's state directory (default: $STATE_DIRECTORY, else /var/lib/postured).")
    var stateDir: String?

    func run() throws {
        let day = try DayLogAccess.date(date, option: "--date")
        let log = try DayLogAccess.open(stateDir)
        let report = try DayLogAccess.read { () throws(StoreError) in try log.report(for: day, in: .system) }
        print(json ? ReportFormatter.json(report, zone: .system) : ReportFormatter.human(report, zone: .system))
    }
}
