import PostureCore
import XCTest
@testable import PostureSim

final class ScenarioTests: XCTestCase {
    func testAllNamesBuild() {
        for name in Scenario.allNames {
            let s = Scenario.named(name, seed: 1)
            XCTAssertNotNil(s, name)
            XCTAssertEqual(s?.standWindow, 1...11)
            XCTAssertEqual(s?.sitWindow, 15...25)
        }
        XCTAssertNil(Scenario.named("nope", seed: 1))
        XCTAssertNil(Scenario.named("-one-sensor", seed: 1))
        XCTAssertEqual(Scenario.named("walk-one-sensor", seed: 1)?.sensorCount, 1)
        XCTAssertEqual(Scenario.named("one-sensor", seed: 1)?.sensorCount, 1)
        XCTAssertEqual(Scenario.named("workday", seed: 1)?.duration, 10_800)
    }

    func testOneSensorYieldsOnlyPelvis() throws {
        let w = try XCTUnwrap(Scenario.named("one-sensor", seed: 1)).makeWearer()
        let samples = Array(w.makeSamples(rate: 50, from: 0, to: 2))
        XCTAssertEqual(samples.count, 100)
        XCTAssert(samples.allSatisfy { $0.sensor == 0 })
    }

    func testDeterminismAndRandomAccess() throws {
        let a = try XCTUnwrap(Scenario.named("fidget", seed: 42)).makeWearer()
        let b = try XCTUnwrap(Scenario.named("fidget", seed: 42)).makeWearer()
        let c = try XCTUnwrap(Scenario.named("fidget", seed: 43)).makeWearer()
        let sa = Array(a.makeSamples(rate: 100, from: 30, to: 60))
        XCTAssertEqual(sa.count, 6000)
        XCTAssertEqual(sa, Array(b.makeSamples(rate: 100, from: 30, to: 60)))
        XCTAssertNotEqual(sa, Array(c.makeSamples(rate: 100, from: 30, to: 60)))
        // Interleaving: sensor 0 then 1 at each tick, and equal to random access.
        for (i, s) in sa.enumerated() {
            XCTAssertEqual(s.sensor, i % 2)
            XCTAssertEqual(s.t, Double(3000 + i / 2) / 100)
        }
        for i in stride(from: 1, to: sa.count, by: 337) {
            XCTAssertEqual(a.sample(sensor: sa[i].sensor, at: sa[i].t), sa[i])
        }
        // Random access at an arbitrary chip-clock time is reproducible.
        XCTAssertEqual(a.sample(sensor: 1, at: 47.123456), b.sample(sensor: 1, at: 47.123456))
        XCTAssertNotEqual(a.sample(sensor: 1, at: 47.123456), c.sample(sensor: 1, at: 47.123456))
    }

    /// The calibration windows hold their poses up to sway, breathing and at most one brief
    /// scripted move of 3–5° near one end, which leaves a clean stretch of ≥ 5 s; over
    /// many seeds, some windows have a move and some do not.
    func testCalibrationWindowsKeepACleanStretch() throws {
        var moved = 0
        for seed: UInt64 in 1...40 {
            let scenario = try XCTUnwrap(Scenario.named("workday", seed: seed))
            let w = scenario.makeWearer()
            for (index, window) in [(0, scenario.standWindow), (1, scenario.sitWindow)] {
                let segment = scenario.timeline.segments[index]
                let start = scenario.timeline.starts[index]
                XCTAssertLessThanOrEqual(segment.scriptedMoves.count, 1)
                var clean = [window]
                for move in segment.scriptedMoves {
                    moved += 1
                    let size = max(abs(move.pelvicTilt), abs(move.pelvicObliquity))
                    XCTAssert((3.0...5.0).contains(size) && (1.0...2.0).contains(move.duration), "seed \(seed): \(move)")
                    let (a, b) = (start + move.start, start + move.start + move.duration)
                    XCTAssert(window.contains(a) && window.contains(b), "seed \(seed): move \(a)–\(b) outside \(window)")
                    clean = [window.lowerBound...a, b...window.upperBound]
                }
                let longest = try XCTUnwrap(clean.max { $0.upperBound - $0.lowerBound < $1.upperBound - $1.lowerBound })
                XCTAssertGreaterThanOrEqual(longest.upperBound - longest.lowerBound, 5, "seed \(seed) window \(window)")
                // In the clean stretch: the posture, sway and breathing only.
                let truths = stride(from: longest.lowerBound, through: longest.upperBound, by: 0.1).map { w.truth(at: $0) }
                XCTAssert(truths.allSatisfy { $0.posture == segment.kind && !$0.inTransition }, "seed \(seed)")
                let tilts = truths.map(\.pelvicTilt)
                XCTAssertLessThan(tilts.max()! - tilts.min()!, 2.5, "seed \(seed) window \(window): tilt range")
                XCTAssertEqual(median(tilts), segment.pelvicTilt, accuracy: 1.2, "seed \(seed) window \(window)")
            }
        }
        XCTAssert((10...70).contains(moved), "\(moved) of 80 calibration windows have a move")
    }

