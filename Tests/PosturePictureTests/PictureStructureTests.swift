import PostureCore
import PosturePicture
import PostureStore
import XCTest

/// The day chart and the page agree with the day log they were drawn from: lanes, curves and
/// markers are counted and placed here from the log's own rows, with the chart's declared axis,
/// not with the drawing code.
final class PictureStructureTests: XCTestCase {
    struct Axis {
        var start, end, left, width: Double
        func x(_ t: Double) -> Double { left + (t - start) / (end - start) * width }
    }

    func picture(_ day: PictureDay) throws -> DayPicture {
        let log = try DayLog.open(path: day.dayLogPath, mode: .readOnly)
        return try DayPicture.read(from: log, date: PictureDay.date, zone: PictureDay.zone)
    }

    func axis(_ svg: [XMLElements.Element]) throws -> Axis {
        let root = try XCTUnwrap(svg.first { $0.name == "svg" })
        return Axis(
            start: try XCTUnwrap(root.number("data-axis-start")), end: try XCTUnwrap(root.number("data-axis-end")),
            left: try XCTUnwrap(root.number("data-plot-left")), width: try XCTUnwrap(root.number("data-plot-width")))
    }

    /// Runs of consecutive minutes by their longest activity, from the rows as stored.
    func expectedRuns(_ minutes: [DatedMinute]) -> [(activity: Activity, start: Double, end: Double)] {
        var runs: [(activity: Activity, start: Double, end: Double)] = []
        for minute in minutes.sorted(by: { $0.startUnix < $1.startUnix }) {
            let seconds = Activity.allCases.map { (activity: $0, seconds: minute.data.seconds(in: $0)) }
            guard let top = seconds.max(by: { $0.seconds < $1.seconds }), top.seconds > 0 else { continue }
            let start = Double(minute.startUnix)
            if let last = runs.last, last.activity == top.activity, last.end == start {
                runs[runs.count - 1].end = start + 60
            } else {
                runs.append((top.activity, start, start + 60))
            }
        }
        return runs
    }

