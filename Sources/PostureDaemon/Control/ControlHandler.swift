public import PostureControl
public import PostureCore

/// What the control server may ask of the daemon. `DaemonCore` implements it; tests use a
/// test double. The server calls these from its own tasks, never from the sampling thread,
/// and may call several concurrently (one client's `watch` while another asks `status`).
///
/// Errors are `ControlError`s so the daemon chooses the code and the wording the client
/// shows (`unavailable`, `failed`, …). Cancellation: when a client disconnects or the server
/// shuts down, the task running the call is cancelled; long calls (`calibrate`) should
/// notice (`Task.isCancelled` / `Task.checkCancellation()`), abandon the capture and keep
/// the previous state, then throw or return.
public protocol ControlHandler: Sendable {
    /// A snapshot for `status`. Should be cheap: a copy of the supervisor's latest view.
    func status() async -> StatusReport

    /// The latest posture for `watch`, or `nil` before the first tick. Called at the
    /// client's rate (≤ 50 Hz per watching client): must not wait for the next tick.
    func latestFrame() async -> WatchFrame?

    /// Runs a guided two-pose calibration (standing tall, then sitting upright), reporting
    /// each step through `progress` (cheap, non-blocking, callable from any thread), and
    /// applies the calibration only if both poses succeed. The server lets one calibration
    /// run at a time; a pose failure is thrown as `.failed` with the reason as the message.
    func calibrate(progress: @escaping @Sendable (CalibrationProgress) -> Void) async throws(ControlError) -> CalibrationReport

    /// Suppresses nudges for `seconds` (already checked: 0 < seconds ≤ 24 h), or for the
    /// configured default when `nil`.
    func snooze(seconds: Double?) async throws(ControlError) -> SnoozeResult

    /// Ends a snooze (idempotent).
    func resume() async throws(ControlError) -> ResumeResult

    /// Plays the pattern of `reason` (the daemon's choice when `nil`) on the indicators now,
    /// outside the policy: no snooze, quiet hours or daily cap, and not counted.
    func testNudge(reason: NudgeReason?) async throws(ControlError) -> TestNudgeResult

    /// Re-reads the configuration file and applies what can change at run time; a bad file
    /// is thrown as `.failed` with its diagnostics and leaves the running configuration alone.
    func reload() async throws(ControlError) -> ReloadResult

    /// A stream of the raw samples of each tick, for `record`. The server stops iterating
    /// when the client goes away, which terminates the stream: use `onTermination` to
    /// unsubscribe. Create it with a bounded buffering policy so a slow consumer costs
    /// memory, never the sampling loop's time; and `.bufferingOldest(n)`, finishing the
    /// stream with a `ControlError` saying why as soon as a batch would be dropped: a
    /// recording ends, truthfully, rather than go on with a hole in it.
    func rawSamples() async throws(ControlError) -> AsyncThrowingStream<[IMUSample], any Error>
}
