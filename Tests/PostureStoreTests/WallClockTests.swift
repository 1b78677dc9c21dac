import PostureCore
@testable import PostureStore
import XCTest

final class WallClockTests: XCTestCase {
    /// Booted without a real-time clock and no network: what the daemon records is stored as it
    /// closes, undated, and survives the daemon's death (before, it waited in memory and a
    /// power loss lost everything since boot). Once the clock is trusted in the same boot,
    /// everything stored undated is dated, once.
    func testMinutesBeforeSyncAreStoredAndSurviveAndGetTheRightDates() throws {
        let dir = TemporaryDirectory()
        let boot = "2f0c-boot-a"
        var aggregator = MinuteAggregator(sampleRate: 1)
        var buffer = DayLogBuffer(bootID: boot)
        var t = 12.3
        while t < 200 {
            t += 1
            if let minute = aggregator.add(MinuteTick(t: t, dt: 1, activity: .sitting, angles: nil)) { buffer.add(minute) }
        }
        buffer.add(LogEvent.nudge(.slouch, at: 100))
        buffer.addGap(from: 150, to: 160, reason: .sensorLost)
        XCTAssertEqual(buffer.heldCount, 5)
        let undated = buffer.takeBatch()
        XCTAssertTrue(undated.minutes.isEmpty && undated.events.isEmpty, "nothing is dated before the clock is trusted")
        do {
            let log = try DayLog.open(path: dir.logPath, mode: .readWrite)
            try log.append(undated)
            XCTAssertTrue(try log.minutes(from: 0, to: 4e9).isEmpty)
        }
        // The daemon is killed here (power loss). It starts again in the same boot, with a
        // fresh buffer; a minute from another boot that never synchronised is in the log too.
        let log = try DayLog.open(path: dir.logPath, mode: .readWrite)
        var other = DayLogBuffer(bootID: "boot-that-never-synced")
        other.add(MinuteRecord(start: 0, end: 60, data: MinuteData()))
        try log.append(other.takeBatch())
        buffer = DayLogBuffer(bootID: boot)

        // NTP synced at monotonic 200.0 when the real time was 2024-05-01 08:00:20 UTC.
        let sync = Double(Fixtures.dayStart) + 8 * 3600 + 20
        let mapping = WallClockMapping(realtime: sync, monotonic: 200)
        buffer.clockSynced(mapping)
        try log.append(buffer.takeBatch())
        // Monotonic minutes [0,60) [60,120) [120,180) are wall 07:57:00…07:58:00 + 0…: offset ends in :00:20 - 200 s.
        let base = Double(Fixtures.dayStart) + 8 * 3600 + 20 - 200
        let stored = try log.minutes(from: 0, to: 4e9)
        XCTAssertEqual(stored.map(\.startUnix), [0.0, 60, 120].map { Int64(((base + $0 + 30) / 60).rounded(.down) * 60) })
        XCTAssertEqual(stored.first?.startUnix, Fixtures.dayStart + 7 * 3600 + 57 * 60)
        XCTAssertEqual(stored.reduce(0) { $0 + $1.data.sittingSeconds }, 180 - 12.3, accuracy: 1e-6, "every second of the closed minutes, once")
        let events = try log.events(from: 0, to: 4e9)
        XCTAssertEqual(events.first { $0.kind == .nudge }?.time ?? 0, base + 100, accuracy: 1e-6)
        XCTAssertEqual(try log.gaps(from: 0, to: 4e9), [LogGap(start: base + 150, end: base + 160, reason: .sensorLost)])
        XCTAssertEqual(try log.undatedMinuteCount(otherThan: boot), 1, "another boot's minute stays undated, never in a wrong day")
        XCTAssertEqual(try log.undatedMinuteCount(otherThan: "boot-that-never-synced"), 0, "this boot's are all dated")

        // A second batch re-dates nothing: the undated rows are gone.
        try log.append(buffer.takeBatch())
        XCTAssertEqual(try log.minutes(from: 0, to: 4e9).reduce(0) { $0 + $1.data.sittingSeconds }, 180 - 12.3, accuracy: 1e-6)

        // After sync, new minutes are dated as they come; aligning the grid makes them exact.
        aggregator = MinuteAggregator(sampleRate: 1)
        XCTAssertNil(aggregator.align(gridOrigin: mapping.minuteGridOrigin), "a fresh aggregator has no minute open")
        while t < 400 {
            t += 1
            if let minute = aggregator.add(MinuteTick(t: t, dt: 1, activity: .sitting, angles: nil)) { buffer.add(minute) }
        }
        let later = buffer.takeBatch().minutes
        XCTAssertFalse(later.isEmpty)
        for minute in later { XCTAssertEqual(minute.startUnix % 60, 0) }
        for minute in later.dropFirst() { XCTAssertEqual(minute.data.sittingSeconds, 60, accuracy: 1e-9) }
        XCTAssertEqual(Set(later.map(\.startUnix)).count, later.count)
    }

