import ArgumentParser
import PostureControl
import PostureCore
import PosturePicture
import PostureStore

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
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
            """)

    @Option(help: "The local date, YYYY-MM-DD (default: today).")
    var date: String?

    @Flag(help: "Print one JSON object instead of a readable summary.")
    var json = false

    @Flag(help: "The seven days ending on the date: sitting, upright share, nudges and longest bout per day.")
    var week = false

    @Option(help: ArgumentHelp("Write the day's page, self-contained HTML, to this file.", valueName: "file"))
    var html: String?

    @Option(help: ArgumentHelp("Write the day chart alone, SVG, to this file.", valueName: "file"))
    var svg: String?

    @Option(name: .customLong("state-dir"), help: "postured's state directory (default: $STATE_DIRECTORY, else /var/lib/postured).")
    var stateDir: String?

    func validate() throws {
        if week, html != nil || svg != nil {
            throw ValidationError("--week prints the week; the page of --html already shows it (use one or the other)")
        }
        if let html, let svg, html == svg { throw ValidationError("--html and --svg name the same file '\(html)'") }
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
