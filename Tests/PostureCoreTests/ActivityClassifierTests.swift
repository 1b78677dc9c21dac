import Foundation
import PostureCore
import PostureSim
import XCTest

/// A scripted wearer: a sequence of behaviours turned into pelvis (and upper lumbar)
/// samples, fed through calibration → angles → classifier exactly as the engine would,
/// with a perfect orientation (the filter is tested elsewhere).
struct ScriptedWearer {
    enum Behaviour {
        case standing, sitting, slouching, leaningForward, lying
        /// Sitting, leaning over a desk so that the angles are standing's (pelvis +4°, lumbar neutral).
        case leaningOverDesk
        case walking(stepFrequency: Double)
        /// Sitting, with a brief lean and a burst of movement every 7 s.
        case fidgeting
        /// Sitting on a seat vibrating at 5 Hz (a car, a jiggling knee).
        case vibratingSeat
        /// Standing, bending forward for 1.5 s every 8 s.
        case briefBends
        /// 2 s of getting up (`.standing` truth) or sitting down (`.sitting` truth): the
        /// pelvis swings through an anterior lean with a burst of acceleration.
        case standingUp, sittingDown

        var truth: Activity {
            switch self {
            case .standing, .briefBends, .standingUp: .standing
            case .sitting, .slouching, .leaningForward, .leaningOverDesk, .fidgeting, .vibratingSeat, .sittingDown:
                .sitting
            case .lying: .lying
            case .walking: .walking
            }
        }
    }

    struct Scene {
        var behaviour: Behaviour
        var seconds: Double
        /// The sensor is lost: the wearer goes on, but no sample reaches the classifier.
        var unseen = false
    }

    struct Run {
        /// Each reported change (activity `nil` = unknown).
        var changes: [(t: Double, activity: Activity?)] = []
        var steps = 0
        var sinceAtChanges: [Double?] = []
    }

    static let pelvisMount = PostureRig.mount(yaw: 3, pitch: 25)
    static let upperMount = PostureRig.mount(yaw: -4, pitch: -5)

    var rate = 100.0
    var withUpperSensor = true
    var calibrated = true
    /// 0: a regular gait. 1: cadence wandering ±13%, step amplitude ±30% and 0.4 m/s² noise.
    var gaitIrregularity = 0.0