    /// Upright sitting −15…−20°, slouch −25…−35° with lumbar +15…+30° over upright, lean
    /// forward anterior with lumbar neutral, over several seeds.
    func testTruthAnglesOfPostures() throws {
        for seed: UInt64 in 1...8 {
            let w = try XCTUnwrap(Scenario.named("workday", seed: seed)).makeWearer()
            func medians(_ range: ClosedRange<Double>) -> (tilt: Double, flexion: Double, slouching: Bool) {
                let truths = stride(from: range.lowerBound, through: range.upperBound, by: 0.5).map { w.truth(at: $0) }
                return (median(truths.map(\.pelvicTilt)), median(truths.map(\.lumbarFlexion)), truths.allSatisfy(\.isSlouching))
            }
            let upright = medians(30...590), slouch = medians(2405...2815), lean = medians(905...1195)
            XCTAssert((-20.0 ... -15).contains(upright.tilt), "seed \(seed): \(upright)")
            XCTAssert((-35.0 ... -25).contains(slouch.tilt), "seed \(seed): \(slouch)")
            XCTAssert((15.0...30).contains(slouch.flexion - upright.flexion), "seed \(seed)")
            XCTAssert(slouch.slouching && !upright.slouching && !lean.slouching)
            XCTAssertGreaterThan(lean.tilt - upright.tilt, 10)
            XCTAssertLessThan(abs(lean.flexion - upright.flexion), 5)
        }
    }

    /// The expected nudges listed by each scenario follow from its truth and the default
    /// policy of architecture.md (slouch held 30 s, repeat 5 min; bout 30 min, repeat 15 min,
    /// only ≥ 60 s of not sitting ends a bout).
    func testExpectedNudgesFollowFromTruth() throws {
        for name in Scenario.allNames {
            let scenario = try XCTUnwrap(Scenario.named(name, seed: 4))
            let w = scenario.makeWearer()
            let dt = 0.25
            var nudges: [ExpectedNudge] = []
            var slouchStart: Double?, nextSlouch = 0.0
            var boutStart: Double?, lastSitting = -Double.infinity, nextBout = 0.0
            var t = 0.0
            while t < scenario.duration {
                let truth = w.truth(at: t)
                let sitting = truth.activity == .sitting
                if sitting {
                    if boutStart == nil || t - lastSitting >= 60 { boutStart = t; nextBout = t + 1800 }
                    lastSitting = t
                    if t >= nextBout { nudges.append(ExpectedNudge(t: nextBout, reason: .sittingTooLong)); nextBout += 900 }
                }
                if sitting && truth.isSlouching {
                    if slouchStart == nil { slouchStart = t; nextSlouch = t + 30 }
                    if t >= nextSlouch { nudges.append(ExpectedNudge(t: nextSlouch, reason: .slouch)); nextSlouch += 300 }
                } else {
                    slouchStart = nil
                }
                t += dt
            }
            XCTAssertEqual(nudges.map(\.reason), scenario.expectedNudges.map(\.reason), name)
            for (a, b) in zip(nudges, scenario.expectedNudges) { XCTAssertEqual(a.t, b.t, accuracy: 0.5, name) }
        }
    }

    func testWorkdayActivities() throws {
        let w = try XCTUnwrap(Scenario.named("workday", seed: 6)).makeWearer()
        XCTAssertEqual(w.truth(at: 1420).activity, .standing)
        XCTAssertEqual(w.truth(at: 3100).activity, .walking)
        XCTAssertEqual(w.truth(at: 7000).activity, .lying)
        XCTAssertEqual(w.truth(at: 7200).posture, .lieSide)
        XCTAssertEqual(w.truth(at: 10600).activity, .walking)
        XCTAssertEqual(w.truth(at: 3005).steps, 0)
        let steps = w.truth(at: 10_800).steps
        XCTAssert((Int(1.6 * 600)...Int(2.0 * 600)).contains(steps), "\(steps)")
        // Walking changes heading.
        XCTAssertGreaterThan(abs(w.truth(at: 3240).heading - w.truth(at: 3000).heading), 30)
    }
}
