import PostureCore
@testable import PostureStore
import XCTest

final class MinuteAggregatorTests: XCTestCase {
    /// Feeds ticks every `dt` from `from` (exclusive) to `to` (inclusive); returns closed minutes.
    func feed(
        _ aggregator: inout MinuteAggregator, from: Double, to: Double, dt: Double, activity: Activity?,
        angles: SegmentAngles? = SegmentAngles(pelvicTilt: -18, pelvicObliquity: 1, lumbarFlexion: nil),
        steps: Int = 0
    ) -> [MinuteRecord] {
        var closed: [MinuteRecord] = []
        let count = Int(((to - from) / dt).rounded())
        for i in 1...count {
            let t = from + Double(i) * dt
            if let record = aggregator.add(
                MinuteTick(t: t, dt: dt, activity: activity, angles: angles, steps: steps))
            {
                closed.append(record)
            }
        }
        return closed
    }

    func testSecondsAddUpPerMinute() {
        var aggregator = MinuteAggregator(sampleRate: 50)
        var closed = feed(&aggregator, from: 0, to: 90, dt: 0.02, activity: .sitting)
        closed += feed(&aggregator, from: 90, to: 125, dt: 0.02, activity: .walking, steps: 1)
        closed += feed(&aggregator, from: 125, to: 181, dt: 0.02, activity: nil, angles: nil)
        XCTAssertEqual(closed.map(\.start), [0, 60, 120])
        XCTAssertEqual(closed.map(\.end), [60, 120, 180])
        for minute in closed { XCTAssertEqual(minute.data.observedSeconds, 60, accuracy: 1e-6) }
        XCTAssertEqual(closed[0].data.sittingSeconds, 60, accuracy: 1e-6)
        XCTAssertEqual(closed[1].data.sittingSeconds, 30, accuracy: 1e-6)
        XCTAssertEqual(closed[1].data.walkingSeconds, 30, accuracy: 1e-6)
        XCTAssertEqual(closed[2].data.walkingSeconds, 5, accuracy: 1e-6)
        XCTAssertEqual(closed[2].data.unknownSeconds, 55, accuracy: 1e-6)
        XCTAssertEqual(closed[1].data.steps, 1500)
        XCTAssertEqual(closed[0].data.samples, 3000)
        XCTAssertEqual(closed[0].data.expectedSamples, 3000)
        XCTAssertNil(closed[2].data.lumbarFlexion)
    }

    func testTickCrossingABoundaryIsSplit() {
        var aggregator = MinuteAggregator(sampleRate: 1)
        XCTAssertNil(aggregator.add(MinuteTick(t: 59.5, dt: 0.5, activity: .standing, angles: nil)))
        let closed = aggregator.add(MinuteTick(t: 60.5, dt: 1, activity: .sitting, angles: nil))
        XCTAssertEqual(closed?.data.standingSeconds, 0.5)
        XCTAssertEqual(closed?.data.sittingSeconds, 0.5)
        let last = aggregator.close()
        XCTAssertEqual(last?.start, 60)
        XCTAssertEqual(last?.end, 60.5)
        XCTAssertEqual(last?.data.sittingSeconds, 0.5)
    }

    func testAngleStatistics() {
        var aggregator = MinuteAggregator(sampleRate: 4)
        let tilts = [-10.0, -20, -30, -40]
        for (i, tilt) in tilts.enumerated() {
            _ = aggregator.add(
                MinuteTick(
                    t: Double(i + 1) * 0.25, dt: 0.25, activity: .sitting,
                    angles: SegmentAngles(pelvicTilt: tilt, pelvicObliquity: Double(i), lumbarFlexion: i < 2 ? 30 + Double(i) : nil)))
        }
        let minute = aggregator.close()?.data
        XCTAssertEqual(minute?.pelvicTilt, AngleRange(mean: -25, min: -40, max: -10))
        XCTAssertEqual(minute?.pelvicObliquityMean, 1.5)
        XCTAssertEqual(minute?.lumbarFlexion, AngleRange(mean: 30.5, min: 30, max: 31))
        XCTAssertEqual(minute?.angleSamples, 4)
        XCTAssertEqual(minute?.lumbarSamples, 2)
    }

    func testSkippedMinutesAreNotFilledAndStallsAreNotCounted() {
        var aggregator = MinuteAggregator(sampleRate: 10)
        _ = feed(&aggregator, from: 0, to: 30, dt: 0.1, activity: .sitting)
        // The loop stalled for 200 s: the tick after it stands for at most 2 s.
        let closed = aggregator.add(MinuteTick(t: 230, dt: 200, activity: .sitting, angles: nil))
        XCTAssertEqual(closed?.start, 0)
        XCTAssertEqual(closed?.data.sittingSeconds ?? 0, 30, accuracy: 1e-6)
        let next = aggregator.close()
        XCTAssertEqual(next?.start, 228, "minutes 60…180 are not produced: the supervisor records the gap")
        XCTAssertEqual(next?.end, 230)
        XCTAssertEqual(next?.data.sittingSeconds ?? 0, 2, accuracy: 1e-9)
    }