    func testTheLanesCurvesAndMarkersMatchTheDayLog() throws {
        let day = try PictureDay()
        let log = try DayLog.open(path: day.dayLogPath, mode: .readOnly)
        let range = PictureDay.zone.range(of: PictureDay.date)
        let minutes = try log.minutes(from: range.lowerBound, to: range.upperBound)
        let events = try log.events(from: range.lowerBound, to: range.upperBound)
        let svgText = try picture(day).chart.svg()
        let svg = try XMLElements.parse(svgText)
        let axis = try axis(svg)
        XCTAssertEqual(axis.start, PictureDay.nine, "the axis starts at the whole hour of the first minute")
        XCTAssertEqual(axis.end, PictureDay.nine + 2 * 3600, "… and ends at the whole hour after the last")

        // Lanes: one bar per run, where the run is.
        let runs = expectedRuns(minutes)
        let bars = svg.with(class: "pc-run")
        XCTAssertEqual(bars.count, runs.count, "one bar per run of minutes")
        for activity in Activity.allCases {
            let expected = runs.filter { $0.activity == activity }
            let drawn = bars.with(class: "pc-\(activity.rawValue)")
            XCTAssertEqual(drawn.count, expected.count, "\(activity) bars")
            for (bar, run) in zip(drawn, expected) {
                XCTAssertEqual(try XCTUnwrap(bar.number("x")), axis.x(run.start), accuracy: 0.06, "\(activity) bar at \(run.start)")
                XCTAssertEqual(try XCTUnwrap(bar.number("width")), axis.x(run.end) - axis.x(run.start), accuracy: 0.11)
            }
        }
        let gaps = svg.with(class: "pc-gap")
        XCTAssertEqual(gaps.count, 1)
        XCTAssertEqual(gaps.first?.attributes["data-reason"], "daemon_down")
        XCTAssertEqual(try XCTUnwrap(gaps.first?.number("x")), axis.x(PictureDay.nine + 3600), accuracy: 0.06)

        // Curves: one line per run of consecutive minutes with an angle, a point per minute.
        for (name, count) in [("pc-pelvic_tilt", minutes.filter { $0.data.pelvicTilt != nil }.count),
                              ("pc-lumbar_flexion", minutes.filter { $0.data.lumbarFlexion != nil }.count)] {
            let lines = svg.filter { $0.name == "polyline" && $0.classes.contains(name) }
            XCTAssertEqual(lines.count, 2, "\(name): broken at the gap")
            let points = lines.map { ($0.attributes["points"] ?? "").split(separator: " ").count }
            XCTAssertEqual(points.reduce(0, +), count, "\(name): a point per minute")
            let firstX = try XCTUnwrap(lines.first?.attributes["points"]?.split(separator: ",").first.flatMap { Double($0) })
            XCTAssertEqual(firstX, axis.x(PictureDay.nine + 30), accuracy: 0.06, "\(name): the first point is the first minute's middle")
        }

        // Markers: a nudge each, at its time, with its reason.
        let nudgeEvents = events.filter { $0.kind == .nudge }
        let markers = svg.with(class: "pc-nudge")
        XCTAssertEqual(markers.count, nudgeEvents.count)
        for (marker, event) in zip(markers, nudgeEvents) {
            XCTAssertEqual(marker.attributes["data-reason"], event.string("reason"))
            XCTAssertEqual(try XCTUnwrap(marker.number("data-x")), axis.x(event.time), accuracy: 0.06)
            XCTAssertFalse(marker.text.isEmpty, "a nudge marker has a letter and a title, not colour alone")
        }
        // The 40 min bout (09:00–09:40) is over the 30 min break limit.
        let bouts = svg.with(class: "pc-long-bout")
        XCTAssertEqual(bouts.count, 1)
        XCTAssertEqual(try XCTUnwrap(bouts.first?.number("data-start")), PictureDay.nine)
        XCTAssertEqual(try XCTUnwrap(bouts.first?.number("data-end")), PictureDay.nine + 2400)
        // Quiet hours from the stored configuration, the snooze cut short by the resume.
        let quiet = svg.with(class: "pc-quiet")
        XCTAssertEqual(quiet.map { $0.number("data-start") }, [PictureDay.nine + 100 * 60])
        XCTAssertEqual(quiet.map { $0.number("data-end") }, [PictureDay.nine + 105 * 60])
        let snoozes = svg.with(class: "pc-snooze")
        XCTAssertEqual(snoozes.map { $0.number("data-start") }, [PictureDay.nine + 80 * 60])
        XCTAssertEqual(snoozes.map { $0.number("data-end") }, [PictureDay.nine + 85 * 60])

        // The reference and threshold lines are the calibration's and the configuration's.
        let calibration = try XCTUnwrap(try log.latestCalibration())
        let policy = PolicyConfiguration.standard
        let tiltPanel = svg.firstIndex { $0.attributes["data-angle"] == "pelvic_tilt" }
        XCTAssertNotNil(tiltPanel)
        let references = svg.with(class: "pc-reference").compactMap { $0.number("data-degrees") }
        XCTAssertEqual(references.count, 2)
        XCTAssertEqual(references[0], calibration.sittingPelvicTilt, accuracy: 0.006)
        XCTAssertEqual(references[1], try XCTUnwrap(calibration.sittingLumbarFlexion), accuracy: 0.006)
        let thresholds = svg.with(class: "pc-threshold").compactMap { $0.number("data-degrees") }
        XCTAssertEqual(thresholds[0], calibration.sittingPelvicTilt - policy.slouchPelvicTiltThreshold, accuracy: 0.006)
        XCTAssertEqual(thresholds[1], try XCTUnwrap(calibration.sittingLumbarFlexion) + policy.slouchLumbarFlexionThreshold, accuracy: 0.006)

        // Accessible: a title and a description, and every mark titled.
        XCTAssertFalse(try XCTUnwrap(svg.first { $0.name == "title" }).text.isEmpty)
        XCTAssertFalse(try XCTUnwrap(svg.first { $0.name == "desc" }).text.isEmpty)
        for mark in bars + gaps + bouts + quiet + snoozes {
            XCTAssertFalse(mark.text.isEmpty, "\(mark.attributes["class"] ?? "") at \(mark.attributes["x"] ?? "") has no title")
        }
    }

