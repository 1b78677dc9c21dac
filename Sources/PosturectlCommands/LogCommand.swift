import PostureCommandLine
import PostureStore

struct LogCommand: Command {
    static let declaration = CommandDeclaration(
        "log",
        abstract: "Show a day's posture log: activity changes, slouches, sitting bouts, nudges, gaps.",
        discussion: """
            Reads the day log (daylog.sqlite3 in the state directory) directly, read-only: it works \
            while postured runs and when it is stopped. Times are local. With --json, prints one \
            JSON object per event: {"time","time_unix","kind","detail"}.
            """,
        arguments: [DayLogAccess.dateOption, jsonFlag, DayLogAccess.stateDirectoryOption])
    static let jsonFlag = Flag("json", help: "Print JSON lines instead of readable lines.")

    let date: String?
    let json: Bool
    let stateDir: String?

    init(_ arguments: ParsedArguments) throws(UsageError) {
        date = try arguments.optionalValue(DayLogAccess.dateOption)
        json = arguments.isSet(Self.jsonFlag)
        stateDir = try arguments.optionalValue(DayLogAccess.stateDirectoryOption)
    }



    func run() throws {
        let day = try DayLogAccess.date(date, option: "--date")
        let log = try DayLogAccess.open(stateDir)
        let range = LocalTimeZone.system.range(of: day)
        let events = try DayLogAccess.read { () throws(StoreError) in try log.events(from: range.lowerBound, to: range.upperBound) }
        let text = LogFormatter.format(events, date: day, zone: .system, json: json)
        if !text.isEmpty { print(text) }
    }
}

/// What `log`, `report` and `export` share: finding, opening and reading the day log.
enum DayLogAccess {
    static let dateOption = Argument<String>.option("date", help: "The local date, YYYY-MM-DD (default: today).")
    static let stateDirectoryOption = Argument<String>.option(
        "state-dir", help: "postured's state directory (default: $STATE_DIRECTORY, else /var/lib/postured).", completion: .directory)

    /// `text` as a local date, or today's date when nil.
    static func date(_ text: String?, option: String) throws -> LocalDate {
        guard let text else { return LocalTimeZone.system.components(LocalTimeZone.now()).date }
        guard let date = LocalDate(parsing: text) else {
            throw UsageError("\(option) '\(text)': expected a date as YYYY-MM-DD")
        }
        return date
    }

    static func open(_ stateDir: String?) throws -> DayLog {
        try read { () throws(StoreError) in try DayLog.open(stateDirectory: StateDirectory.resolve(flag: stateDir), mode: .readOnly) }
    }

    /// Runs a store call, turning its error into `posturectl: error: <file>: <what>. <what to do>`.
    static func read<T>(_ body: () throws(StoreError) -> T) throws -> T {
        do { return try body() } catch { throw CommandFailure(error.description) }
    }
}
