/// Constants of the control protocol shared by the daemon and `posturectl`.
///
/// One JSON object per line in each direction (see `docs/control-protocol.md`). Every
/// message carries `"v"`: a daemon answers a request of another version with
/// `unsupported_version` instead of guessing what it meant.
public enum ControlProtocol {
    /// The protocol version spoken by this build.
    public static let version = 1

    /// The longest line either side accepts, newline excluded. Real requests are under
    /// 200 bytes and the largest reply (status) is a few KiB; the limit only bounds what
    /// a broken or hostile client can make the daemon buffer.
    public static let maxLineBytes = 64 * 1024

    /// The socket's file name inside the runtime directory.
    public static let socketFileName = "control.sock"

    /// Where the daemon listens when systemd gives it no runtime directory.
    public static let defaultRuntimeDirectory = "/run/postured"

    /// The socket path: `$RUNTIME_DIRECTORY/control.sock` when set (systemd's
    /// `RuntimeDirectory=`; it may list several directories separated by ':', the first
    /// is ours), else `/run/postured/control.sock`.
    public static func defaultSocketPath(environment: [String: String]) -> String {
        let runtime = environment["RUNTIME_DIRECTORY"]?
            .split(separator: ":", omittingEmptySubsequences: true).first.map(String.init)
        let directory = runtime ?? defaultRuntimeDirectory
        return directory.hasSuffix("/") ? directory + socketFileName : directory + "/" + socketFileName
    }

    /// `watch` rates outside this range are clamped: below 1 Hz a "live" view is not
    /// live, above 50 Hz the terminal cannot show it and the socket only carries noise.
    public static let watchRates: ClosedRange<Double> = 1...50

    /// The `watch` rate when the request names none.
    public static let defaultWatchRate = 5.0

    /// The longest snooze a request may ask for; `resume` ends one early.
    public static let maxSnoozeSeconds = 24.0 * 3600
}