    func testPartialMinutesAroundSyncLandOnTheirWallMinutes() throws {
        // The daemon starts at monotonic 100 s; at 130 s the clock is trusted and reads
        // 09:59:30 local (UTC+0 here), so monotonic 100 was 09:59:00 exactly.
        let wall0959 = Double(Fixtures.dayStart) + 9 * 3600 + 59 * 60
        let mapping = WallClockMapping(realtime: wall0959 + 30, monotonic: 130)
        var aggregator = MinuteAggregator(sampleRate: 10)
        var buffer = DayLogBuffer()
        var t = 100.0
        while t < 250 - 1e-9 {
            t += 0.1
            if abs(t - 130) < 0.05 {
                buffer.clockChanged(to: mapping, closing: &aggregator)
            }
            if let minute = aggregator.add(MinuteTick(t: t, dt: 0.1, activity: .sitting, angles: nil)) { buffer.add(minute) }
        }
        if let last = aggregator.close() { buffer.add(last) }
        let dir = TemporaryDirectory()
        let log = try DayLog.open(path: dir.logPath, mode: .readWrite)
        try log.append(buffer.takeBatch())
        let stored = try log.minutes(from: 0, to: 4e9)
        XCTAssertEqual(stored.map { $0.startUnix - Int64(wall0959) }, [0, 60, 120])
        XCTAssertEqual(stored[0].data.sittingSeconds, 60, accuracy: 1e-6, "the pre-sync piece and the cut piece merge")
        XCTAssertEqual(stored[1].data.sittingSeconds, 60, accuracy: 1e-6)
        XCTAssertEqual(stored[2].data.sittingSeconds, 30, accuracy: 1e-6)
    }

    /// The virtual board's phase C on a slow guest: the daemon's first sample comes a second
    /// after a monotonic minute boundary, NTP sets the clock to a whole minute five seconds
    /// later (noticed half a second after), and 74 s on the synced clock is stepped forward
    /// by 1180 s. Each piece of data is dated by the clock it was observed on: before the fix
    /// the minute open at the sync ran on to the next grid boundary and was dated whole by the
    /// synced clock (65 s in one minute), and the 14 s before the step went 20 minutes later.
    func testAMinuteOpenWhenTheClockChangesIsDatedByTheClockItWasObservedOn() throws {
        let rate = 10.0
        let sync = Double(Fixtures.dayStart) + 40 * 60  // the clock set to 00:40:00 at monotonic 126.1
        let stepTo = sync + 1180                          // and to 01:59:40 at monotonic 200.4
        var aggregator = MinuteAggregator(sampleRate: rate)
        var buffer = DayLogBuffer(bootID: "boot")
        let dir = TemporaryDirectory()
        let log = try DayLog.open(path: dir.logPath, mode: .readWrite)
        for k in 1...1790 {
            let t = 121 + Double(k) / rate
            if let minute = aggregator.add(MinuteTick(t: t, dt: 1 / rate, activity: .sitting, angles: nil)) { buffer.add(minute) }
            if k == 56 { buffer.clockChanged(to: WallClockMapping(realtime: sync + 0.5, monotonic: 126.6), closing: &aggregator) }
            if k == 799 { buffer.clockChanged(to: WallClockMapping(realtime: stepTo + 0.5, monotonic: 200.9), closing: &aggregator) }
            if k % 600 == 0 { try log.append(buffer.takeBatch()) }
        }
        if let last = aggregator.close() { buffer.add(last) }
        try log.append(buffer.takeBatch())

        let stored = try log.minutes(from: 0, to: 4e9)
        XCTAssertEqual(stored.map { Double($0.startUnix) - sync }, [-60, 0, 60, 1140, 1200, 1260])
        let expected = [5.6, 59.5, 14.8, 19.5, 60, 19.6]
        for (minute, seconds) in zip(stored, expected) {
            XCTAssertEqual(minute.data.sittingSeconds, seconds, accuracy: 1e-6, "minute at \(Double(minute.startUnix) - sync) s")
            XCTAssertEqual(Double(minute.data.samples), seconds * rate, accuracy: 1, "minute at \(Double(minute.startUnix) - sync) s")
        }
        XCTAssertEqual(stored.reduce(0) { $0 + $1.data.sittingSeconds }, 179, accuracy: 1e-6, "every second once")
    }

