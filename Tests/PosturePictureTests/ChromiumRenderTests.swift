import PosturePicture
import PostureStore
import XCTest

/// The page of a day as a browser renders it: headless Chromium (Debian's `chromium`, which
/// `.ci/run` installs) loads it, logs no console error, and lays the day chart out at the size
/// its view box promises. Skipped where Chromium is not installed.
final class ChromiumRenderTests: XCTestCase {
    static let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]
        .first { FileManager.default.isExecutableFile(atPath: $0) }
    /// The page's content column: `main` is at most 1000 px wide with 16 px padding each side.
    static let contentWidth = 968.0
    static let windowWidth = 1024

    /// What the measuring script (added to a copy of the page, not to the page) writes into the
    /// DOM once the page has loaded: the day chart's laid-out size.
    static let measuring = """
        <script>addEventListener('load',()=>{const r=document.querySelector('#day svg').getBoundingClientRect();\
        document.body.setAttribute('data-chart-size',r.width.toFixed(1)+'x'+r.height.toFixed(1));});</script>
        """

    struct Rendered {
        var dom: String
        var log: String
        var seconds: Double
    }

    func render(_ html: String, in directory: String, name: String) throws -> Rendered {
        let chromium = try XCTUnwrap(Self.chromium)
        let path = directory + "/" + name
        try html.write(toFile: path, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: chromium)
        process.arguments = [
            "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
            "--user-data-dir=\(directory)/profile", "--enable-logging=stderr", "--v=0",
            "--window-size=\(Self.windowWidth),2000", "--virtual-time-budget=3000", "--dump-dom", "file://\(path)",
        ]
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        let started = Date()
        try process.run()
        // Read both pipes while it runs, so a full pipe never blocks it. `errorData` is written
        // only by the reader thread and read only after it has finished: no concurrent access.
        nonisolated(unsafe) var errorData = Data()
        let reader = Thread { errorData = err.fileHandleForReading.readDataToEndOfFile() }
        reader.start()
        let dom = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        while !reader.isFinished { usleep(1000) }
        return Rendered(
            dom: String(decoding: dom, as: UTF8.self), log: String(decoding: errorData, as: UTF8.self),
            seconds: Date().timeIntervalSince(started))
    }

    /// Console messages Chromium logs for the page (`CONSOLE` lines, uncaught errors).
    func consoleErrors(_ log: String) -> [Substring] {
        log.split(separator: "\n").filter { $0.contains("CONSOLE") || $0.contains("Uncaught") }
    }

    func testTheDaysPageRendersInChromiumWithoutConsoleErrorsAtTheChartsSize() throws {
        guard Self.chromium != nil else {
            throw XCTSkip("Chromium is not installed (apt-get install chromium); .ci/run installs it")
        }
        let day = try PictureDay()
        let log = try DayLog.open(path: day.dayLogPath, mode: .readOnly)
        let picture = try DayPicture.read(from: log, date: PictureDay.date, zone: PictureDay.zone)
        let html = ReportPage(picture: picture, generator: "test").html()
        let measured = html.replacingOccurrences(of: "</body>", with: Self.measuring + "</body>")

        // The detector is live: a page with a script error is caught.
        let broken = try render(measured.replacingOccurrences(of: "</body>", with: "<script>notAFunction();</script></body>"), in: day.directory, name: "broken.html")
        XCTAssertFalse(consoleErrors(broken.log).isEmpty, "a broken page's error must show in Chromium's log:\n\(broken.log)")

        let rendered = try render(measured, in: day.directory, name: "page.html")
        XCTAssertEqual(consoleErrors(rendered.log), [], rendered.log)
        let svg = try XMLElements.parse(picture.chart.svg()).first { $0.name == "svg" }
        let viewBox = try XCTUnwrap(svg?.attributes["viewBox"]).split(separator: " ").compactMap { Double($0) }
        let size = try XCTUnwrap(rendered.dom.firstMatch(of: /data-chart-size="([0-9.]+)x([0-9.]+)"/), "no size in:\n\(rendered.dom.prefix(400))")
        let width = try XCTUnwrap(Double(size.1)), height = try XCTUnwrap(Double(size.2))
        XCTAssertEqual(width, Self.contentWidth, accuracy: 1, "the chart fills the content column")
        XCTAssertEqual(height, Self.contentWidth * viewBox[3] / viewBox[2], accuracy: 1.5, "the chart keeps its aspect")
        print("picture: Chromium rendered the day's page (\(html.utf8.count) bytes) in \(String(format: "%.2f", rendered.seconds)) s with the browser's start; chart \(width)x\(height) px")

        // The standalone SVG is well-formed for the browser too (an XML error shows as parsererror).
        let standalone = try render(picture.chart.svg(), in: day.directory, name: "chart.svg")
        XCTAssertFalse(standalone.dom.contains("parsererror"), standalone.dom.prefix(600).description)
        XCTAssertEqual(consoleErrors(standalone.log), [], standalone.log)
    }
}
