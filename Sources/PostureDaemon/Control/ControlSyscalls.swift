import CPostureShim
import Glibc
import PostureControl

/// An errno from a failed call of the control server, with its symbolic name for messages.
struct ControlErrno: Error, Equatable, Sendable, CustomStringConvertible {
    let rawValue: Int32
    init(_ rawValue: Int32) { self.rawValue = rawValue }

    /// The calling thread's `errno`, right after a failing libc call.
    static var current: ControlErrno { ControlErrno(errno > 0 ? errno : EIO) }

    var description: String {
        let message = strerror(rawValue).map { String(cString: $0) } ?? "error \(rawValue)"
        return message
    }
}

/// What is at a path, as `lstat(2)` sees it (symlinks are not followed: a symlink at the
/// socket path is "something else", never silently replaced).
enum ControlPathKind: Equatable {
    case missing
    case socket
    case other
}

/// Every syscall of the control server, wrapped once: `EINTR` retried where safe,
/// `EAGAIN` returned as `nil` for the non-blocking calls, other failures thrown as
/// `ControlErrno`. The Glibc module lacks `_GNU_SOURCE` (no `accept4`, `ucred`), so flags
/// are set with `fcntl` and the peer credentials read as three 32-bit words.
enum ControlSyscall {
    // MARK: Sockets

    /// A non-blocking, close-on-exec `AF_UNIX` stream socket.
    static func unixStreamSocket() throws(ControlErrno) -> Int32 {
        let type = Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue)
        let fd = socket(AF_UNIX, type, 0)
        if fd < 0 { throw .current }
        return fd
    }

    /// A connected pair, both ends non-blocking: the poll thread's wake-up channel.
    static func socketPair() throws(ControlErrno) -> (Int32, Int32) {
        var fds: [Int32] = [-1, -1]
        let type = Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue)
        if socketpair(AF_UNIX, type, 0, &fds) != 0 { throw .current }
        return (fds[0], fds[1])
    }

    static func bind(_ fd: Int32, to address: UnixSocketAddress) throws(ControlErrno) {
        let result = address.withSockAddr { Glibc.bind(fd, $0, $1) }
        if result != 0 { throw .current }
    }

    static func listen(_ fd: Int32, backlog: Int32) throws(ControlErrno) {
        if Glibc.listen(fd, backlog) != 0 { throw .current }
    }

    /// Connects a non-blocking socket. Returns normally when connected; throws the errno
    /// otherwise (`ECONNREFUSED`: nobody listens; `EAGAIN`: someone listens, backlog full).
    static func connect(_ fd: Int32, to address: UnixSocketAddress) throws(ControlErrno) {
        while true {
            let result = address.withSockAddr { Glibc.connect(fd, $0, $1) }
            if result == 0 { return }
            if errno != EINTR { throw .current }
        }
    }

    /// Accepts one pending connection, non-blocking and close-on-exec; `nil` when none is pending.
    static func accept(_ listener: Int32) throws(ControlErrno) -> Int32? {
        while true {
            let fd = Glibc.accept(listener, nil, nil)
            if fd >= 0 {
                // Without accept4 the flags are set after the fact; the daemon does not fork,
                // so the close-on-exec window cannot leak the fd into a child.
                _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
                _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
                return fd
            }
            switch errno {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK: return nil
            // The peer gave up between poll and accept: not an error of the listener.
            case ECONNABORTED, EPROTO: continue
            default: throw .current
            }
        }
    }

    /// Reads what is available: a count, 0 at end of stream, `nil` when nothing is pending.
    static func read(_ fd: Int32, into buffer: inout [UInt8]) throws(ControlErrno) -> Int? {
        while true {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if count >= 0 { return count }
            switch errno {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK: return nil
            default: throw .current
            }
        }
    }

    /// Sends what the socket takes now, without `SIGPIPE` (a vanished client must not kill
    /// the daemon); `nil` when the socket buffer is full.
    static func send(_ fd: Int32, _ bytes: ArraySlice<UInt8>) throws(ControlErrno) -> Int? {
        while true {
            let count = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL | MSG_DONTWAIT)) }
            if count >= 0 { return count }
            switch errno {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK: return nil
            default: throw .current
            }
        }
    }

    /// `SO_PEERCRED`: who is at the other end (pid, uid, gid at connect time).
    static func peerCredentials(_ fd: Int32) throws(ControlErrno) -> PeerCredentials {
        // struct ucred { pid_t pid; uid_t uid; gid_t gid; }: three 32-bit words on Linux.
        var words: [UInt32] = [0, 0, 0]
        var length = socklen_t(MemoryLayout<UInt32>.size * 3)
        let result = words.withUnsafeMutableBytes { getsockopt(fd, SOL_SOCKET, SO_PEERCRED, $0.baseAddress, &length) }
        if result != 0 { throw .current }
        return PeerCredentials(pid: pid_t(bitPattern: words[0]), uid: words[1], gid: words[2])
    }

    /// Waits for events on `fds`; returns normally on `EINTR` (the caller loops anyway).
    static func poll(_ fds: inout [pollfd], timeoutMilliseconds: Int32) throws(ControlErrno) {
        let result = fds.withUnsafeMutableBufferPointer { Glibc.poll($0.baseAddress, nfds_t($0.count), timeoutMilliseconds) }
        if result < 0 && errno != EINTR { throw .current }
    }

    /// Not retried on `EINTR`: on Linux the fd is released even then.
    static func close(_ fd: Int32) {
        _ = Glibc.close(fd)
    }

    // MARK: Paths

    static func pathKind(_ path: String) throws(ControlErrno) -> ControlPathKind {
        var info = stat()
        if lstat(path, &info) != 0 {
            if errno == ENOENT { return .missing }
            throw .current
        }
        return (info.st_mode & S_IFMT) == S_IFSOCK ? .socket : .other
    }

    static func unlink(_ path: String) throws(ControlErrno) {
        if Glibc.unlink(path) != 0 && errno != ENOENT { throw .current }
    }

    static func chmod(_ path: String, mode: mode_t) throws(ControlErrno) {
        if Glibc.chmod(path, mode) != 0 { throw .current }
    }

    /// Changes only the group (`-1` keeps the owner).
    static func chgrp(_ path: String, gid: gid_t) throws(ControlErrno) {
        if Glibc.chown(path, uid_t.max, gid) != 0 { throw .current }
    }

    /// Reads a small file whole (`/proc/PID/status`).
    static func readSmallFile(_ path: String, limit: Int = 16 * 1024) throws(ControlErrno) -> String {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 { throw .current }
        defer { close(fd) }
        var contents: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while contents.count < limit {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if count == 0 { break }
            if count < 0 {
                if errno == EINTR { continue }
                throw .current
            }
            contents.append(contentsOf: chunk[..<count])
        }
        return String(decoding: contents, as: UTF8.self)
    }

    // MARK: Users and groups

    /// The gid of a group name, `nil` when there is no such group.
    static func groupID(named name: String) -> gid_t? {
        var group = group()
        var result: UnsafeMutablePointer<group>?
        var buffer = [CChar](repeating: 0, count: 16 * 1024)
        let status = getgrnam_r(name, &group, &buffer, buffer.count, &result)
        guard status == 0, result != nil else { return nil }
        return group.gr_gid
    }

    /// The groups of a user (primary and supplementary) from the group database, `nil` when
    /// the uid has no passwd entry. Used only when `/proc/PID/status` cannot be read.
    static func groupList(uid: uid_t) -> [gid_t]? {
        var passwd = passwd()
        var result: UnsafeMutablePointer<passwd>?
        var buffer = [CChar](repeating: 0, count: 16 * 1024)
        guard getpwuid_r(uid, &passwd, &buffer, buffer.count, &result) == 0, result != nil,
            let name = passwd.pw_name
        else { return nil }
        var count: Int32 = 64
        var groups = [gid_t](repeating: 0, count: Int(count))
        if getgrouplist(name, passwd.pw_gid, &groups, &count) < 0 {
            groups = [gid_t](repeating: 0, count: Int(count))  // `count` now holds the size needed
            guard getgrouplist(name, passwd.pw_gid, &groups, &count) >= 0 else { return nil }
        }
        return Array(groups.prefix(Int(count)))
    }

    static var processUID: uid_t { getuid() }
}

