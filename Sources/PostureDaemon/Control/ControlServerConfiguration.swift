public import PostureControl

/// How the control server listens and how much it lets each client cost.
public struct ControlServerConfiguration: Sendable {
    /// The socket path (`$RUNTIME_DIRECTORY/control.sock`).
    public var path: String
    /// The group that owns the socket and may change state; `nil` leaves the socket's group
    /// alone. A missing group is a warning, not an error, so a development run works.
    public var group: String?
    /// The socket's permission bits.
    public var mode: UInt32
    /// The longest request line.
    public var maxLineBytes: Int
    /// Bytes queued for one client before it counts as not reading and is disconnected.
    /// 256 KiB holds ~10 s of `record` at 100 Hz with two sensors, or minutes of `watch`.
    public var outputBufferLimit: Int
    /// Connections beyond this are answered `too_many_clients` and closed.
    public var maxClients: Int

    public init(
        path: String = ControlProtocol.defaultSocketPath(environment: [:]), group: String? = "postured",
        mode: UInt32 = 0o660, maxLineBytes: Int = ControlProtocol.maxLineBytes,
        outputBufferLimit: Int = 256 * 1024, maxClients: Int = 32
    ) {
        self.path = path
        self.group = group
        self.mode = mode
        self.maxLineBytes = maxLineBytes
        self.outputBufferLimit = outputBufferLimit
        self.maxClients = maxClients
    }
}

/// Why the control server could not start. Each names the path and what to do.
public enum ControlServerError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Another process accepts connections on the path (another postured, most likely).
    case socketInUse(path: String)
    /// Something that is not a socket is at the path; it is never removed.
    case notASocket(path: String)
    /// The path does not fit in a Unix socket address.
    case pathTooLong(path: String)
    /// A syscall failed.
    case system(path: String, operation: String, message: String)
    /// `run()` was called twice.
    case alreadyStarted

    public var description: String {
        switch self {
        case .socketInUse(let path):
            "control socket \(path) is in use by another process (is postured already running?)"
        case .notASocket(let path):
            "control socket path \(path) exists and is not a socket; remove it or choose another path"
        case .pathTooLong(let path):
            "control socket path \(path) is too long (at most \(UnixSocketAddress.maxPathBytes) bytes)"
        case .system(let path, let operation, let message):
            "control socket \(path): \(operation) failed: \(message)"
        case .alreadyStarted:
            "the control server was already started"
        }
    }
}
