import Foundation
import PostureCore
import PosturePicture
import PostureStore

/// Issue 11: `posturectl report --html` of a full day (1440 two-sensor minutes, a nudge every
/// half hour) must take under 0.5 s; its page under 300 kB. The baseline, in the same run, is
/// the text `report` of the same day: the same reads of the day log, without the drawing.
func runPictureBenchmark() throws {
    let directory = NSTemporaryDirectory() + "postured-picture-bench-\(getpid())"
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let zone = LocalTimeZone.utc
    let date = LocalDate(year: 2026, month: 3, day: 2)
    let midnight = zone.range(of: date).lowerBound
    let log = try DayLog.open(path: DayLog.filePath(inStateDirectory: directory), mode: .readWrite)
    var batch = StoreBatch()
    var random = SystemRandomNumberGenerator()
    for minute in 0..<1440 {
        var data = MinuteData()
        data.sittingSeconds = 60
        let tilt = -15 + Double.random(in: -6...6, using: &random)
        data.pelvicTilt = AngleRange(mean: tilt, min: tilt - 3, max: tilt + 3)
        data.lumbarFlexion = AngleRange(mean: -tilt / 2, min: -tilt / 2 - 4, max: -tilt / 2 + 4)
        data.angleSamples = 6000
        data.lumbarSamples = 6000
        data.samples = 6000
        data.expectedSamples = 6000
        batch.minutes.append(DatedMinute(startUnix: Int64(midnight) + Int64(minute) * 60, data: data))
        if minute % 30 == 29 { batch.events.append(.nudge(minute % 60 == 29 ? .slouch : .sittingTooLong, at: midnight + Double(minute) * 60)) }
    }
    try log.append(batch)
    let reader = try DayLog.open(path: DayLog.filePath(inStateDirectory: directory), mode: .readOnly)

    func seconds(_ body: () throws -> Int) rethrows -> (best: Double, bytes: Int) {
        var best = Double.infinity
        var bytes = 0
        for _ in 0..<5 {
            let start = DispatchTime.now().uptimeNanoseconds
            bytes = try body()
            best = min(best, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        }
        return (best, bytes)
    }
    let text = try seconds { ReportFormatter.human(try reader.report(for: date, in: zone), zone: zone).utf8.count }
    let page = try seconds {
        ReportPage(picture: try DayPicture.read(from: reader, date: date, zone: zone), generator: "bench").html().utf8.count
    }
    // PICTURE_PAGE=FILE keeps the page, to time a browser rendering it (BENCHMARKS: Chromium).
    if let keep = ProcessInfo.processInfo.environment["PICTURE_PAGE"] {
        try ReportPage(picture: try DayPicture.read(from: reader, date: date, zone: zone), generator: "bench").html()
            .write(toFile: keep, atomically: true, encoding: .utf8)
    }
    recordRow("report --html of a full day (issue 11)", measured: String(format: "%.3f s, %d bytes", page.best, page.bytes),
              baseline: String(format: "text report %.3f s", text.best), ratio: String(format: "%.1fx", page.best / max(text.best, 1e-9)),
              target: "< 0.5 s, < 300 kB", command: "PostureBench picture")
    print(String(format: "picture: a full day's page %.3f s (%d bytes; limits 0.5 s, 300000 bytes); the text report of the same day %.3f s; ratio %.1fx",
                 page.best, page.bytes, text.best, page.best / max(text.best, 1e-9)))
}