// MARK: Threads and file identity

extension ControlSyscall {
    /// Starts a detached POSIX thread running `body`: the poll loop must not borrow a thread
    /// of Swift's cooperative pool (two on a Pi Zero 2) for a blocking `poll(2)`.
    static func startDetachedThread(named name: String, _ body: @escaping @Sendable () -> Void) throws(ControlErrno) {
        final class Box {
            let body: @Sendable () -> Void
            init(_ body: @escaping @Sendable () -> Void) { self.body = body }
        }
        let context = Unmanaged.passRetained(Box({
            _ = posture_thread_set_name(name)  // shows in `top -H`; failure is harmless
            body()
        })).toOpaque()
        var thread = pthread_t()
        let result = pthread_create(&thread, nil, { raw in
            Unmanaged<Box>.fromOpaque(raw!).takeRetainedValue().body()
            return nil
        }, context)
        if result != 0 {
            Unmanaged<Box>.fromOpaque(context).release()
            throw ControlErrno(result)
        }
        pthread_detach(thread)
    }

    /// Device and inode of what is at `path`, to unlink at shutdown only the socket we made
    /// (not one a newer daemon bound after ours was removed).
    static func fileIdentity(_ path: String) -> FileIdentity? {
        var info = stat()
        guard lstat(path, &info) == 0 else { return nil }
        return FileIdentity(device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
    }
}

struct FileIdentity: Equatable, Sendable {
    let device: UInt64
    let inode: UInt64
}
