import PostureCommandLine
import PostureStore

struct ExportCommand: Command {
    static let declaration = CommandDeclaration(
        "export",
        abstract: "Export the day log's minutes between two local dates (inclusive) as CSV or JSON lines.",
        discussion: """
            One row per stored minute, oldest first. CSV header: \(ExportFormatter.csvHeader). \
            Seconds are rounded to 0.01 s and angles to 0.01°; a missing value (no angle that \
            minute, no lumbar sensor) is an empty cell in CSV and null in JSON. Minutes with no \
            row were not observed (see `posturectl log` for the gaps).
            """,
        arguments: [fromOption, toOption, csvFlag, jsonFlag, DayLogAccess.stateDirectoryOption])

    static let fromOption = Argument<String>.required("from", help: "First local date, YYYY-MM-DD.")
    static let toOption = Argument<String>.required("to", help: "Last local date, YYYY-MM-DD (included).")
    static let csvFlag = Flag("csv", help: "CSV with a header line.")
    static let jsonFlag = Flag("json", help: "JSON lines, one object per minute.")

    let from: String
    let to: String
    let csv: Bool
    let json: Bool
    let stateDir: String?

    init(_ arguments: ParsedArguments) throws(UsageError) {
        from = try arguments.value(Self.fromOption)
        to = try arguments.value(Self.toOption)
        csv = arguments.isSet(Self.csvFlag)
        json = arguments.isSet(Self.jsonFlag)
        stateDir = try arguments.optionalValue(DayLogAccess.stateDirectoryOption)
    }

    func validate() throws {
        guard csv != json else { throw UsageError("choose one output format: --csv or --json") }
    }

    func run() throws {
        let first = try DayLogAccess.date(from, option: "--from")
        let last = try DayLogAccess.date(to, option: "--to")
        guard first <= last else { throw UsageError("--from \(first) is after --to \(last)") }
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