    /// Body poses (pelvis, upper lumbar) and extra earth-frame acceleration at time `t`
    /// of a behaviour that started at `start`.
    private func pose(_ b: Behaviour, t: Double, start: Double, noise: inout TestNoise)
        -> (pelvis: Quaternion, upper: Quaternion, accel: Vector3)
    {
        let sway = Foundation.sin(2 * .pi * 0.2 * t)
        func sagittal(_ tilt: Double, flexion: Double) -> (Quaternion, Quaternion) {
            (PostureRig.tilt(tilt), PostureRig.tilt(tilt + flexion))
        }
        let local = t - start
        switch b {
        case .standing:
            let (p, u) = sagittal(1.5 * sway, flexion: 0.5 * sway)
            return (p, u, .zero)
        case .sitting:
            let (p, u) = sagittal(-18 + sway, flexion: 12)
            return (p, u, .zero)
        case .slouching:
            let (p, u) = sagittal(-32 + sway, flexion: 28)
            return (p, u, .zero)
        case .leaningForward:
            let (p, u) = sagittal(12 + sway, flexion: 18)
            return (p, u, .zero)
        case .leaningOverDesk:
            let (p, u) = sagittal(4 + sway, flexion: 0)
            return (p, u, .zero)
        case .lying:
            let (p, u) = sagittal(-88 + sway, flexion: 2)
            return (p, u, .zero)
        case .walking(let f):
            let phase = Self.walkingPhase(stepFrequency: f, seconds: local, irregularity: gaitIrregularity)
            let strength = 1 + 0.3 * gaitIrregularity * Foundation.sin(2 * .pi * 0.37 * local)
            let tilt = 3 + 2 * Foundation.sin(phase)
            let roll = PostureRig.raiseLeft(4 * Foundation.sin(phase / 2))
            // Pelvic acceleration: vertical at the step frequency with a harmonic, left
            // and right steps 20% unequal, and a heel-strike spike; fore-aft at the step
            // frequency, lateral at the stride frequency.
            let stepPhase = phase.truncatingRemainder(dividingBy: 2 * .pi)
            let heelStrike = 2.0 * Foundation.exp(-Foundation.pow((stepPhase - 0.3) / 0.15, 2) / 2)
            let vertical = 2.5 * (1 + 0.2 * Foundation.sin(phase / 2)) * Foundation.sin(phase)
                + 0.7 * Foundation.sin(2 * phase + 0.5) + heelStrike
            let accel = strength * Vector3(1.0 * Foundation.sin(phase + 1), 0.8 * Foundation.sin(phase / 2), vertical)
                + noise.vector(0.4 * gaitIrregularity)
            return (roll * PostureRig.tilt(tilt), roll * PostureRig.tilt(tilt + 2), accel)
        case .fidgeting:
            let inBurst = local.truncatingRemainder(dividingBy: 7) > 5.8
            let (p, u) = sagittal(inBurst ? 4 : -18 + sway, flexion: 12)
            return (p, u, inBurst ? noise.vector(1.5) : .zero)
        case .vibratingSeat:
            let (p, u) = sagittal(-18 + sway, flexion: 12)
            return (p, u, Vector3(0, 0, 1.2 * Foundation.sin(2 * .pi * 5 * t)) + noise.vector(0.3))
        case .briefBends:
            let bending = local.truncatingRemainder(dividingBy: 8) > 6.5
            let (p, u) = sagittal(bending ? 45 : 1.5 * sway, flexion: bending ? 35 : 0)
            return (p, u, .zero)
        case .standingUp, .sittingDown:
            // Lean forward over 2 s (peak +25° at mid-move), ending at the new pose; the
            // hips rise or sink 0.45 m: one cycle of ±0.7 m/s² vertical acceleration.
            let progress = min(1, local / 2)
            let lean = 25 * Foundation.sin(Double.pi * progress)
            let standingUp = if case .standingUp = b { true } else { false }
            let from = standingUp ? -18.0 : 0, to = standingUp ? 0.0 : -18
            let (p, u) = sagittal(from + (to - from) * progress + lean, flexion: 12 * (standingUp ? 1 - progress : progress))
            let lift = 0.45, duration = 2.0
            let amplitude = 2 * Double.pi * lift / (duration * duration)
            let push = local < duration ? amplitude * Foundation.sin(2 * Double.pi * progress) * (standingUp ? 1 : -1) : 0
            return (p, u, Vector3(0, 0, push))
        }
    }

    /// Gait phase (2π per step) after `seconds` of walking: the cadence wanders ±4%,
    /// and by another ±9% at faster, incommensurate rates with `irregularity` 1.
    static func walkingPhase(stepFrequency f: Double, seconds: Double, irregularity: Double = 0) -> Double {
        // (relative frequency deviation, Hz of the wander, phase offset)
        let wanders = [(0.04, 0.13, 0.0), (0.05 * irregularity, 0.71, 1.0), (0.04 * irregularity, 1.37, 2.0)]
        var cycles = f * seconds
        for (deviation, rate, offset) in wanders {
            // Integrating f·deviation·cos(2π·rate·t) gives these cycles.
            cycles += deviation * f / (2 * Double.pi * rate)
                * (Foundation.sin(2 * Double.pi * rate * seconds + offset) - Foundation.sin(offset))
        }
        return 2 * Double.pi * cycles
    }

