import PostureCore

extension ReplayOutput {
    /// What `posturectl replay` says about its calibration, on standard error (stdout is the
    /// CLI contract): the stretch of each window the pose came from, the stand-to-sit turn,
    /// how the lateral axis was found, and any warning.
    public static func calibrationLines(_ calibrated: ReplayCalibration, replay: Replay) -> [String] {
        var lines = [calibrated.standing, calibrated.sitting].map { pose in
            "calibration: \(replay.flag(pose.pose)): \(pose.pose.rawValue) pose "
                + (pose.stillStretch.map { "\($0.summary), \(jsonNumber($0.start, decimals: 2))–\(jsonNumber($0.end, decimals: 2)) s" } ?? "assumed")
        }
        let calibration = calibrated.calibration
        let pelvis = calibration.pelvis
        let knowledge = pelvis.mountingKnowledge == .declared ? "judged against the configured mount" : "no mount configured"
        lines.append(
            "calibration: stand-to-sit \(jsonNumber(pelvis.standToSitDegrees, decimals: 1))°, sitting pelvic tilt "
                + "\(jsonNumber(calibration.sittingPelvicTilt, decimals: 1))°; lateral axis \(pelvis.lateralAxis.rawValue) "
                + "(\(knowledge))")
        lines += calibration.warnings.map { "warning: \($0)" }
        return lines
    }
}