    func testThePageHasTheCardsOfTheDayLogAndIsOneWellFormedFile() throws {
        let day = try PictureDay()
        let html = ReportPage(picture: try picture(day), generator: "posturectl test").html()
        let page = try XMLElements.parse(html)
        func card(_ id: String) throws -> String {
            try XCTUnwrap(page.first { $0.attributes["id"] == "card-\(id)" }?.text, "card \(id)")
        }
        // 40+15+20+25 sitting minutes and 20 s of minute 100, minus the standing minutes.
        let sittingMinutes = PictureDay.minuteIndices.filter { PictureDay.activity($0) == .sitting }.count
        let sittingSeconds = Double(sittingMinutes) * 60 + 20
        let sitting = try card("sitting")
        XCTAssertTrue(sitting.contains(DurationText.describe(sittingSeconds)), sitting)
        // Slouch nudge at 09:20 corrected when its episode ended at 09:20:40; the one at 10:50
        // is not corrected by the end of the data; the get-up nudge at 09:30 when the bout
        // ended at 09:40.
        let nudges = try card("nudges")
        XCTAssertTrue(nudges.contains("2 slouch, corrected in \(DurationText.describe(40)) (median), 1 not corrected"), nudges)
        XCTAssertTrue(nudges.contains("1 get up (sitting too long), corrected in \(DurationText.describe(600)) (median)"), nudges)
        let bout = try card("bout")
        XCTAssertTrue(bout.contains("1 bout of \(DurationText.describe(1800)) or more"), bout)
        let rows = page.filter { $0.name == "tr" && $0.attributes["data-time"] != nil }
        XCTAssertEqual(rows.map { $0.number("data-time") }, [PictureDay.nine + 20 * 60, PictureDay.nine + 30 * 60, PictureDay.nine + 110 * 60], "a row per nudge")
        XCTAssertTrue(rows.last?.text.contains("not corrected") ?? false)
        // No external asset: nothing is fetched, nothing runs.
        for element in page {
            XCTAssertNil(element.attributes["src"], "\(element.name) loads something")
            XCTAssertNotEqual(element.name, "script")
            XCTAssertFalse((element.attributes["href"] ?? "").contains("//"), "\(element.name) links out")
        }
        XCTAssertEqual(page.filter { $0.name == "svg" }.count, 2, "the day chart and the week, inline")
        XCTAssertTrue(html.contains("prefers-color-scheme:dark"), "a dark palette")
        XCTAssertTrue(html.contains("name=\"viewport\""), "laid out for a phone")
        let settings = try XCTUnwrap(page.first { $0.attributes["id"] == "settings" }?.text)
        XCTAssertTrue(settings.contains("10:40-10:45"), "the quiet hours in force: \(settings)")
    }

    func testAFadingFeedbackDayTellsItsLevelAndGentleCuesOnTheNudgesCard() throws {
        let day = try PictureDay()
        let constant = try XCTUnwrap(
            try XMLElements.parse(ReportPage(picture: try picture(day), generator: "test").html())
                .first { $0.attributes["id"] == "card-nudges" }?.text)
        XCTAssertFalse(constant.contains("feedback"), "constant mode says nothing of fading: \(constant)")

        let plan = FeedbackPlan(level: FeedbackLevel(1), previousLevel: FeedbackLevel(0), basis: .steppedUp, rate: 0.9, nudges: 10, days: 3)
        let log = try DayLog.open(path: day.dayLogPath, mode: .readWrite)
        try log.append(StoreBatch(minutes: [], events: [
            FeedbackRecord(date: PictureDay.date, plan: plan, settings: FeedbackSettings(mode: .fading)).event(at: PictureDay.nine + 5),
            .nudge(.slouch, intensity: .gentle, at: PictureDay.nine + 115 * 60),
        ]))
        let nudges = try XCTUnwrap(
            try XMLElements.parse(ReportPage(picture: try picture(day), generator: "test").html())
                .first { $0.attributes["id"] == "card-nudges" }?.text)
        XCTAssertTrue(nudges.contains("1 gentle cue; fading feedback \(plan)"), nudges)
    }

    func testADayWithOneSensorHasNoLumbarCurveAndSaysSo() throws {
        let day = try PictureDay(twoSensors: false)
        let picture = try picture(day)
        let svg = try XMLElements.parse(picture.chart.svg())
        XCTAssertTrue(svg.filter { $0.name == "polyline" && $0.classes.contains("pc-lumbar_flexion") }.isEmpty)
        XCTAssertTrue(svg.contains { $0.classes.contains("pc-empty") && $0.text.contains("not measured") })
        let html = ReportPage(picture: picture, generator: "test").html()
        XCTAssertTrue(html.contains("Lumbar flexion was not measured on this day"))
    }