    func run(_ scenes: [Scene]) throws -> Run {
        let calibration = try CalibrationTests.calibrate(
            pelvisMount: Self.pelvisMount, upperMount: withUpperSensor ? Self.upperMount : nil)
        let estimator = calibrated
            ? SegmentAngleEstimator(calibration: calibration)
            : SegmentAngleEstimator(pelvis: .standard, upperLumbar: withUpperSensor ? .standard : nil)
        let reference = calibrated ? calibration.sittingReference : nil
        var classifier = ActivityClassifier()
        var noise = TestNoise(seed: 42)
        var result = Run()
        var reported: Activity?? = .none
        var start = 0.0
        var i = 0
        for scene in scenes {
            let end = start + scene.seconds
            while true {
                let t = Double(i) / rate
                guard t < end else { break }
                i += 1
                let (pelvis, upper, dynamic) = pose(scene.behaviour, t: t, start: start, noise: &noise)
                if scene.unseen { continue }
                let q0 = PostureRig.sensor(pelvis, mount: Self.pelvisMount)
                let q1 = PostureRig.sensor(upper, mount: Self.upperMount)
                let accel = q0.inverseRotate(Vector3(0, 0, standardGravity) + dynamic) + noise.vector(0.05)
                let gyro = noise.vector(0.01)
                let angles = estimator.angles(pelvis: q0, upperLumbar: withUpperSensor ? q1 : nil)
                let activity = classifier.update(
                    t: t, accel: accel, gyro: gyro, orientation: q0, angles: angles, sittingReference: reference)
                if reported != .some(activity) {
                    reported = .some(activity)
                    result.changes.append((t, activity))
                    result.sinceAtChanges.append(classifier.activitySince)
                }
            }
            start = end
        }
        result.steps = classifier.stepCount
        return result
    }
}

final class ActivityClassifierTests: XCTestCase {
    typealias Scene = ScriptedWearer.Scene

    /// The reported changes must be exactly the true ones (no flicker), each at most
    /// `maxLatency` seconds late.
    private func assertFollows(
        _ scenes: [Scene], wearer: ScriptedWearer = .init(), maxLatency: Double = 5,
        file: StaticString = #filePath, line: UInt = #line
    ) throws {
        var truth: [(t: Double, activity: Activity)] = []
        var t = 0.0
        for scene in scenes {
            if truth.last?.activity != scene.behaviour.truth { truth.append((t, scene.behaviour.truth)) }
            t += scene.seconds
        }
        let run = try wearer.run(scenes)
        let reported = run.changes.filter { $0.activity != nil }
        XCTAssertEqual(reported.map(\.activity), truth.map(\.activity), "changes \(run.changes)", file: file, line: line)
        for (r, e) in zip(reported, truth) {
            XCTAssertGreaterThanOrEqual(r.t, e.t, "\(e.activity) reported early", file: file, line: line)
            XCTAssertLessThanOrEqual(r.t - e.t, maxLatency, "\(e.activity) reported late at \(r.t)", file: file, line: line)
        }
    }

    func testSitStandTransitionsWithinFiveSecondsWithoutFlicker() throws {
        try assertFollows([
            Scene(behaviour: .standing, seconds: 20),
            Scene(behaviour: .sitting, seconds: 30),
            Scene(behaviour: .slouching, seconds: 20),  // more posterior: still sitting
            Scene(behaviour: .leaningForward, seconds: 15),  // anterior, but still sitting
            Scene(behaviour: .sitting, seconds: 10),
            Scene(behaviour: .standingUp, seconds: 2),
            Scene(behaviour: .standing, seconds: 20),
            Scene(behaviour: .sitting, seconds: 20),
        ])
    }

