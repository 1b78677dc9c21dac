import Foundation
import PostureControl
import PostureCore
import PostureSim
@testable import PostureStore
import XCTest

#if canImport(Glibc)
import Glibc
#endif

/// Seven simulated days (the `week` scenario) through the real daemon at high speed, watched
/// from outside as an administrator would: resident memory and open file descriptors from
/// /proc, the loop's overruns, dropped reports and longest supervisor stall from `status`, and
/// how fast simulated time goes by on the first day and on the last (a loop slowing down, or
/// a store that gets slower as the log grows, shows there). At the end, each local day of the
/// log is compared with the scenario's own truth: its minutes, its sitting time, its nudges.
///
/// A long run (a release build keeps up with speed 3000: about 4 minutes), so it runs only when
/// asked: `scripts/soak`, or `POSTURED_SOAK=1 swift test -c release --filter SoakTests`.
final class SoakTests: XCTestCase {
    /// Simulated seconds per second; `POSTURED_SOAK_SPEED` to change.
    private let speed = ProcessInfo.processInfo.environment["POSTURED_SOAK_SPEED"].flatMap(Double.init) ?? 3000
    /// How often the daemon is looked at, wall seconds.
    private let sampleEvery = 2.0

    func testSevenSimulatedDaysKeepMemoryDescriptorsAndTimingFlatAndEveryDayRight() throws {
        guard ProcessInfo.processInfo.environment["POSTURED_SOAK"] == "1" else {
            throw XCTSkip("the 7-day soak is a long run: scripts/soak (or POSTURED_SOAK=1 swift test -c release --filter SoakTests)")
        }
        let scenario = try XCTUnwrap(Scenario.named("week", seed: 1))
        let harness = try DaemonHarness()
        try harness.start(["--config", DaemonHarness.shippedConfig, "--simulate", "week", "--speed", "\(Int(speed))"])
        XCTAssertNotNil(harness.notify.waitFor("READY=1", timeout: 30), harness.log)
        let pid = try XCTUnwrap(harness.pid)

        var samples: [Sample] = []
        let started = Date()
        var lookFailure = "none"  // a look can fail near the end (the daemon exiting); all failing is a defect
        while harness.waitForExit(timeout: sampleEvery) == nil {
            do { samples.append(try Sample(pid: pid, harness: harness, since: started)) } catch { lookFailure = "\(error)" }
            if Date().timeIntervalSince(started) > scenario.duration / speed * 4 + 600 {
                harness.signal(SIGTERM)
                XCTFail("the week did not end within four times its time at speed \(speed)")
                break
            }
        }
        XCTAssertEqual(harness.waitForExit(timeout: 30), 0, String(harness.log.suffix(3000)))
        let wall = Date().timeIntervalSince(started)

        // Flat: the second simulated day against the last (the first holds the start-up).
        let early = samples.filter { ($0.scenarioTime ?? 0) >= 86_400 && ($0.scenarioTime ?? 0) < 2 * 86_400 }
        let late = samples.filter { ($0.scenarioTime ?? 0) >= 6 * 86_400 }
        XCTAssertFalse(early.isEmpty || late.isEmpty, "too few looks at the daemon: \(samples.count); last failed look: \(lookFailure)")
        guard let firstEarly = early.first, let lastEarly = early.last, let firstLate = late.first, let lastLate = late.last else { return }
        let rssEarly = early.map(\.residentKiB).max() ?? 0, rssLate = late.map(\.residentKiB).max() ?? 0
        let fdsEarly = early.map(\.openDescriptors).max() ?? 0, fdsLate = late.map(\.openDescriptors).max() ?? 0
        let paceEarly = pace(firstEarly, lastEarly), paceLate = pace(firstLate, lastLate)
        let last = samples.last!
        // 1 MiB over five days is what a leak of 2 bytes a simulated second would show.
        XCTAssertLessThanOrEqual(rssLate - rssEarly, 1024, "resident memory grew: \(rssEarly) KiB on day 2, \(rssLate) KiB on day 7")
        XCTAssertEqual(fdsLate, fdsEarly, "open file descriptors: \(fdsEarly) on day 2, \(fdsLate) on day 7")
        XCTAssertGreaterThanOrEqual(paceLate, paceEarly * 0.8, "simulated time slowed from \(paceEarly)x to \(paceLate)x")
        XCTAssertEqual(last.overruns, 0, "overruns")
        XCTAssertEqual(last.droppedEvents ?? 0, 0, "dropped events")

        // Every local day against the scenario's truth.
        let log = try DayLog.open(path: harness.dayLogPath, mode: .readOnly)
        let minutes = try log.minutes(from: 0, to: 1e12)
        let nudges = try log.events(from: 0, to: 1e12).filter { $0.kind == .nudge }
        let gaps = try log.gaps(from: 0, to: 1e12)
        let origin = Double(try XCTUnwrap(minutes.first).startUnix)  // 09:00 of the first day
        let days = LocalDays(origin: origin, duration: scenario.duration)
        XCTAssertEqual(gaps.map { "\($0.reason) \($0.start)–\($0.end)" }, [], "gaps in the week")
        var lines: [String] = []
        for day in days.ranges {
            let stored = minutes.filter { Double($0.startUnix) >= day.lowerBound && Double($0.startUnix) < day.upperBound }
            let expectedMinutes = Int((day.upperBound - day.lowerBound) / 60)
            XCTAssertEqual(stored.count, expectedMinutes, "minutes on the day from \(day.lowerBound)")
            XCTAssertEqual(stored.filter { $0.data.samples != $0.data.expectedSamples }.count, 0, "minutes short of samples")
            let sitting = stored.reduce(0) { $0 + $1.data.sittingSeconds }
            let truth = scenario.timeline.seconds(of: .sitting, in: (day.lowerBound - origin)...(day.upperBound - origin))
            XCTAssertEqual(sitting, truth, accuracy: truth * 0.03, "sitting seconds on the day from \(day.lowerBound)")
            let expected = scenario.expectedNudges.filter { day.contains(origin + $0.t) }
            let given = nudges.filter { day.contains($0.time) }
            let matched = expected.filter { want in
                given.contains { $0.string("reason") == want.reason.rawValue && abs($0.time - (origin + want.t)) <= 15 }
            }
            XCTAssertEqual(given.count, expected.count, "nudges on the day from \(day.lowerBound)")
            XCTAssertEqual(matched.count, expected.count, "expected nudges given within 15 s, day from \(day.lowerBound)")
            lines.append("\(stored.count) min, sitting \(Int(sitting / 60)) of \(Int(truth / 60)) min, nudges \(given.count) of \(expected.count) (\(matched.count) on time)")
        }
        print("""
            soak: 7 simulated days at speed \(Int(speed)) in \(Int(wall)) s, \(samples.count) looks: \
            RSS \(rssEarly) KiB on day 2, \(rssLate) KiB on day 7 (max); open descriptors \(fdsEarly) -> \(fdsLate); \
            pace \(Int(paceEarly))x on day 2, \(Int(paceLate))x on day 7; overruns \(last.overruns), dropped reports \
            \(last.droppedReports), dropped events \(last.droppedEvents ?? 0), longest supervisor stall \
            \(Int((last.longestStall ?? 0) * 1000)) ms; \(gaps.count) gaps; days: \(lines.joined(separator: "; "))
            """)
    }

