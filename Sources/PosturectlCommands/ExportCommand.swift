import ArgumentParser
import PostureStore

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export the day log's minutes between two local dates (inclusive) as CSV or JSON lines.",
        discussion: """
            One row per stored minute, oldest first. CSV header: \(ExportFormatter.csvHeader). \
            Seconds are rounded to 0.01 s and angles to 0.01°; a missing value (no angle that \
            minute, no lumbar sensor) is an empty cell in CSV and null in JSON. Minutes with no \
            row were not observed (see `posturectl log` for the gaps).
            """)

    @Option(help: "First local date, YYYY-MM-DD.")
    var from: String

    @Option(help: "Last local date, YYYY-MM-DD (included).")
    var to: String

    @Flag(help: "CSV with a header line.")
    var csv = false

    @Flag(help: "JSON lines, one object per minute.")
    var json = false

    @Option(name: .customLong("state-dir"), help: "postured's state directory (default: $STATE_DIRECTORY, else /var/lib/postured).")
    var stateDir: String?

    func validate() throws {
        guard csv != json else { throw ValidationError("choose one output format: --csv or --json") }
    }

    func run() throws {
        let first = try DayLogAccess.date(from, option: "--from")
        let last = try DayLogAccess.date(to, option: "--to")
        guard first <= last else { throw ValidationError("--from \(first) is after --to \(last)") }
        let zone = LocalTimeZone.system
        let log = try DayLogAccess.open(stateDir)
        let minutes = try DayLogAccess.read { () throws(StoreError) in
            try log.minutes(from: zone.startOfDay(first), to: zone.startOfDay(last.next))
        }
        if csv { print(ExportFormatter.csvHeader) }
        for minute in minutes {
            print(csv ? ExportFormatter.csvRow(minute, zone: zone) : ExportFormatter.jsonLine(minute, zone: zone))
        }
    }
}