    func testGridOriginMakesWallMinuteBoundaries() {
        for offset in [1_714_521_600.0 + 20 - 200, 1_714_521_600.0 + 59.75, -37.5, 0] {
            let mapping = WallClockMapping(offset: offset)
            let origin = mapping.minuteGridOrigin
            XCTAssertTrue((0..<60).contains(origin))
            let wall = mapping.wallTime(monotonic: origin + 600)
            XCTAssertEqual(wall.truncatingRemainder(dividingBy: 60), 0, accuracy: 1e-6)
            let dated = mapping.date(MinuteRecord(start: origin + 600, end: origin + 660, data: MinuteData()))
            XCTAssertEqual(Double(dated.startUnix), wall.rounded(), accuracy: 1e-6)
        }
    }

    func testPutBackKeepsOrder() {
        var buffer = DayLogBuffer()
        buffer.clockSynced(WallClockMapping(offset: 0))
        buffer.add(LogEvent.resume(at: 1))
        let failed = buffer.takeBatch()
        buffer.add(LogEvent.resume(at: 2))
        buffer.putBack(failed)
        XCTAssertEqual(buffer.takeBatch().events.map(\.time), [1, 2])
    }

    /// A store that fails for longer than memory keeps: the oldest minutes go, undated ones
    /// first (they are the older), and one `store_unavailable` gap per run of them says so,
    /// growing with every shed rather than one gap a minute.
    func testShedDropsTheOldestMinutesIntoOneGrowingGap() {
        var buffer = DayLogBuffer(bootID: "b")
        for i in 0..<3 { buffer.add(MinuteRecord(start: Double(i) * 60, end: Double(i + 1) * 60, data: MinuteData())) }
        buffer.clockSynced(WallClockMapping(realtime: 6_000, monotonic: 180))
        for i in 3..<10 { buffer.add(MinuteRecord(start: Double(i) * 60, end: Double(i + 1) * 60, data: MinuteData())) }
        for i in 0..<30 { buffer.add(LogEvent.resume(at: Double(i))) }
        XCTAssertEqual(buffer.heldMinuteCount, 10)

        // Before the clock was trusted, clockSynced dated what waited: all ten are dated now.
        XCTAssertEqual(buffer.shed(keepingAtMost: 6, eventLimit: 20), 4)
        XCTAssertEqual(buffer.shed(keepingAtMost: 4, eventLimit: 20), 2)
        XCTAssertEqual(buffer.shed(keepingAtMost: 4, eventLimit: 20), 0)
        let batch = buffer.takeBatch()
        let kept: [Int64] = [6_180, 6_240, 6_300, 6_360]  // minutes 6–9, dated from 5 820
        XCTAssertEqual(batch.minutes.map(\.startUnix), kept)
        XCTAssertEqual(batch.gaps, [LogGap(start: 5_820, end: 5_820 + 360, reason: .storeUnavailable)])
        XCTAssertEqual(batch.events.map(\.time).first, 5_830, "the oldest events beyond the limit go")
        XCTAssertEqual(batch.events.count, 20)

        // Undated minutes (a batch put back from before the sync) are shed before dated ones.
        var early = DayLogBuffer(bootID: "b")
        for i in 0..<3 { early.add(MinuteRecord(start: Double(i) * 60, end: Double(i + 1) * 60, data: MinuteData())) }
        let failed = early.takeBatch()
        early.clockSynced(WallClockMapping(realtime: 6_000, monotonic: 180))
        early.add(MinuteRecord(start: 180, end: 240, data: MinuteData()))
        early.putBack(failed)
        XCTAssertEqual(early.shed(keepingAtMost: 1, eventLimit: 10), 3)
        let left = early.takeBatch()
        XCTAssertEqual(left.undated.minutes, [])
        XCTAssertEqual(left.undated.gaps, [MonotonicGap(start: 0, end: 180, reason: .storeUnavailable)])
        XCTAssertEqual(left.minutes.map(\.startUnix), [6_000])
    }

    func testDayLogStoresDatedBufferOutput() throws {
        let dir = TemporaryDirectory()
        let log = try DayLog.open(path: dir.logPath, mode: .readWrite)
        var buffer = DayLogBuffer()
        buffer.add(MinuteRecord(start: 0, end: 60, data: Fixtures.minute(0).data))
        buffer.clockSynced(WallClockMapping(offset: Double(Fixtures.dayStart)))
        try log.append(buffer.takeBatch())
        XCTAssertEqual(try log.minutes(from: 0, to: 4e9).map(\.startUnix), [Fixtures.dayStart])
    }
}