    /// Simulated seconds per wall second between two looks.
    private func pace(_ a: Sample, _ b: Sample) -> Double {
        guard let ta = a.scenarioTime, let tb = b.scenarioTime, b.wall > a.wall else { return 0 }
        return (tb - ta) / (b.wall - a.wall)
    }
}

/// One look at the running daemon.
private struct Sample {
    var wall: Double
    var residentKiB: Int
    var openDescriptors: Int
    /// Scenario seconds so far: the latest stored minute's end, from the first minute's start.
    var scenarioTime: Double?
    var overruns: Int
    var droppedReports: Int
    var droppedEvents: Int?
    var longestStall: Double?

    init(pid: Int32, harness: DaemonHarness, since start: Date) throws {
        wall = Date().timeIntervalSince(start)
        let status = try String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)
        let rss = status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") }
        residentKiB = rss.flatMap { Int($0.split(separator: " ").dropFirst().first ?? "") } ?? 0
        openDescriptors = try FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd").count
        let reply = try harness.posturectl(["status", "--json", "--socket", harness.socketPath])
        guard reply.status == 0, let data = reply.output.data(using: .utf8) else { throw LookFailed(reply: reply.output) }
        // The daemon's reply as it is on the wire: `{"id":…,"ok":true,"result":{StatusReport},"v":1}`.
        let sampling = try JSONDecoder().decode(StatusReply.self, from: data).result.sampling
        overruns = sampling.overruns
        droppedReports = sampling.droppedReports
        droppedEvents = sampling.droppedEvents
        longestStall = sampling.longestSupervisorStallSeconds
        let log = try DayLog.open(path: harness.dayLogPath, mode: .readOnly)
        let minutes = try log.minutes(from: 0, to: 1e12)
        if let first = minutes.first, let last = minutes.last {
            scenarioTime = Double(last.startUnix - first.startUnix + 60)
        }
    }
}

private struct LookFailed: Error, CustomStringConvertible {
    var reply: String
    var description: String { "posturectl status failed: \(reply.prefix(300))" }
}

/// `posturectl status --json`: the daemon's final reply, with the real `StatusReport`.
private struct StatusReply: Decodable {
    var result: StatusReport
}

/// The local days a run from `origin` for `duration` seconds touches, each clipped to the run.
private struct LocalDays {
    var ranges: [Range<Double>] = []

    init(origin: Double, duration: Double) {
        var start = origin
        let end = origin + duration
        while start < end {
            var t = time_t(start)
            var local = tm()
            localtime_r(&t, &local)
            local.tm_hour = 24  // mktime normalises to the next local midnight
            local.tm_min = 0
            local.tm_sec = 0
            local.tm_isdst = -1
            let midnight = min(end, Double(mktime(&local)))
            ranges.append(start..<midnight)
            start = midnight
        }
    }
}

extension PostureTimeline {
    /// Seconds of `activity` in `window` (scenario time), by segment: the wearer's posture
    /// switches halfway through each transition, so these boundaries are right to a second or two.
    func seconds(of activity: Activity, in window: ClosedRange<Double>) -> Double {
        zip(segments, starts).reduce(0) { total, pair in
            let (segment, start) = pair
            guard segment.activity == activity else { return total }
            let overlap = min(window.upperBound, start + segment.duration) - max(window.lowerBound, start)
            return total + max(0, overlap)
        }
    }
}