    /// A sensor lost for longer than a sit-to-stand takes: the posture before the gap is not
    /// reported after it (the wearer may have got up), but found again from the new samples,
    /// as at start-up; a gap shorter than any posture change keeps it.
    func testAfterALongGapThePostureIsSeenAgainNotAssumed() throws {
        let wearer = ScriptedWearer()
        let stillSitting = try wearer.run([
            Scene(behaviour: .sitting, seconds: 30), Scene(behaviour: .sitting, seconds: 60, unseen: true),
            Scene(behaviour: .sitting, seconds: 20),
        ])
        let after = stillSitting.changes.filter { $0.t >= 90 }
        XCTAssertEqual(after.first?.activity, .some(nil), "unknown at the first sample after the gap: \(stillSitting.changes)")
        XCTAssertEqual(after.first.map(\.t) ?? 0, 90, accuracy: 0.02, "\(stillSitting.changes)")
        let seenAgain = try XCTUnwrap(after.first { $0.activity == .sitting }, "sitting never seen again: \(stillSitting.changes)")
        XCTAssertLessThanOrEqual(seenAgain.t - 90, 5, "sitting seen again late: \(stillSitting.changes)")

        let stoodUp = try wearer.run([
            Scene(behaviour: .sitting, seconds: 30), Scene(behaviour: .standingUp, seconds: 2, unseen: true),
            Scene(behaviour: .standing, seconds: 58, unseen: true), Scene(behaviour: .standing, seconds: 20),
        ])
        let afterStanding = stoodUp.changes.filter { $0.t >= 90 }
        XCTAssertFalse(afterStanding.contains { $0.activity == .sitting }, "sitting claimed after the gap: \(stoodUp.changes)")
        let standing = try XCTUnwrap(afterStanding.first { $0.activity == .standing }, "standing never seen: \(stoodUp.changes)")
        XCTAssertLessThanOrEqual(standing.t - 90, 5, "\(stoodUp.changes)")

        let brief = try wearer.run([
            Scene(behaviour: .sitting, seconds: 30), Scene(behaviour: .sitting, seconds: 1, unseen: true),
            Scene(behaviour: .sitting, seconds: 20),
        ])
        XCTAssertEqual(brief.changes.filter { $0.t > 20 }.count, 0, "a 1 s gap changed what is reported: \(brief.changes)")
    }

    func testSitStandWithOneSensor() throws {
        try assertFollows(
            [
                Scene(behaviour: .standing, seconds: 15), Scene(behaviour: .sitting, seconds: 20),
                Scene(behaviour: .slouching, seconds: 15), Scene(behaviour: .standingUp, seconds: 2),
                Scene(behaviour: .standing, seconds: 15),
            ],
            wearer: ScriptedWearer(withUpperSensor: false))
    }

    func testWalkingDetectedWithinFiveSecondsAndEnds() throws {
        try assertFollows([
            Scene(behaviour: .standing, seconds: 15),
            Scene(behaviour: .walking(stepFrequency: 1.8), seconds: 40),
            Scene(behaviour: .standing, seconds: 15),
            Scene(behaviour: .walking(stepFrequency: 1.6), seconds: 20),
            Scene(behaviour: .sitting, seconds: 15),
        ])
    }

    func testLyingDetectedWithinFiveSecondsAndLeft() throws {
        try assertFollows([
            Scene(behaviour: .sitting, seconds: 20),
            Scene(behaviour: .lying, seconds: 30),
            Scene(behaviour: .sitting, seconds: 20),
            Scene(behaviour: .standingUp, seconds: 2),
            Scene(behaviour: .standing, seconds: 15),
        ])
    }

    func testFidgetingVibrationAndBriefBendsDoNotFlicker() throws {
        try assertFollows([
            Scene(behaviour: .sitting, seconds: 15),
            Scene(behaviour: .fidgeting, seconds: 42),
            Scene(behaviour: .vibratingSeat, seconds: 30),
            Scene(behaviour: .sitting, seconds: 5),  // the car stops before one gets out
            Scene(behaviour: .standingUp, seconds: 2),
            Scene(behaviour: .standing, seconds: 10),
            Scene(behaviour: .briefBends, seconds: 40),
        ])
    }

    func testLeaningOverADeskIsStillSitting() throws {
        // Angles alone say standing; no hip rise says it is not.
        try assertFollows([
            Scene(behaviour: .sitting, seconds: 20), Scene(behaviour: .leaningOverDesk, seconds: 120),
            Scene(behaviour: .sitting, seconds: 10), Scene(behaviour: .standingUp, seconds: 2),
            Scene(behaviour: .standing, seconds: 10),
        ])
    }

