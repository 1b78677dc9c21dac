import PostureCommandLine
import PostureControl
import PostureCore
import PosturePicture
import PostureStore

struct ReportCommand: Command {
    static let declaration = CommandDeclaration(
        "report",
        abstract: "Summarise a day from the day log: time per activity, slouching, nudges, bouts, angles, gaps.",
        discussion: """
            With --json, prints one JSON object whose first keys are those of `replay --json`'s \
            summary line (type "summary"), followed by date, unknown_s, minutes, gap_s, gaps and \
            data_quality. Angle percentiles are of per-minute means (the log keeps no per-tick data). \
            --week summarises the seven days ending on the date instead (with --json: one object of \
            type "week"). --html writes the day as one self-contained page (cards, the day chart, the \
            last seven days, the calibration and thresholds in force); --svg writes the day chart alone; \
            each then prints a line naming the file (with --json: {"type":"written",...}). Neither ever \
            writes over the day log.
            """,
        arguments: [DayLogAccess.dateOption, jsonFlag, weekFlag, htmlOption, svgOption, DayLogAccess.stateDirectoryOption])

    static let jsonFlag = Flag("json", help: "Print one JSON object instead of a readable summary.")
    static let weekFlag = Flag(
        "week", help: "The seven days ending on the date: sitting, upright share, nudges and longest bout per day.")
    static let htmlOption = Argument<String>.option(
        "html", valueName: "file", help: "Write the day's page, self-contained HTML, to this file.", completion: .file)
    static let svgOption = Argument<String>.option(
        "svg", valueName: "file", help: "Write the day chart alone, SVG, to this file.", completion: .file)

    let date: String?
    let json: Bool
    let week: Bool
    let html: String?
    let svg: String?
    let stateDir: String?

    init(_ arguments: ParsedArguments) throws(UsageError) {
        date = try arguments.optionalValue(DayLogAccess.dateOption)
        json = arguments.isSet(Self.jsonFlag)
        week = arguments.isSet(Self.weekFlag)
        html = try arguments.optionalValue(Self.htmlOption)
        svg = try arguments.optionalValue(Self.svgOption)
        stateDir = try arguments.optionalValue(DayLogAccess.stateDirectoryOption)
    }

    func validate() throws {
        if week, html != nil || svg != nil {
            throw UsageError("--week prints the week; the page of --html already shows it (use one or the other)")
        }
        if let html, let svg, html == svg { throw UsageError("--html and --svg name the same file '\(html)'") }
    }

    func run() throws {
        let day = try DayLogAccess.date(date, option: "--date")
        let directory = StateDirectory.resolve(flag: stateDir)
        let log = try DayLogAccess.open(stateDir)
        if html != nil || svg != nil {
            let picture = try DayLogAccess.read { () throws(StoreError) in try DayPicture.read(from: log, date: day, zone: .system) }
            let dayLog = DayLog.filePath(inStateDirectory: directory)
            var written: [(what: String, path: String, bytes: Int)] = []
            if let svg {
                let chart = picture.chart.svg()
                try OutputFile.replace(svg, with: chart, option: "--svg", protecting: dayLog)
                written.append(("chart", svg, chart.utf8.count))
            }
            if let html {
                let page = ReportPage(picture: picture, generator: "posturectl \(PosturedVersion.string)").html()
                try OutputFile.replace(html, with: page, option: "--html", protecting: dayLog)
                written.append(("page", html, page.utf8.count))
            }
            for file in written {
                print(json
                    ? "{\"type\":\"written\",\"what\":\"\(file.what)\",\"date\":\"\(day)\",\"path\":\(JSONText.quoted(file.path)),\"bytes\":\(file.bytes)}"
                    : "Wrote the \(file.what) of \(day) to \(file.path) (\(file.bytes) bytes).")
            }
            return
        }
        if week {
            let days = try DayLogAccess.read { () throws(StoreError) in
                try WeekSummary.dates(endingOn: day, zone: .system).map { date throws(StoreError) in
                    DayTotals(try log.report(for: date, in: .system))
                }
            }
            let summary = WeekSummary(days: days)
            print(json ? summary.json() : summary.text())
            return
        }
        let report = try DayLogAccess.read { () throws(StoreError) in try log.report(for: day, in: .system) }
        print(json ? ReportFormatter.json(report, zone: .system) : ReportFormatter.human(report, zone: .system))
    }
}
