import PostureCore
import XCTest
@testable import PostureSim

/// A real person is never still: sway, breathing, weight shifts, drawn sit/stand durations.
final class HumanMotionTests: XCTestCase {
    private func rms(_ values: [Double]) -> Double {
        let mean = values.reduce(0, +) / Double(values.count)
        return (values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(values.count)).squareRoot()
    }

    /// Standing: the pelvis sways a fraction of a degree to a degree, the hip a few cm/s².
    func testStandingSwayIsPresentButSmall() {
        for seed: UInt64 in 1...12 {
            let segment = PostureSegment(.stand, duration: 120, pelvicTilt: 0, fidgetsPerMinute: 0)
            let timeline = PostureTimeline([segment], seed: seed)
            let w = SimulatedWearer(timeline: timeline, seed: seed, config: .ideal)
            let times = Array(stride(from: 10.0, to: 110, by: 0.05))
            let tilt = times.map { w.truth(at: $0).pelvicTilt }, obliquity = times.map { w.truth(at: $0).pelvicObliquity }
            for (name, values) in [("tilt", tilt), ("obliquity", obliquity)] {
                XCTAssert((0.15...0.8).contains(rms(values)), "seed \(seed): \(name) sway RMS \(rms(values))°")
                XCTAssertLessThan(values.map(abs).max() ?? 0, 1.5, "seed \(seed): \(name) sway too large")
            }
            let hip = times.map { timeline.hipAcceleration(at: $0, heading: 0, headingRate: 0) }
            let horizontal = (hip.map { $0.x * $0.x + $0.y * $0.y }.reduce(0, +) / Double(hip.count)).squareRoot()
            XCTAssert((0.01...0.12).contains(horizontal), "seed \(seed): hip acceleration RMS \(horizontal) m/s²")
        }
        // A mannequin stands exactly still.
        let still = PostureTimeline([PostureSegment(.stand, duration: 60, pelvicTilt: 0, fidgetsPerMinute: 0)], seed: 1, motion: .still)
        XCTAssertEqual(still.pose(at: 10), still.pose(at: 37.3))
    }

    /// The hip sway's acceleration is the second derivative of its position.
    func testSwayAccelerationIsTheSecondDerivativeOfPosition() {
        var rng = SplitMix64(seed: 4)
        let sway = PosturalSway(rng: &rng)
        let h = 1e-3
        for t in stride(from: 0.0, to: 30, by: 1.7) {
            let p0 = sway.hip(at: t - h).position, p1 = sway.hip(at: t).position, p2 = sway.hip(at: t + h).position
            let numeric = (p2 - 2 * p1 + p0) / (h * h)
            XCTAssertLessThan((numeric - sway.hip(at: t).acceleration).norm, 1e-5)
            XCTAssertLessThan(((p2 - p0) / (2 * h) - sway.hip(at: t).velocity).norm, 1e-7)
        }
    }

    /// Breathing moves the lumbar spine a fraction of a degree at 0.2–0.3 Hz in every posture.
    func testBreathingInStaticPostures() {
        for kind in [PostureKind.sitUpright, .slouch, .lieSupine, .standTall] {
            let segment = PostureSegment(kind, duration: 120, fidgetsPerMinute: 0, weightShiftsPerMinute: 0)
            let w = SimulatedWearer(timeline: PostureTimeline([segment], seed: 6), seed: 6, config: .ideal)
            let flexion = stride(from: 10.0, to: 110, by: 0.05).map { w.truth(at: $0).lumbarFlexion }
            let mean = flexion.reduce(0, +) / Double(flexion.count)
            let amplitude = rms(flexion) * 2.0.squareRoot()
            XCTAssert((0.15...0.6).contains(amplitude), "\(kind): breathing amplitude \(amplitude)°")
            let crossings = zip(flexion, flexion.dropFirst()).filter { ($0 - mean) * ($1 - mean) < 0 }.count
            let rate = Double(crossings) / 2 / 100
            XCTAssert((0.18...0.32).contains(rate), "\(kind): breathing at \(rate) Hz")
        }
    }

    /// Sitting, the wearer settles into slightly different positions now and then.
    func testSmallWeightShiftsWhileSitting() {
        let segment = PostureSegment(.sitUpright, duration: 900, fidgetsPerMinute: 0)
        let timeline = PostureTimeline([segment], seed: 2)
        let shifts = timeline.plans[0].weightShifts.shifts
        XCTAssert((10...45).contains(shifts.count), "\(shifts.count) shifts in 15 min")
        let w = SimulatedWearer(timeline: timeline, seed: 2, config: .ideal)
        let tilts = stride(from: 0.0, to: 900, by: 0.5).map { w.truth(at: $0).pelvicTilt - segment.pelvicTilt }
        XCTAssertGreaterThan(tilts.map(abs).max() ?? 0, 0.5, "the weight shifts move the pelvis")
        XCTAssertLessThan(tilts.map(abs).max() ?? 0, 3.5, "but only a little")
    }

    /// Sit-to-stand and stand-to-sit take 1.5–4 s, drawn per seed; the calibration's stays 2 s.
    func testSitStandDurationsAreDrawnPerSeed() throws {
        var durations: [Double] = []
        for seed: UInt64 in 1...30 {
            let timeline = try XCTUnwrap(Scenario.named("walk", seed: seed)).timeline
            XCTAssertEqual(timeline.plans[1].transition, 2)
            for i in 1..<timeline.plans.count {
                let from = timeline.segments[i - 1].activity, to = timeline.segments[i].activity
                if Set([from, to]) == [.sitting, .standing] { durations.append(timeline.plans[i].transition) }
            }
        }
        let drawn = durations.filter { $0 != 2 }
        XCTAssertEqual(durations.count, 30 * 3)  // 26–40 sit → stand, stand → sit at 185, + calibration
        XCTAssert(drawn.allSatisfy { (1.5...4.0).contains($0) })
        XCTAssertGreaterThan((drawn.max() ?? 0) - (drawn.min() ?? 0), 1.5, "durations vary over seeds")
    }
}