    func testSampleQualityCounts() {
        var aggregator = MinuteAggregator(sampleRate: 10)
        for i in 1...600 {
            // Every tenth tick lost its sample; ticks 100…109 had a faulted sensor, one overrun.
            let tick = MinuteTick(
                t: Double(i) * 0.1, dt: 0.1, activity: .standing, angles: nil, samples: i % 10 == 0 ? 0 : 1,
                overruns: i == 300 ? 1 : 0, sensorFaulted: (100..<110).contains(i))
            _ = aggregator.add(tick)
        }
        let minute = aggregator.close()?.data
        XCTAssertEqual(minute?.samples, 540)
        XCTAssertEqual(minute?.expectedSamples, 600)
        XCTAssertEqual(minute?.overruns, 1)
        XCTAssertEqual(minute?.sensorFaults, 10)
    }

    /// The open minute closes where its data ends, to be dated by the clock it was observed
    /// on; what follows runs on the new grid.
    func testAlignClosesTheOpenMinuteAndMovesTheGrid() {
        var aggregator = MinuteAggregator(sampleRate: 1)
        _ = feed(&aggregator, from: 0, to: 10, dt: 1, activity: .sitting, angles: nil)
        let cut = aggregator.align(gridOrigin: 25)
        XCTAssertEqual(cut.map { [$0.start, $0.end] }, [0, 10])
        XCTAssertEqual(cut?.data.sittingSeconds, 10)
        XCTAssertEqual(cut?.data.samples, 10)
        var closed = feed(&aggregator, from: 10, to: 100, dt: 1, activity: .sitting, angles: nil)
        if let last = aggregator.close() { closed.append(last) }
        XCTAssertEqual(closed.map(\.start), [10, 25, 85])
        XCTAssertEqual(closed.map(\.end), [25, 85, 100])
        XCTAssertEqual(closed.map(\.data.sittingSeconds), [15, 60, 15])
        XCTAssertEqual(closed.map(\.data.samples), [15, 60, 15])
    }

    /// A grid change just after one of the new boundaries (a clock synced to a whole minute
    /// and noticed a moment later) does not let the minute run on for most of another minute.
    func testAlignJustAfterTheNewBoundaryKeepsMinutesWithinSixtySeconds() {
        var aggregator = MinuteAggregator(sampleRate: 1)
        _ = feed(&aggregator, from: 0, to: 50, dt: 1, activity: .sitting, angles: nil)
        let cut = aggregator.align(gridOrigin: 49.5)  // boundaries 49.5, 109.5
        var closed = feed(&aggregator, from: 50, to: 120, dt: 1, activity: .sitting, angles: nil)
        if let last = aggregator.close() { closed.append(last) }
        XCTAssertEqual(cut?.end, 50)
        XCTAssertEqual(closed.map(\.start), [50, 109.5])
        XCTAssertEqual(closed.map(\.data.sittingSeconds), [59.5, 10.5])
        for minute in [cut!] + closed { XCTAssertLessThanOrEqual(minute.end - minute.start, 60) }
    }

    /// A slouch episode's time, onset to end, goes to the minutes it falls in, whatever the
    /// hold delayed; an open one only up to its grace before now, the rest when it ends.
    func testSlouchEpisodesAreCountedOnsetToEndInTheirMinutes() {
        var slouch = SlouchMinutes()
        slouch.started(onset: 50)  // confirmed 30 s later, at 80
        let settled = slouch.settle(now: 130, grace: 5, gridOrigin: 0)
        XCTAssertEqual(settled.map(\.start), [50, 60, 120])
        XCTAssertEqual(settled.map(\.data.slouchSeconds), [10, 60, 5])
        let rest = slouch.ended(end: 128, gridOrigin: 0)  // upright again at 128 (ended 5 s later)
        XCTAssertEqual(rest.map(\.start), [125])
        XCTAssertEqual(rest.map(\.data.slouchSeconds), [3])
        XCTAssertEqual((settled + rest).reduce(0) { $0 + $1.data.slouchSeconds }, 128 - 50, accuracy: 1e-9, "the episode's duration")
        XCTAssertNil(slouch.open)
        XCTAssertTrue(slouch.ended(end: 200, gridOrigin: 0).isEmpty, "nothing open, nothing counted")
        XCTAssertTrue(slouch.settle(now: 300, grace: 5, gridOrigin: 0).isEmpty)
    }
}
