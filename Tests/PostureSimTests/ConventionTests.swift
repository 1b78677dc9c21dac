import PostureCore
import XCTest
@testable import PostureSim

/// Sign conventions, derived from architecture.md rather than from the model.
///
/// Default mount: sensor x = segment +z (up the spine), sensor y = segment +y (left),
/// sensor z = segment −x (out of the back). At rest the accelerometer reads g·u, u = earth
/// up in the sensor frame. A pure anterior pelvic tilt θ (positive rotation about +y) tilts
/// the segment's up axis forward, so earth up seen from the segment is (−sin θ, 0, cos θ):
/// the sensor reads x = g cos θ (less than g for either sign) and z = −(−g sin θ) = +g sin θ.
/// So anterior tilt ⇒ accel z > 0 (the back faces the sky a little); the x component only
/// drops. Left side higher (obliquity φ > 0) ⇒ earth up has +y component ⇒ accel y > 0.
final class ConventionTests: XCTestCase {
    let g = standardGravity

    private func wearer(_ segment: PostureSegment) -> SimulatedWearer {
        SimulatedWearer(timeline: stillTimeline([segment]), seed: 1, config: .ideal)
    }

    func testAnteriorPelvicTiltMakesPelvisAccelZPositive() {
        let w = wearer(PostureSegment(.stand, duration: 20, pelvicTilt: 20, pelvicObliquity: 0, lumbarFlexion: 0, fidgetsPerMinute: 0))
        let standing = w.sample(sensor: 0, at: 5).accel
        XCTAssertEqual(standing.x, g, accuracy: 0.02)
        XCTAssertEqual(standing.z, 0, accuracy: 0.08)  // postural sway ±0.3°
        let tilted = w.sample(sensor: 0, at: 25).accel
        XCTAssertEqual(tilted.z, g * Double.sin(20.0.radians), accuracy: 0.08)
        XCTAssertEqual(tilted.x, g * Double.cos(20.0.radians), accuracy: 0.03)
        XCTAssertEqual(w.truth(at: 25).pelvicTilt, 20, accuracy: 0.5)
        // Sensor 1 with no lumbar flexion has the same inclination.
        XCTAssertEqual(w.sample(sensor: 1, at: 25).accel.z, g * Double.sin(20.0.radians), accuracy: 0.1)
    }

    func testPosteriorTiltOfSittingMakesAccelZNegative() {
        let w = wearer(PostureSegment(.sitUpright, duration: 20, pelvicTilt: -17, lumbarFlexion: 0, fidgetsPerMinute: 0))
        XCTAssertEqual(w.sample(sensor: 0, at: 25).accel.z, -g * Double.sin(17.0.radians), accuracy: 0.05)
    }

    func testLeftSideHigherMakesAccelYPositive() {
        let w = wearer(PostureSegment(.stand, duration: 20, pelvicTilt: 0, pelvicObliquity: 10, lumbarFlexion: 0, fidgetsPerMinute: 0))
        XCTAssertEqual(w.sample(sensor: 0, at: 25).accel.y, g * Double.sin(10.0.radians), accuracy: 0.05)
        XCTAssertEqual(w.truth(at: 25).pelvicObliquity, 10, accuracy: 0.3)
    }

    func testLumbarFlexionTiltsUpperSensorForward() {
        let w = wearer(PostureSegment(.stand, duration: 20, pelvicTilt: 0, lumbarFlexion: 25, fidgetsPerMinute: 0))
        let s0 = w.sample(sensor: 0, at: 25).accel, s1 = w.sample(sensor: 1, at: 25).accel
        XCTAssertEqual(s0.z, 0, accuracy: 0.08)
        XCTAssertEqual(s1.z, g * Double.sin(25.0.radians), accuracy: 0.1)
        // Flexion = sagittal inclination of sensor 1 minus sensor 0, from the accelerometers.
        let incl0 = Double.atan2(s0.z, s0.x).degrees, incl1 = Double.atan2(s1.z, s1.x).degrees
        XCTAssertEqual(incl1 - incl0, w.truth(at: 25).lumbarFlexion, accuracy: 0.5)
    }

    /// Supine: trunk horizontal, the back faces down ⇒ accel z ≈ −g, body up axis horizontal.
    func testSupineLyingReadsMinusGAlongBackNormal() {
        let w = wearer(PostureSegment(.lieSupine, duration: 20, fidgetsPerMinute: 0))
        let a = w.sample(sensor: 0, at: 25).accel
        XCTAssertEqual(a.z, -g, accuracy: 0.05)
        XCTAssertEqual(a.x, 0, accuracy: 0.1)
        XCTAssertEqual(w.truth(at: 25).activity, .lying)
        XCTAssertEqual(w.truth(at: 25).pelvicTilt, -90, accuracy: 0.5)
    }

    /// Truth angles are exactly the definitions applied to the true segment orientation.
    func testTruthMatchesOrientationDefinitions() throws {
        let w = try XCTUnwrap(Scenario.named("workday", seed: 2)).makeWearer(config: .ideal)
        for t in stride(from: 30.0, to: 6400, by: 97.3) {
            let truth = w.truth(at: t)
            // Ideal config: no misalignment, so sensor → segment is the default mount.
            let u0 = (w.orientation(sensor: 0, at: t) * BodyModel.defaultMount.conjugate).upInBodyFrame
            let u1 = (w.orientation(sensor: 1, at: t) * BodyModel.defaultMount.conjugate).upInBodyFrame
            XCTAssertEqual(Double.atan2(-u0.x, u0.z).degrees, truth.pelvicTilt, accuracy: 1e-6)
            XCTAssertEqual(Double.asin(u0.y).degrees, truth.pelvicObliquity, accuracy: 1e-6)
            XCTAssertEqual(Double.atan2(-u1.x, u1.z).degrees - Double.atan2(-u0.x, u0.z).degrees, truth.lumbarFlexion, accuracy: 1e-6)
        }
    }
}
