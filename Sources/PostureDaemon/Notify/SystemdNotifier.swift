import CPostureShim
import Glibc

/// sd_notify(3), by hand: one datagram per message to the `AF_UNIX` socket in
/// `$NOTIFY_SOCKET` (a path, or `@name` in the abstract namespace). No libsystemd.
///
/// Without `$NOTIFY_SOCKET` (not started by systemd, or `Type=simple`) every call is a
/// no-op that returns true. Sendable by construction: the socket and address are fixed at
/// `init`, and `sendto` on a datagram socket is safe from any thread.
public final class SystemdNotifier: Sendable {
    /// The socket address as given (for messages), `nil` when notification is off.
    public let socketDescription: String?
    private let fd: Int32
    /// The `sockaddr_un` bytes and their length, built once.
    private let address: [UInt8]

    public enum NotifyError: Error, Equatable, CustomStringConvertible {
        case invalidSocketPath(String)
        case socketFailed(errno: Int32)
        case sendFailed(socket: String, errno: Int32)

        public var description: String {
            switch self {
            case .invalidSocketPath(let p): return "NOTIFY_SOCKET \"\(p)\" is not a usable AF_UNIX address"
            case .socketFailed(let e): return "cannot create the sd_notify socket: errno \(e)"
            case .sendFailed(let s, let e): return "sd_notify to \(s) failed: errno \(e)"
            }
        }
    }

    /// From the environment (`NOTIFY_SOCKET`).
    public convenience init(environment: [String: String]) throws(NotifyError) {
        try self.init(socket: environment["NOTIFY_SOCKET"])
    }

    /// From the process environment.
    public static func fromProcessEnvironment() throws(NotifyError) -> SystemdNotifier {
        try SystemdNotifier(socket: getenv("NOTIFY_SOCKET").map { String(cString: $0) })
    }

    /// - Parameter socket: a filesystem path, `@name` (abstract namespace), or nil/empty (off).
    public init(socket: String?) throws(NotifyError) {
        guard let socket, !socket.isEmpty else {
            socketDescription = nil
            fd = -1
            address = []
            return
        }
        guard socket.hasPrefix("/") || socket.hasPrefix("@") else { throw .invalidSocketPath(socket) }
        var path = Array(socket.utf8)
        if path[0] == UInt8(ascii: "@") { path[0] = 0 }  // abstract: a leading NUL, no terminator
        else { path.append(0) }
        let pathCapacity = MemoryLayout.size(ofValue: sockaddr_un().sun_path)
        guard path.count <= pathCapacity else { throw .invalidSocketPath(socket) }
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &addr.sun_path) { raw in
            for (i, b) in path.enumerated() { raw[i] = b }
        }
        let length = MemoryLayout<sockaddr_un>.offset(of: \sockaddr_un.sun_path)! + path.count
        address = withUnsafeBytes(of: &addr) { Array($0.prefix(length)) }
        let s = Glibc.socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard s >= 0 else { throw .socketFailed(errno: errno) }
        fd = s
        socketDescription = socket
    }

    deinit {
        if fd >= 0 { close(fd) }
    }

    public var isEnabled: Bool { fd >= 0 }

    /// Sends `state` (newline-separated `KEY=value` lines) as one datagram.
    @discardableResult
    public func notify(_ state: String) throws(NotifyError) -> Bool {
        guard fd >= 0, let socketDescription else { return true }
        var payload = Array(state.utf8)
        let sent = payload.withUnsafeMutableBytes { body in
            address.withUnsafeBytes { addr in
                addr.baseAddress!.withMemoryRebound(to: sockaddr.self, capacity: 1) { sa in
                    sendto(fd, body.baseAddress, body.count, Int32(MSG_NOSIGNAL), sa, socklen_t(addr.count))
                }
            }
        }
        guard sent >= 0 else { throw .sendFailed(socket: socketDescription, errno: errno) }
        return true
    }

    /// Start-up finished: systemd's `Type=notify` unit becomes active.
    public func ready(status: String? = nil) throws(NotifyError) {
        try notify("READY=1" + (status.map { "\nSTATUS=" + Self.oneLine($0) } ?? ""))
    }

    /// Free-form status shown by `systemctl status`.
    public func status(_ text: String) throws(NotifyError) { try notify("STATUS=" + Self.oneLine(text)) }

    /// Keeps the service watchdog (`WatchdogSec=`) from firing; send only while healthy.
    public func watchdog() throws(NotifyError) { try notify("WATCHDOG=1") }

    /// Asks systemd to act as if the watchdog fired now (the loop is stuck).
    public func watchdogTrigger() throws(NotifyError) { try notify("WATCHDOG=trigger") }

    public func stopping() throws(NotifyError) { try notify("STOPPING=1") }

    /// A reload began (`Type=notify-reload` requires MONOTONIC_USEC); send `ready()` when done.
    public func reloading() throws(NotifyError) {
        try notify("RELOADING=1\nMONOTONIC_USEC=\(posture_monotonic_ns() / 1000)")
    }

    private static func oneLine(_ s: String) -> String {
        String(s.map { $0 == "\n" || $0 == "\r" ? " " : $0 })
    }
}

/// The watchdog systemd expects, from `$WATCHDOG_USEC` and `$WATCHDOG_PID`.
public struct WatchdogSettings: Sendable, Equatable {
    /// `WatchdogSec=`: systemd's limit between two `WATCHDOG=1`.
    public var timeoutMicroseconds: UInt64

    /// Ping at half the timeout, as sd_watchdog_enabled(3) recommends.
    public var pingIntervalSeconds: Double { Double(timeoutMicroseconds) / 2e6 }

    /// `nil` when no watchdog is set, or it is meant for another process (`WATCHDOG_PID`).
    /// - Parameter pid: this process (`nil`: `getpid()`).
    public init?(environment: [String: String], pid: Int32? = nil) {
        let pid = pid ?? getpid()
        guard let text = environment["WATCHDOG_USEC"], let usec = UInt64(text), usec > 0 else { return nil }
        if let owner = environment["WATCHDOG_PID"], Int32(owner) != pid { return nil }
        timeoutMicroseconds = usec
    }

    public static func fromProcessEnvironment() -> WatchdogSettings? {
        var env: [String: String] = [:]
        for key in ["WATCHDOG_USEC", "WATCHDOG_PID"] {
            if let v = getenv(key) { env[key] = String(cString: v) }
        }
        return WatchdogSettings(environment: env)
    }
}
