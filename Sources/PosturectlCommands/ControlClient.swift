import Glibc
import PostureCommandLine
import PostureControl
import Synchronization

/// `--socket` and `--json`, shared by every command that talks to the daemon.
struct ConnectionOptions {
    static let socketOption = Argument<String>.option(
        "socket", valueName: "path",
        help: "The daemon's control socket (default: $RUNTIME_DIRECTORY/control.sock, else /run/postured/control.sock).",
        completion: .file)
    static let jsonFlag = Flag("json", help: "Print the daemon's JSON messages, one per line, for scripts.")
    /// For a command's declaration: these, after or before its own.
    static let arguments: [any DeclaresArgument] = [socketOption, jsonFlag]

    var socket: String?
    var json: Bool

    init(_ arguments: ParsedArguments) throws(UsageError) {
        socket = try arguments.optionalValue(Self.socketOption)
        json = arguments.isSet(Self.jsonFlag)
    }

    var socketPath: String {
        socket ?? ControlProtocol.defaultSocketPath(environment: currentEnvironment())
    }

    func connect() throws -> ControlClient { try ControlClient(path: socketPath) }
}

/// Set by SIGINT or SIGTERM; blocking reads return early (EINTR) and the command finishes
/// cleanly: `record` flushes its file, `watch` restores the cursor.
let interruptRequested = Atomic<Bool>(false)

/// Installs the SIGINT and SIGTERM handler, without SA_RESTART so a blocked `read` returns.
func catchInterrupt() {
    var action = sigaction()
    action.__sigaction_handler = .init(sa_handler: { _ in interruptRequested.store(true, ordering: .relaxed) })
    sigemptyset(&action.sa_mask)
    action.sa_flags = 0
    sigaction(SIGINT, &action, nil)
    sigaction(SIGTERM, &action, nil)
}

/// A blocking connection to the daemon: one request line out, message lines back.
final class ControlClient {
    let path: String
    private let fd: Int32
    private var framer = LineFramer(maxLineBytes: 4 * ControlProtocol.maxLineBytes)
    private var nextID = 1

    /// Connects, turning the usual failures into the sentences a user needs.
    init(path: String) throws {
        self.path = path
        guard let address = UnixSocketAddress(path: path) else {
            throw CommandFailure("\(path): not a usable socket path (at most \(UnixSocketAddress.maxPathBytes) bytes)")
        }
        fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw CommandFailure("cannot create a socket: \(String(cString: strerror(errno)))") }
        var result: Int32
        repeat { result = address.withSockAddr { Glibc.connect(fd, $0, $1) } } while result != 0 && errno == EINTR
        guard result == 0 else {
            let code = errno
            Glibc.close(fd)
            switch code {
            case ENOENT, ENOTDIR:
                throw CommandFailure("postured is not running (no socket at \(path))", code: "not_running")
            case ECONNREFUSED:
                throw CommandFailure("postured is not running (no socket at \(path) accepts connections)", code: "not_running")
            case EACCES, EPERM:
                let group = Self.groupName(of: path) ?? "postured"
                throw CommandFailure(
                    "permission denied on \(path): join the '\(group)' group (sudo usermod -aG \(group) $USER, then log in again)",
                    code: "permission_denied")
            default:
                throw CommandFailure("cannot connect to \(path): \(String(cString: strerror(code)))")
            }
        }
    }

    deinit { Glibc.close(fd) }

    /// The group owning the socket (the daemon's configured `[control] group`), if it has a name.
    private static func groupName(of path: String) -> String? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        var group = group()
        var result: UnsafeMutablePointer<group>?
        var buffer = [CChar](repeating: 0, count: 4096)
        guard getgrgid_r(info.st_gid, &group, &buffer, buffer.count, &result) == 0, result != nil, let name = group.gr_name else {
            return nil
        }
        return String(cString: name)
    }

    /// Sends a request; returns its id.
    @discardableResult
    func send(_ command: ControlCommand) throws -> RequestID {
        let id = RequestID.number(nextID)
        nextID += 1
        let line = ControlRequest(id: id, command: command).encodedLine()
        var offset = 0
        while offset < line.count {
            let n = line[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n < 0 {
                if errno == EINTR && !interruptRequested.load(ordering: .relaxed) { continue }
                throw CommandFailure("lost the connection to postured: \(String(cString: strerror(errno)))")
            }
            offset += n
        }
        return id
    }

    /// The next message and its raw line; `nil` when the daemon closed the connection, on
    /// Ctrl-C, or after `timeout` seconds (when given).
    /// Set when `next` returned nil because the daemon closed the connection (not a timeout).
    private(set) var closedByDaemon = false

    func next(timeout: Double? = nil) throws -> (message: ReceivedMessage, line: [UInt8])? {
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            switch framer.nextLine() {
            case .line(let line)?: return (try ReceivedMessage(line: line), line)
            case .tooLong?: throw CommandFailure("the daemon sent an overlong line")
            case nil: break
            }
            if interruptRequested.load(ordering: .relaxed) { return nil }
            if let timeout {
                var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
                let ready = poll(&p, 1, Int32(max(0, timeout) * 1000))
                if ready == 0 { return nil }
                if ready < 0 { if errno == EINTR { continue } else { return nil } }
            }
            let n = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n == 0 {
                closedByDaemon = true
                return nil
            }
            if n < 0 {
                if errno == EINTR { continue }
                throw CommandFailure("lost the connection to postured: \(String(cString: strerror(errno)))")
            }
            framer.append(buffer[..<n])
        }
    }

    /// Sends `command` and waits for its final message, handing events to `onEvent`.
    /// A daemon error becomes a `CommandFailure` with the daemon's message (and the group
    /// hint for `permission_denied`); with `json` every line is printed verbatim first.
    func call(
        _ command: ControlCommand, json: Bool,
        onEvent: (ReceivedMessage) throws -> Void = { _ in }
    ) throws -> ReceivedMessage? {
        let id = try send(command)
        while let (message, line) = try next() {
            guard message.id == id else { continue }
            if json {
                // Each line out at once: `watch --json > file` keeps every frame up to a kill.
                print(String(decoding: line, as: UTF8.self))
                flushStandardOutput()
            }
            if message.isFinal {
                if let error = message.error { throw failure(for: error, json: json) }
                return message
            }
            try onEvent(message)
        }
        if interruptRequested.load(ordering: .relaxed) { return nil }
        throw CommandFailure("postured closed the connection before answering")
    }

    private func failure(for error: ControlError, json: Bool) -> CommandFailure {
        // With --json the error line is already on stdout; exit non-zero with a short note.
        // A refusal's message already says what to do (which group to join, or that it is missing).
        CommandFailure(json ? "\(error.code)" : error.message, code: error.code.rawValue, reportedAsJSON: json)
    }
}

/// The variables the control commands read (`RUNTIME_DIRECTORY`), without Foundation.
func currentEnvironment() -> [String: String] {
    guard let value = getenv("RUNTIME_DIRECTORY") else { return [:] }
    return ["RUNTIME_DIRECTORY": String(cString: value)]
}

/// Whether standard output is a terminal (live redraw) or a pipe/file (plain lines).
var standardOutputIsTerminal: Bool { isatty(1) == 1 }

/// Writes to stdout now (print() is line-buffered only on a terminal).
func flushStandardOutput() { fflush(nil) }  // all streams: `stdout` is a C global Swift 6 will not touch
