/// The verbs a client may send. Raw values are the wire strings.
public enum ControlVerb: String, Sendable, Codable, CaseIterable {
    /// A snapshot of the daemon: sensors, sampling, calibration, posture, nudges, store.
    case status
    /// A stream of `WatchFrame`s at a requested rate, until the client goes away
    /// or `count` frames were sent.
    case watch
    /// Guided two-pose calibration: progress events, then a `CalibrationReport`.
    case calibrate
    /// Suppress nudges for a while.
    case snooze
    /// End a snooze early.
    case resume
    /// Play a nudge pattern on the indicator now.
    case testNudge = "test-nudge"
    /// Re-read the configuration file.
    case reload
    /// A stream of raw IMU samples (what `posturectl record` writes as CSV).
    case record

    /// Verbs that change the daemon's state or act on the wearer. They need the peer to
    /// be root, the daemon's own user, or a member of the socket's group; reading verbs
    /// are open to anyone who can connect (the socket's mode already limits that).
    public var changesState: Bool {
        switch self {
        case .calibrate, .snooze, .resume, .testNudge, .reload: true
        case .status, .watch, .record: false
        }
    }

    /// "status, watch, calibrate, …" for error messages.
    public static var list: String { allCases.map(\.rawValue).joined(separator: ", ") }
}