    func testAnEmptyDayIsAClearlyMarkedEmptyChartAndUndatedMinutesAreNamed() throws {
        let day = try PictureDay(minutes: [])
        let log = try DayLog.open(path: day.dayLogPath, mode: .readWrite)
        var batch = StoreBatch()
        batch.bootID = "boot-without-a-clock"
        batch.undated.minutes = [MinuteRecord(start: 10, end: 70, data: MinuteData())]
        try log.append(batch)
        let other = LocalDate(year: 2026, month: 3, day: 5)
        let picture = try DayPicture.read(from: try DayLog.open(path: day.dayLogPath, mode: .readOnly), date: other, zone: PictureDay.zone)
        let svg = try XMLElements.parse(picture.chart.svg())
        XCTAssertTrue(svg.contains { $0.classes.contains("pc-empty") && $0.text == "No data recorded on 2026-03-05" })
        XCTAssertTrue(svg.with(class: "pc-run").isEmpty)
        let html = ReportPage(picture: picture, generator: "test").html()
        _ = try XMLElements.parse(html)
        XCTAssertTrue(html.contains("Nothing was recorded on 2026-03-05."))
        XCTAssertTrue(html.contains("1 minutes were recorded while the clock was not yet set"), "the undated minute is named")
    }

    func testTheWeekMarksMissingDaysAndAgreesWithEachDaysReport() throws {
        let day = try PictureDay()
        let log = try DayLog.open(path: day.dayLogPath, mode: .readOnly)
        let later = LocalDate(year: 2026, month: 3, day: 4)
        let picture = try DayPicture.read(from: log, date: later, zone: PictureDay.zone)
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(picture.week.json().utf8)) as? [String: Any])
        let days = try XCTUnwrap(json["days"] as? [[String: Any]])
        XCTAssertEqual(days.map { $0["date"] as? String }, ["2026-02-26", "2026-02-27", "2026-02-28", "2026-03-01", "2026-03-02", "2026-03-03", "2026-03-04"])
        XCTAssertEqual(days.map { $0["has_data"] as? Bool }, [false, false, false, false, true, false, false])
        let report = try log.report(for: PictureDay.date, in: PictureDay.zone)
        XCTAssertEqual(days[4]["sitting_s"] as? Double, report.summary.sittingSeconds)
        XCTAssertEqual(days[4]["nudges_total"] as? Int, 3)
        let share = (report.summary.sittingSeconds - report.summary.slouchSeconds) / report.summary.sittingSeconds
        XCTAssertEqual(try XCTUnwrap(days[4]["upright_share"] as? Double), share, accuracy: 0.0001)
        XCTAssertTrue(days[0]["upright_share"] is NSNull, "a day without data has no share, not 0")
        let text = picture.week.text()
        XCTAssertEqual(text.split(separator: "\n").filter { $0.contains("no data") }.count, 6, text)
        let svg = try XMLElements.parse(picture.weekChartSVG)
        XCTAssertEqual(svg.with(class: "pc-no-data").count, 6 * 3, "each row marks the six days without data")
    }

    func testAFullDayPageIsUnder300kB() throws {
        let day = try PictureDay(minutes: Array(0..<(24 * 60 - 9 * 60)))
        // And the minutes before 09:00, so the day is 24 hours long.
        let log = try DayLog.open(path: day.dayLogPath, mode: .readWrite)
        var batch = StoreBatch()
        for i in 1...(9 * 60) {
            var data = MinuteData()
            data.sittingSeconds = 60
            data.pelvicTilt = AngleRange(mean: -12.345 - Double(i % 7), min: -20.123, max: -3.456)
            data.lumbarFlexion = AngleRange(mean: 9.876 + Double(i % 5), min: 1.234, max: 20.987)
            data.angleSamples = 6000
            data.lumbarSamples = 6000
            batch.minutes.append(DatedMinute(startUnix: Int64(PictureDay.nine) - Int64(i) * 60, data: data))
        }
        try log.append(batch)
        let html = ReportPage(picture: try picture(day), generator: "test").html()
        print("picture: a full day's page is \(html.utf8.count) bytes (limit 300000)")
        XCTAssertLessThan(html.utf8.count, 300_000)
    }
}