    func testStandingAnglesWithoutARiseBecomeStandingOnlyAfterTheSafetyNet() throws {
        let run = try ScriptedWearer().run([
            Scene(behaviour: .sitting, seconds: 20), Scene(behaviour: .standing, seconds: 620),
        ])
        let standing = try XCTUnwrap(run.changes.last)
        XCTAssertEqual(standing.activity, .standing)
        XCTAssertEqual(standing.t, 20 + ActivityClassifier.Parameters().standingWithoutRiseDwell, accuracy: 5)
    }

    func testStepCountWithinTenPercent() throws {
        for (frequency, rate) in [(1.6, 100.0), (1.8, 100), (2.0, 100), (1.8, 50), (1.7, 200)] {
            let seconds = 60.0
            let run = try ScriptedWearer(rate: rate).run([
                Scene(behaviour: .standing, seconds: 10),
                Scene(behaviour: .walking(stepFrequency: frequency), seconds: seconds),
                Scene(behaviour: .standing, seconds: 10),
            ])
            let expected = ScriptedWearer.walkingPhase(stepFrequency: frequency, seconds: seconds) / (2 * .pi)
            XCTAssertEqual(Double(run.steps), expected, accuracy: 0.1 * expected, "\(frequency) Hz at \(rate) Hz")
        }
    }

    func testStepCountWithIrregularNoisyGait() throws {
        for frequency in [1.6, 1.8, 2.0] {
            let seconds = 60.0
            let run = try ScriptedWearer(gaitIrregularity: 1).run([
                Scene(behaviour: .standing, seconds: 10),
                Scene(behaviour: .walking(stepFrequency: frequency), seconds: seconds),
                Scene(behaviour: .standing, seconds: 10),
            ])
            let expected = ScriptedWearer.walkingPhase(stepFrequency: frequency, seconds: seconds, irregularity: 1) / (2 * .pi)
            XCTAssertEqual(Double(run.steps), expected, accuracy: 0.1 * expected, "\(frequency) Hz")
            XCTAssertEqual(run.changes.compactMap(\.activity), [.standing, .walking, .standing])
        }
    }

    func testGettingUpAndSittingDownMovements() throws {
        // The truth changes when the movement starts; the burst must not look like walking.
        try assertFollows([
            Scene(behaviour: .sitting, seconds: 20), Scene(behaviour: .standingUp, seconds: 2),
            Scene(behaviour: .standing, seconds: 20), Scene(behaviour: .sittingDown, seconds: 2),
            Scene(behaviour: .sitting, seconds: 20),
        ])
    }

    func testNoStepsWhileNotWalking() throws {
        let run = try ScriptedWearer().run([
            Scene(behaviour: .sitting, seconds: 10), Scene(behaviour: .fidgeting, seconds: 30),
            Scene(behaviour: .vibratingSeat, seconds: 20), Scene(behaviour: .standing, seconds: 10),
        ])
        XCTAssertEqual(run.steps, 0)
    }

    func testActivitySinceDatesBackToTheEvidence() throws {
        let run = try ScriptedWearer().run([
            Scene(behaviour: .standing, seconds: 20), Scene(behaviour: .sitting, seconds: 20),
        ])
        XCTAssertEqual(run.changes.last?.activity, .sitting)
        let since = try XCTUnwrap(run.sinceAtChanges.last ?? nil)
        XCTAssertEqual(since, 20, accuracy: 0.2)
    }

    func testUncalibratedReportsOnlyWhatItCanKnow() throws {
        let run = try ScriptedWearer(calibrated: false).run([
            Scene(behaviour: .standing, seconds: 15),
            Scene(behaviour: .walking(stepFrequency: 1.8), seconds: 20),
            Scene(behaviour: .sitting, seconds: 15),
        ])
        // Upright and still is unknown (nil) before calibration; walking is still walking.
        XCTAssertEqual(run.changes.map(\.activity), [nil, .walking, nil])
        XCTAssertEqual(run.changes[1].t, 15, accuracy: 5)
    }

