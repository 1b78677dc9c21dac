import PostureCore
import XCTest

/// Builds sensor readings from physical body poses, for the posture tests.
///
/// A body pose is a body-to-earth rotation (body frame: x anterior, y left, z up).
/// A sensor's sensor-to-earth orientation is body-to-earth ∘ sensor-to-body, and a still
/// accelerometer reads g times earth-up in the sensor frame.
enum PostureRig {
    static let anterior = Vector3(1, 0, 0)
    static let left = Vector3(0, 1, 0)
    static let up = Vector3(0, 0, 1)

    /// Pelvis tilted `degrees` anteriorly (negative: posterior): a rotation about body
    /// y (left) that turns body z towards anterior x.
    static func tilt(_ degrees: Double) -> Quaternion { Quaternion(axis: left, angle: degrees.radians) }

    /// Left side raised by `degrees`: a rotation about body x (anterior) that turns
    /// body y (left) upwards.
    static func raiseLeft(_ degrees: Double) -> Quaternion { Quaternion(axis: anterior, angle: degrees.radians) }

    /// The default mounting's sensor-to-body rotation, made unexact by a yaw of the
    /// sticker about the spine (sensor x) and an inclination about sensor y (the sacrum
    /// slopes), both in degrees.
    static func mount(yaw: Double = 0, pitch: Double = 0) -> Quaternion {
        SensorMounting.standard.sensorToBody
            * Quaternion(axis: Vector3(1, 0, 0), angle: yaw.radians)
            * Quaternion(axis: Vector3(0, 1, 0), angle: pitch.radians)
    }

    /// Sensor-to-earth orientation of a sensor mounted by `mount` on a body posed `body`.
    static func sensor(_ body: Quaternion, mount: Quaternion) -> Quaternion { body * mount }

    /// Still accelerometer reading of that sensor.
    static func stillAccel(_ body: Quaternion, mount: Quaternion) -> Vector3 {
        sensor(body, mount: mount).upInBodyFrame * standardGravity
    }
}

final class SegmentAnglesTests: XCTestCase {
    let standard = SegmentAngleEstimator(pelvis: .standard, upperLumbar: .standard)
    let exactMount = PostureRig.mount()

    private func angles(pelvis: Quaternion, upper: Quaternion? = nil) -> SegmentAngles {
        standard.angles(
            pelvis: PostureRig.sensor(pelvis, mount: exactMount),
            upperLumbar: upper.map { PostureRig.sensor($0, mount: exactMount) })
    }

    func testStandardMountingIsTheArchitectureNotesMounting() {
        // Sensor x up the spine, y left, z out of the back.
        let m = SensorMounting.standard
        XCTAssertEqual(m.toBody(Vector3(1, 0, 0)), PostureRig.up)
        XCTAssertEqual(m.toBody(Vector3(0, 1, 0)), PostureRig.left)
        XCTAssertEqual(m.toBody(Vector3(0, 0, 1)), -PostureRig.anterior)
        let q = m.sensorToBody
        for v in [Vector3(1, 0, 0), Vector3(0, 1, 0), Vector3(0, 0, 1)] {
            XCTAssertLessThan((q.rotate(v) - m.toBody(v)).norm, 1e-12)
        }
        // Standing on the default mounting, gravity is along sensor +x.
        XCTAssertLessThan((PostureRig.stillAccel(.identity, mount: exactMount) - Vector3(standardGravity, 0, 0)).norm, 1e-9)
    }

    func testStandingNeutralIsZero() {
        let a = angles(pelvis: .identity, upper: .identity)
        XCTAssertEqual(a.pelvicTilt, 0, accuracy: 1e-9)
        XCTAssertEqual(a.pelvicObliquity, 0, accuracy: 1e-9)
        XCTAssertEqual(a.lumbarFlexion ?? .nan, 0, accuracy: 1e-9)
    }

    func testAnteriorTiltIsPositive() {
        for degrees in [5.0, 20, 45, -18, -35] {
            let a = angles(pelvis: PostureRig.tilt(degrees))
            XCTAssertEqual(a.pelvicTilt, degrees, accuracy: 1e-9, "tilt \(degrees)")
            XCTAssertEqual(a.pelvicObliquity, 0, accuracy: 1e-9, "no obliquity from a pure tilt")
        }
    }

    func testLeftSideHigherIsPositiveObliquity() {
        for degrees in [3.0, 10, -7] {
            let a = angles(pelvis: PostureRig.raiseLeft(degrees))
            XCTAssertEqual(a.pelvicObliquity, degrees, accuracy: 1e-9, "obliquity \(degrees)")
            XCTAssertEqual(a.pelvicTilt, 0, accuracy: 1e-9, "no tilt from a pure roll")
        }
    }

    func testTiltThenRollDecomposesExactly() {
        // The documented decomposition: body-to-earth = Rx(obliquity) · Ry(tilt).
        let a = angles(pelvis: PostureRig.raiseLeft(8) * PostureRig.tilt(-25))
        XCTAssertEqual(a.pelvicTilt, -25, accuracy: 1e-9)
        XCTAssertEqual(a.pelvicObliquity, 8, accuracy: 1e-9)
        XCTAssertEqual(a.pelvisInclination, PostureRig.up.angle(to: (PostureRig.raiseLeft(8) * PostureRig.tilt(-25)).rotate(PostureRig.up)).degrees, accuracy: 1e-9)
    }

