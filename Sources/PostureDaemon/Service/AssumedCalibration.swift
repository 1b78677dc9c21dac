public import PostureCore

extension Calibration {
    /// The calibration the daemon runs with until the wearer calibrates: the configured
    /// mountings taken at face value, standing tall with the sensors exactly as mounted and
    /// sitting upright at a typical posterior pelvic tilt. `status` reports it as
    /// "not calibrated"; angles are then only as good as the sticker's placement.
    public static func assumed(
        sensorCount: Int, pelvisMount: SensorMounting = .standard, upperLumbarMount: SensorMounting = .standard
    ) -> Calibration? {
        /// Typical pelvic tilt of upright sitting relative to standing (architecture note:
        /// −15° to −20°).
        let typicalSittingTilt = -17.0
        func pose(_ mount: SensorMounting, tilt: Double) -> SensorPose {
            // Earth-up in body coordinates for a sagittal tilt θ is (−sin θ, 0, cos θ).
            let θ = tilt.radians
            let up = mount.bodyX * -Double.sin(θ) + mount.bodyZ * Double.cos(θ)
            return SensorPose(up: up, sampleCount: 1, gyroRMS: 0, accelStd: 0, meanAccelNorm: standardGravity)
        }
        let twoSensors = sensorCount > 1
        let standing = CapturedPose(
            pose: .standing, pelvis: pose(pelvisMount, tilt: 0),
            upperLumbar: twoSensors ? pose(upperLumbarMount, tilt: 0) : nil)
        let sitting = CapturedPose(
            pose: .sitting, pelvis: pose(pelvisMount, tilt: typicalSittingTilt),
            upperLumbar: twoSensors ? pose(upperLumbarMount, tilt: typicalSittingTilt) : nil)
        return try? Calibration(
            standing: standing, sitting: sitting, pelvisPrior: .declared(pelvisMount),
            upperLumbarPrior: .declared(upperLumbarMount))
    }
}