    func testNonFiniteSamplesAreIgnored() {
        var classifier = ActivityClassifier()
        let angles = SegmentAngles(pelvicTilt: 0, pelvicObliquity: 0, lumbarFlexion: nil)
        let reference = SittingReference(pelvicTilt: -18, lumbarFlexion: nil)
        // Sensor x up: a quarter turn about y takes x onto earth z.
        let upright = Quaternion(axis: Vector3(0, 1, 0), angle: -Double.pi / 2)
        for i in 0..<500 {
            let accel = i % 50 == 0 ? Vector3(.nan, 0, 0) : Vector3(9.81, 0, 0)
            classifier.update(
                t: Double(i) / 100, accel: accel, gyro: .zero, orientation: upright, angles: angles,
                sittingReference: reference)
        }
        XCTAssertEqual(classifier.activity, .standing)
    }
}

// MARK: - Against the simulated wearer (PostureSim)

/// Calibration → angles → classifier on PostureSim's scenarios (realistic mounting
/// misalignment, noise, gyro bias, sit-to-stand dynamics, gait). Angles come from the
/// wearer's true sensor orientations, so this tests these pieces, not the filter.
final class ActivityClassifierTestsOnSimulatedWearer: XCTestCase {
    struct Outcome {
        /// Fraction of samples, outside transitions and 5 s after each true change, where
        /// the reported activity differs from the truth.
        var wrongFraction: Double
        var steps: Int
        var trueSteps: Int
    }

    private func replay(_ name: String, seed: UInt64 = 1) throws -> Outcome {
        let scenario = try XCTUnwrap(Scenario.named(name, seed: seed))
        let wearer = scenario.makeWearer()
        var standing = PoseCapture(pose: .standing)
        var sitting = PoseCapture(pose: .sitting)
        for sample in wearer.makeSamples(to: scenario.sitWindow.upperBound + 1) {
            if scenario.standWindow.contains(sample.t) { standing.add(sample) }
            if scenario.sitWindow.contains(sample.t) { sitting.add(sample) }
        }
        let calibration = try Calibration(standing: standing.result().get(), sitting: sitting.result().get())
        let estimator = SegmentAngleEstimator(calibration: calibration)
        var classifier = ActivityClassifier()
        var wrong = 0, counted = 0
        var lastTruth: Activity?
        var lastTruthChange = 0.0
        for sample in wearer.makeSamples() where sample.sensor == SensorIndex.pelvis {
            let angles = estimator.angles(
                pelvis: wearer.orientation(sensor: 0, at: sample.t),
                upperLumbar: scenario.sensorCount > 1 ? wearer.orientation(sensor: 1, at: sample.t) : nil)
            let activity = classifier.update(
                t: sample.t, accel: sample.accel, gyro: sample.gyro, orientation: wearer.orientation(sensor: 0, at: sample.t),
                angles: angles, sittingReference: calibration.sittingReference)
            let truth = wearer.truth(at: sample.t)
            if truth.activity != lastTruth {
                lastTruth = truth.activity
                lastTruthChange = sample.t
            }
            guard sample.t > scenario.sitWindow.upperBound, !truth.inTransition, sample.t - lastTruthChange > 5 else {
                continue
            }
            counted += 1
            if activity != truth.activity { wrong += 1 }
        }
        return Outcome(
            wrongFraction: Double(wrong) / Double(max(counted, 1)), steps: classifier.stepCount,
            trueSteps: wearer.truth(at: wearer.duration).steps)
    }

    func testWalkScenario() throws {
        let outcome = try replay("walk")
        XCTAssertLessThan(outcome.wrongFraction, 0.01)
        XCTAssertEqual(Double(outcome.steps), Double(outcome.trueSteps), accuracy: 0.1 * Double(outcome.trueSteps))
    }

    func testLyingScenario() throws {
        XCTAssertLessThan(try replay("lying").wrongFraction, 0.01)
    }

    func testLeaningForwardToTheDeskIsSitting() throws {
        XCTAssertLessThan(try replay("lean-forward").wrongFraction, 0.01)
    }

    func testFidgetingIsSitting() throws {
        XCTAssertLessThan(try replay("fidget").wrongFraction, 0.01)
    }

    func testOneSensorSlouchScenario() throws {
        XCTAssertLessThan(try replay("slouch-one-sensor").wrongFraction, 0.01)
    }
}