    func testLumbarFlexionIsUpperMinusPelvis() {
        // Slumped sitting: pelvis 25° posterior, upper lumbar 5° posterior → flexed 20°.
        let a = angles(pelvis: PostureRig.tilt(-25), upper: PostureRig.tilt(-5))
        XCTAssertEqual(a.lumbarFlexion ?? .nan, 20, accuracy: 1e-9)
        // Upper segment forward more than the pelvis = flexion, even when both are anterior.
        let b = angles(pelvis: PostureRig.tilt(10), upper: PostureRig.tilt(40))
        XCTAssertEqual(b.lumbarFlexion ?? .nan, 30, accuracy: 1e-9)
        // Arching back (extension) is negative.
        let c = angles(pelvis: PostureRig.tilt(15), upper: PostureRig.tilt(5))
        XCTAssertEqual(c.lumbarFlexion ?? .nan, -10, accuracy: 1e-9)
    }

    func testOneSensorGivesNilLumbarFlexion() {
        let onePelvis = SegmentAngleEstimator(pelvis: .standard, upperLumbar: nil)
        let q = PostureRig.sensor(PostureRig.tilt(-15), mount: exactMount)
        XCTAssertNil(onePelvis.angles(pelvis: q, upperLumbar: q).lumbarFlexion)
        XCTAssertNil(standard.angles(pelvis: q, upperLumbar: nil).lumbarFlexion)
        XCTAssertEqual(onePelvis.angles(pelvis: q, upperLumbar: nil).pelvicTilt, -15, accuracy: 1e-9)
    }

    func testAnglesFromGravityVectorIncludingLying() {
        // Lying on the back: body x (anterior) points up, so the sagittal angle is −90°.
        let supine = PostureRig.tilt(-90)
        let accel = PostureRig.stillAccel(supine, mount: exactMount)
        let a = standard.angles(pelvisUp: accel, upperLumbarUp: nil)
        XCTAssertEqual(a.pelvicTilt, -90, accuracy: 1e-6)
        XCTAssertEqual(a.pelvisInclination, 90, accuracy: 1e-6)
        let prone = standard.angles(pelvisUp: PostureRig.stillAccel(PostureRig.tilt(90), mount: exactMount), upperLumbarUp: nil)
        XCTAssertEqual(prone.pelvicTilt, 90, accuracy: 1e-6)
        // Gravity length does not matter.
        let scaled = standard.angles(pelvisUp: accel * 0.37, upperLumbarUp: nil)
        XCTAssertEqual(scaled.pelvicTilt, a.pelvicTilt, accuracy: 1e-9)
    }

    func testLumbarFlexionWrapsAcrossPlusMinus180() {
        // Upside-down extremes must not report a 350° flexion.
        let a = angles(pelvis: PostureRig.tilt(175), upper: PostureRig.tilt(-175))
        XCTAssertEqual(a.lumbarFlexion ?? .nan, 10, accuracy: 1e-6)
    }

    // MARK: - Mount remap

    func testRemapDefaultIsStandard() throws {
        XCTAssertEqual(try SensorMounting(remap: "x,y,z"), .standard)
        XCTAssertEqual(try SensorMounting(remap: " +X, y ,Z "), .standard)
    }

    func testRemapNamesTheSensorAxisOfEachDefaultAxis() throws {
        // "-y,x,z": sensor −y up the spine, sensor x to the left, sensor z out of the back.
        let m = try SensorMounting(remap: "-y,x,z")
        XCTAssertEqual(m.toBody(Vector3(0, -1, 0)), PostureRig.up)
        XCTAssertEqual(m.toBody(Vector3(1, 0, 0)), PostureRig.left)
        XCTAssertEqual(m.toBody(Vector3(0, 0, 1)), -PostureRig.anterior)
        // A sensor physically mounted that way reads the same angles as the default one.
        let physical = m.sensorToBody
        let estimator = SegmentAngleEstimator(pelvis: m, upperLumbar: nil)
        let a = estimator.angles(pelvis: PostureRig.sensor(PostureRig.tilt(12), mount: physical), upperLumbar: nil)
        XCTAssertEqual(a.pelvicTilt, 12, accuracy: 1e-9)
    }

    func testRemapErrors() {
        XCTAssertThrowsError(try SensorMounting(remap: "x,y")) { XCTAssertEqual($0 as? MountRemapError, .wrongEntryCount("x,y")) }
        XCTAssertThrowsError(try SensorMounting(remap: "x,w,z")) { XCTAssertEqual($0 as? MountRemapError, .unknownAxis("w")) }
        XCTAssertThrowsError(try SensorMounting(remap: "x,x,z")) { XCTAssertEqual($0 as? MountRemapError, .repeatedAxis("x,x,z")) }
        XCTAssertThrowsError(try SensorMounting(remap: "-x,y,z")) { XCTAssertEqual($0 as? MountRemapError, .mirrored("-x,y,z")) }
        XCTAssertThrowsError(try SensorMounting(remap: "x,y,--z"))
    }
}
